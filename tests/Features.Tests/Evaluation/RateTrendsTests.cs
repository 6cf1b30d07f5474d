using LeadML.Features.Bundles;
using LeadML.Features.Evaluation;

namespace LeadML.Features.Tests.Evaluation;

public sealed class RateTrendsTests
{
    private static PeriodRate Period(int month, int rows, int positives, string period = "train") =>
        new(new DateOnly(2025, month, 1), period, rows, positives, (double)positives / rows);

    [Fact]
    public void RisingRates_AreMoving_WithBothRatesAndTheirPeriodsInTheMessage()
    {
        PeriodRate[] periods = [Period(1, 1000, 50), Period(2, 1000, 56), Period(3, 1000, 80), Period(4, 1000, 100), Period(5, 1000, 140, "test"), Period(6, 1000, 152, "test")];
        var trend = RateTrends.Measure(periods)!;
        Assert.True(trend.Moving);
        Assert.True(trend.Z > 4);
        Assert.Equal((2000, 106), (trend.Early.Rows, trend.Early.Positives));
        Assert.Equal((2000, 292), (trend.Late.Rows, trend.Late.Positives));
        Assert.Equal("2025-01-01 – 2025-02-01", trend.Early.Label);
        Assert.Contains("5.3%", trend.Message, StringComparison.Ordinal);
        Assert.Contains("14.6%", trend.Message, StringComparison.Ordinal);
        Assert.StartsWith("conversion rates are moving", trend.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SteadyRates_AndSmallNoisyDifferences_AreNotMoving()
    {
        var steady = RateTrends.Measure([Period(1, 1000, 100), Period(2, 1000, 104), Period(3, 1000, 97), Period(4, 1000, 101)])!;
        Assert.False(steady.Moving);
        Assert.StartsWith("conversion rates are steady", steady.Message, StringComparison.Ordinal);
        // A large relative change on too few leads to tell (|z| < 4) is not called a trend.
        var few = RateTrends.Measure([Period(1, 40, 2), Period(2, 40, 2), Period(3, 40, 4), Period(4, 40, 4)])!;
        Assert.False(few.Moving);
        Assert.Null(RateTrends.Measure([Period(1, 100, 5), Period(2, 100, 20)]));
    }

    [Fact]
    public void RowRanges_CombineIntoOneRange()
    {
        Assert.Equal("rows 1–4,000", RateTrends.Label("rows 1–2,000", "rows 2,001–4,000"));
        Assert.Equal("May, year 1 – Jul, year 1", RateTrends.Label("May, year 1", "Jul, year 1"));
        Assert.Equal("2025-01", RateTrends.Label("2025-01", "2025-01"));
    }
}
