using LeadML.Api.Monitoring;
using LeadML.Features.Monitoring;
using LeadML.Features.Randomness;

namespace LeadML.Api.Tests.Monitoring;

/// <summary>The live drift counters, kept per thread: many threads observing at once count every lead exactly once,
/// and the PSI is the one of the values observed.</summary>
public sealed class LiveDriftTests
{
    private const int Width = 3;

    private static (DriftReference Reference, float[] Live, double[] Probabilities) Data(int liveRows)
    {
        var rng = new Xoshiro256(7);
        var rows = 2000;
        var x = new float[rows * Width];
        for (var i = 0; i < x.Length; i++) x[i] = (float)rng.NextGaussian();
        var p = Enumerable.Range(0, rows).Select(_ => rng.NextDouble()).ToArray();
        var reference = DriftReference.Build(["a", "b", "c"], x, rows, p);
        // Live traffic: the first column shifted, the others as in training; the probabilities squeezed upwards.
        var live = new float[liveRows * Width];
        for (var i = 0; i < liveRows; i++)
        {
            live[i * Width] = (float)(rng.NextGaussian() + 1.5);
            live[i * Width + 1] = (float)rng.NextGaussian();
            live[i * Width + 2] = (float)rng.NextGaussian();
        }
        var probabilities = Enumerable.Range(0, liveRows).Select(_ => 0.5 + 0.5 * rng.NextDouble()).ToArray();
        return (reference, live, probabilities);
    }

    [Fact]
    public void ObservingFromManyThreads_CountsEveryLeadOnce_AndGivesThePsiOfTheValuesSeen()
    {
        const int n = 200_000;
        var (reference, live, probabilities) = Data(n);
        var drift = new LiveDrift(reference);
        Assert.Null(drift.Probability().Psi);

        Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => drift.Observe(live.AsSpan(i * Width, Width), probabilities[i]));

        Assert.Equal(n, drift.Observed);
        var features = drift.Features();
        for (var j = 0; j < Width; j++)
        {
            var column = Enumerable.Range(0, n).Select(i => live[i * Width + j]).ToArray();
            var f = features.Single(d => d.Feature == reference.Features[j]);
            Assert.Equal(n, f.Observed);
            Assert.Equal(Math.Round(reference.Bins[j].Psi(column), 6), f.Psi!.Value, 9);
        }
        Assert.Equal("a", features[0].Feature);
        Assert.Equal("significant", features[0].Band);
        Assert.Equal("stable", features.Single(d => d.Feature == "b").Band);
        var p = drift.Probability();
        Assert.Equal(n, p.Observed);
        Assert.Equal(Math.Round(reference.Probability.Psi(probabilities.Select(v => (float)v).ToArray()), 6), p.Psi!.Value, 9);
    }
}
