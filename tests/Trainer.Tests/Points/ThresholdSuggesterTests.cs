using LeadML.Features.Featurization;
using LeadML.Features.Randomness;
using LeadML.Features.Rules;
using LeadML.Trainer.Points;

namespace LeadML.Trainer.Tests.Points;

public sealed class ThresholdSuggesterTests
{
    /// <summary>Scores 0–100 over 6 months; the chance of converting grows with the score.</summary>
    private static (double[] Scores, float[] Y, DateTime[] Cutoff, int[] Lead) Leads(int n, ulong seed)
    {
        var rng = new Xoshiro256(seed);
        var scores = new double[n];
        var y = new float[n];
        var cutoff = new DateTime[n];
        var lead = new int[n];
        for (var i = 0; i < n; i++)
        {
            scores[i] = Math.Round(rng.NextDouble() * 100);
            y[i] = rng.NextDouble() < scores[i] / 200 ? 1 : 0;
            cutoff[i] = new DateTime(2025, 1 + i % 6, 1, 0, 0, 0, DateTimeKind.Utc);
            lead[i] = i;
        }
        return (scores, y, cutoff, lead);
    }

    [Fact]
    public void Suggest_DefaultShare_GradesDescendAndAIsTheShare()
    {
        var (s, y, c, l) = Leads(5000, 1);
        var t = ThresholdSuggester.Suggest(s, y, c, l, new ThresholdOptions());
        var shareA = s.Count(v => v >= t.Thresholds.SalesReady) / (double)s.Length;
        Assert.InRange(shareA, 0.05, 0.10);
        Assert.Equal(["A", "B", "C", "D"], t.Grades.Select(g => g.Grade));
        Assert.True(t.Grades.Zip(t.Grades.Skip(1)).All(p => p.First.MinScore > p.Second.MinScore));
        var stats = GradeStats.Of(s, y, c, t.Grades);
        Assert.Equal(s.Length, stats.Sum(g => g.Leads));
        Assert.True(stats[0].ConversionRate > stats[^1].ConversionRate);
    }

    [Fact]
    public void Suggest_TargetPrecision_MeetsIt()
    {
        var (s, y, c, l) = Leads(5000, 2);
        var t = ThresholdSuggester.Suggest(s, y, c, l, new ThresholdOptions { TargetPrecision = 0.4 });
        var selected = Enumerable.Range(0, s.Length).Where(i => s[i] >= t.Thresholds.SalesReady).ToList();
        Assert.True(selected.Count(i => y[i] == 1) / (double)selected.Count >= 0.4);
        // One point lower would miss it (the lowest such score is chosen) or select much the same leads.
        var lower = Enumerable.Range(0, s.Length).Where(i => s[i] >= t.Thresholds.SalesReady - 5).ToList();
        Assert.True(lower.Count > selected.Count);
    }

    [Fact]
    public void Suggest_Capacity_SendsAtMostThatManyPerMonth()
    {
        var (s, y, c, l) = Leads(6000, 3);
        var t = ThresholdSuggester.Suggest(s, y, c, l, new ThresholdOptions { CapacityPerMonth = 50 });
        Assert.True(s.Count(v => v >= t.Thresholds.SalesReady) / 6.0 <= 50);
        Assert.True(s.Count(v => v >= t.Thresholds.SalesReady - 1) / 6.0 > 50);
    }

    [Fact]
    public void Hysteresis_IsTheTypicalChangeOfLeadsNearTheThreshold()
    {
        var rng = new Xoshiro256(4);
        var scores = new List<double>();
        var cutoff = new List<DateTime>();
        var lead = new List<int>();
        for (var i = 0; i < 200; i++)
        {
            var start = 60 + rng.NextDouble() * 20;
            for (var m = 0; m < 4; m++)
            {
                scores.Add(start + (m % 2 == 0 ? 4 : -4));
                cutoff.Add(new DateTime(2025, m + 1, 1, 0, 0, 0, DateTimeKind.Utc));
                lead.Add(i);
            }
        }
        Assert.Equal(8, ThresholdSuggester.Hysteresis([.. scores], [.. cutoff], [.. lead], 70));
    }

    [Fact]
    public void Profile_KeepsOverRepresentedTraitsOnly()
    {
        Criterion C(string id, int leads, int conv) => new()
        {
            Id = id, Label = id, Group = CriterionGroup.Fit, Points = 1,
            Condition = new Condition("attr.x=" + id, ConditionOp.Eq, 1), Support = new Support(leads, conv, (double)conv / leads),
        };
        var traits = IdealProfile.Build([C("ceo", 500, 150), C("student", 500, 5), C("rare", 10, 4)], 5000, 500);
        var trait = Assert.Single(traits);
        Assert.Equal("ceo", trait.Criterion);
        Assert.Equal(3.0, trait.Lift, 3);
        Assert.Equal(0.3, trait.ShareOfConverters, 3);
    }

    [Theory]
    [InlineData(null, null, 4ul)]
    [InlineData(0.4, null, 5ul)]
    [InlineData(null, 50.0, 6ul)]
    [InlineData(null, 1e9, 7ul)]
    public void Suggest_TheSalesReadyThreshold_IsTheTopGradesLowerBound(double? precision, double? capacity, ulong seed)
    {
        var (s, y, c, l) = Leads(3000, seed);
        var t = ThresholdSuggester.Suggest(s, y, c, l, new ThresholdOptions { TargetPrecision = precision, CapacityPerMonth = capacity });

        Assert.Equal(t.Thresholds.SalesReady, t.Grades[0].MinScore);
        var rules = new RuleSet
        {
            ModelVersion = "m", Scale = new PointsScale(20, 20 / Math.Log(2)), BasePoints = 0, Criteria = [], Thresholds = t.Thresholds, Grades = t.Grades,
        };
        Assert.Null(SalesReadyGrade.Problem(rules));
        Assert.True(t.Grades.Zip(t.Grades.Skip(1)).All(p => p.First.MinScore > p.Second.MinScore));
    }
}
