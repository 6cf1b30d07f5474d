using LeadML.Features.Featurization;
using LeadML.Features.Randomness;
using LeadML.Trainer.Points;

namespace LeadML.Trainer.Tests.Points;

public sealed class BandingTests
{
    [Fact]
    public void QuantileEdges_KeepAnEdgeAtASentinelMaximum()
    {
        // "Days since the previous campaign", 999 when there was none (most rows). Rounded to two significant digits
        // the quintile edge 999 becomes 1,000, beyond every value, and the band "999 or more" vanished.
        var rng = new Xoshiro256(5);
        var values = new List<float>();
        for (var i = 0; i < 1000; i++) values.Add(rng.NextBool(0.9) ? 999f : (float)rng.NextInt(28));
        var edges = Banding.QuantileEdges(values);
        Assert.Equal([999.0], edges);
        // Edges inside the data stay at two significant digits.
        Assert.Equal([20.0, 40.0, 60.0, 80.0], Banding.QuantileEdges([.. Enumerable.Range(0, 101).Select(i => (float)i + 0.3f)]));
    }

    [Fact]
    public void Cut_SentinelValue_GetsItsOwnBandWithItsContribution()
    {
        var rng = new Xoshiro256(6);
        const int rows = 2000;
        var values = new float[rows];
        var phi = new double[rows];
        for (var i = 0; i < rows; i++)
        {
            var contacted = rng.NextBool(0.08);
            values[i] = contacted ? (float)rng.NextInt(28) : 999f;
            phi[i] = contacted ? 1.5 : -0.1;
        }
        var banded = Banding.Cut(0, FeatureKind.Number, values, phi, minSupport: 40, mergeBelow: 0.08);
        Assert.Equal(2, banded.Bands.Count);
        Assert.Equal(999.0, banded.Bands[0].Upper);
        Assert.Equal(1.5, banded.Mean[0], 9);
        Assert.Equal(-0.1, banded.Mean[1], 9);
        Assert.True(banded.R2 > 0.999, $"R² {banded.R2}");
    }
}
