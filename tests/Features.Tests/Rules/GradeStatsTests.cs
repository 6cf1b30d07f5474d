using LeadML.Features.Rules;

namespace LeadML.Features.Tests.Rules;

public sealed class GradeStatsTests
{
    private static readonly GradeBand[] Grades = [new("A", 60, "sales-ready"), new("B", 30, "warm"), new("C", 20, "cold")];

    [Fact]
    public void Of_CountsLeadsConversionsAndMonthsPerGrade_TheLastGradeTakingLowerScores()
    {
        double[] scores = [80, 65, 40, 25, 10];
        float[] y = [1, 0, 1, 0, 0];
        DateTime[] cutoff = [new(2025, 1, 1), new(2025, 1, 1), new(2025, 2, 1), new(2025, 2, 1), new(2025, 2, 1)];

        var stats = GradeStats.Of(scores, y, cutoff, Grades);

        Assert.Equal(
        [
            new GradeStat("A", 60, 2, 0.4, 1, 0.5, 1),
            new GradeStat("B", 30, 1, 0.2, 1, 1, 0.5),
            new GradeStat("C", 20, 2, 0.4, 0, 0, 1),
        ], stats);
    }

    [Fact]
    public void Of_NoScores_GivesEmptyGrades()
    {
        var stats = GradeStats.Of([], [], [], Grades);

        Assert.All(stats, s => Assert.Equal((0, 0.0, 0.0), (s.Leads, s.Share, s.ConversionRate)));
    }

    [Fact]
    public void Of_DisqualifiedLeads_GoToTheLastGradeWhateverTheirScore()
    {
        double[] scores = [80, 65, 40];
        float[] y = [1, 0, 0];
        DateTime[] cutoff = [new(2025, 1, 1), new(2025, 1, 1), new(2025, 1, 1)];

        var stats = GradeStats.Of(scores, y, cutoff, Grades, disqualified: [false, true, false]);

        Assert.Equal([1, 1, 1], stats.Select(s => s.Leads));
        Assert.Equal("C", stats[2].Grade);
    }
}
