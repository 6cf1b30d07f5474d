using LeadML.Features.Randomness;
using LeadML.Trainer.Modeling;

namespace LeadML.Trainer.Tests.Modeling;

/// <summary>Sampling of non-converting training rows: every conversion stays, and the weights give back the period's
/// conversion rate.</summary>
public sealed class RowSamplingTests
{
    /// <summary>Labels with about <paramref name="rate"/> conversions, drawn from a seeded generator.</summary>
    private static float[] Labels(int n, double rate, ulong seed)
    {
        var rng = new Xoshiro256(seed);
        return [.. Enumerable.Range(0, n).Select(_ => rng.NextDouble() < rate ? 1f : 0f)];
    }

    [Fact]
    public void Draw_KeepsEveryConversion_AndAboutTheShareOfTheRest()
    {
        var y = Labels(200_000, 0.03, 1);
        var rows = Enumerable.Range(0, y.Length).ToArray();

        var sample = RowSampling.Draw(y, rows, 0.2, 42);

        var positives = rows.Count(i => y[i] > 0.5f);
        Assert.Equal(positives, sample.Rows.Count(i => y[i] > 0.5f));
        var keptNegatives = sample.Rows.Count(i => y[i] < 0.5f);
        Assert.InRange(keptNegatives / (double)(y.Length - positives), 0.19, 0.21);
        Assert.Equal(y.Length - positives, sample.Negatives);
        Assert.True(sample.Rows.SequenceEqual(sample.Rows.Order()));
    }

    [Fact]
    public void Draw_WeightedConversionRate_IsThePeriods()
    {
        var y = Labels(200_000, 0.05, 2);
        var rows = Enumerable.Range(0, y.Length).ToArray();
        var fullRate = y.Average(v => (double)v);

        var sample = RowSampling.Draw(y, rows, 0.1, 7);

        var unweighted = sample.Rows.Average(i => (double)y[i]);
        var weighted = sample.Rows.Select((i, k) => (double)y[i] * sample.Weights![k]).Sum() / sample.EffectiveRows;
        Assert.True(unweighted > 3 * fullRate, $"the sample leans to conversions: {unweighted:F4} against {fullRate:F4}");
        Assert.InRange(weighted, fullRate * 0.97, fullRate * 1.03);
        Assert.InRange(sample.EffectiveRows, y.Length * 0.97, y.Length * 1.03);
        Assert.All(sample.Rows.Select((i, k) => (i, k)), p => Assert.Equal(y[p.i] > 0.5f ? 1f : 10f, sample.Weights![p.k], 3));
    }

    [Fact]
    public void Draw_SameSeed_SameRows_OtherSeed_OtherRows()
    {
        var y = Labels(20_000, 0.1, 3);
        var rows = Enumerable.Range(0, y.Length).Where(i => i % 3 != 0).ToArray();

        var a = RowSampling.Draw(y, rows, 0.3, 42);
        var b = RowSampling.Draw(y, rows, 0.3, 42);
        var c = RowSampling.Draw(y, rows, 0.3, 43);

        Assert.Equal(a.Rows, b.Rows);
        Assert.NotEqual(a.Rows, c.Rows);
        Assert.All(a.Rows, i => Assert.NotEqual(0, i % 3));
    }

    [Fact]
    public void Draw_ShareOne_KeepsEveryRowUnweighted()
    {
        var y = Labels(1000, 0.1, 4);
        var rows = Enumerable.Range(0, y.Length).ToArray();

        var sample = RowSampling.Draw(y, rows, 1, 42);

        Assert.Equal(rows, sample.Rows);
        Assert.Null(sample.Weights);
        Assert.False(sample.Sampled);
    }

    [Theory]
    [InlineData(10_000, 990_000, 2_000_000, 1.0)]
    [InlineData(100_000, 3_900_000, 1_500_000, 0.358974)]
    [InlineData(50_000, 4_950_000, 1_000_000, 0.191919)]
    public void AutoShare_KeepsAboutMaxRows(int positives, int negatives, int maxRows, double expected)
    {
        var share = RowSampling.AutoShare(positives, negatives, maxRows);

        Assert.Equal(expected, share, 5);
        Assert.InRange(positives + share * negatives, 0, Math.Max(maxRows, positives + negatives <= maxRows ? positives + negatives : maxRows) + 1);
    }

    [Fact]
    public void Uniform_SpreadsOverTheRows()
    {
        var rows = Enumerable.Range(0, 10_000).Select(i => 2 * i).ToArray();

        var picked = RowSampling.Uniform(rows, 1000);

        Assert.Equal(1000, picked.Length);
        Assert.Equal(0, picked[0]);
        Assert.InRange(picked[^1], 19_960, 19_998);
        Assert.Equal(rows, RowSampling.Uniform(rows, 20_000));
    }
}
