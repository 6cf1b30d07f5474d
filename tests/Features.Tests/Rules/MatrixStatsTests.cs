using LeadML.Features.Rules;

namespace LeadML.Features.Tests.Rules;

/// <summary>The fit × engagement matrix: cells by the cut-offs, suggested cut-offs by shares of leads, and each cell's rate.</summary>
public sealed class MatrixStatsTests
{
    [Theory]
    [InlineData(90, 95, "A1")]
    [InlineData(60, 10, "A4")]
    [InlineData(59.9, 40, "B2")]
    [InlineData(0, 30, "D3")]
    public void Cell_IsTheLetterOfTheFitPartAndTheDigitOfTheEngagementPart(double fit, double engagement, string expected) =>
        Assert.Equal(expected, new FitEngagementMatrix([60, 40, 20], [80, 40, 20]).Cell(fit, engagement));

    [Fact]
    public void Cell_AxisWithoutCriteria_HasNoLetterOrDigit()
    {
        Assert.Equal("B", new FitEngagementMatrix([60, 40, 20], []).Cell(50, 99));
        Assert.Equal(["A", "B", "C", "D"], new FitEngagementMatrix([60, 40, 20], []).Cells());
    }

    [Fact]
    public void Suggest_CutsAtTheTop20_50_80PercentOfLeads()
    {
        var parts = Enumerable.Range(0, 100).Select(i => (double)i).ToArray();
        var m = MatrixStats.Suggest(parts, parts.Reverse().ToArray(), true, true);
        Assert.Equal([80, 50, 20], m.Fit);
        var counts = parts.GroupBy(p => m.Cell(p, p)[0]).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(20, counts['A']);
        Assert.Equal(30, counts['B']);
        Assert.Equal(30, counts['C']);
        Assert.Equal(20, counts['D']);
        Assert.Empty(MatrixStats.Suggest(parts, parts, true, false).Engagement);
    }

    [Fact]
    public void Of_CountsLeadsAndConversionsPerCell()
    {
        var m = new FitEngagementMatrix([50, 30, 10], [50, 30, 10]);
        double[] fit = [60, 60, 60, 0];
        double[] engagement = [60, 60, 20, 0];
        float[] y = [1, 0, 1, 0];
        var cells = MatrixStats.Of(m, fit, engagement, y).ToDictionary(c => c.Cell);
        Assert.Equal(16, cells.Count);
        Assert.Equal((2, 1, 0.5), (cells["A1"].Leads, cells["A1"].Conversions, cells["A1"].ConversionRate));
        Assert.Equal((1, 1.0), (cells["A3"].Leads, cells["A3"].ConversionRate));
        Assert.Equal((1, 0.0), (cells["D4"].Leads, cells["D4"].ConversionRate));
        Assert.Equal(0, cells["B2"].Leads);
    }
}
