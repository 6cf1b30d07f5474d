using LeadML.Features.Randomness;
using LeadML.Features.Evaluation;
using LeadML.Trainer.Evaluation;

namespace LeadML.Trainer.Tests.Evaluation;

public sealed class DriftTests
{
    private static float[] Gaussian(int n, double mean, ulong seed)
    {
        var rng = new Xoshiro256(seed);
        return [.. Enumerable.Range(0, n).Select(_ => (float)(mean + rng.NextGaussian()))];
    }

    [Fact]
    public void Psi_SameDistribution_IsNearZero()
    {
        var psi = Drift.Psi(Gaussian(20_000, 0, 51), Gaussian(20_000, 0, 52));
        Assert.InRange(psi, 0, 0.01);
        Assert.Equal("stable", Drift.Band(psi));
    }

    [Fact]
    public void Psi_ShiftedByOneStandardDeviation_IsSignificant()
    {
        var psi = Drift.Psi(Gaussian(20_000, 0, 53), Gaussian(20_000, 1, 54));
        Assert.True(psi > 0.25, $"PSI {psi}");
        Assert.Equal("significant", Drift.Band(psi));
    }

    [Fact]
    public void Psi_DiscreteValuesGetTheirOwnBins()
    {
        // A flag set for 10 % of the reference and 40 % of the current rows:
        // (0.4 − 0.1)·ln 4 + (0.6 − 0.9)·ln(⅔).
        var reference = Enumerable.Range(0, 1000).Select(i => i < 100 ? 1f : 0f).ToArray();
        var current = Enumerable.Range(0, 1000).Select(i => i < 400 ? 1f : 0f).ToArray();
        Assert.Equal(0.3 * Math.Log(4) - 0.3 * Math.Log(2.0 / 3.0), Drift.Psi(reference, current), 9);
    }

    [Fact]
    public void Psi_MissingValuesFormTheirOwnBin()
    {
        var reference = Gaussian(5_000, 0, 55);
        var current = Gaussian(5_000, 0, 55);
        for (var i = 0; i < current.Length; i += 2) current[i] = float.NaN;
        Assert.True(Drift.Psi(reference, current) > 0.25);
        Assert.Equal(0.0, Drift.Psi(reference, reference), 12);
    }

    [Theory]
    [InlineData(0.0, "stable")]
    [InlineData(0.0999, "stable")]
    [InlineData(0.1, "moderate")]
    [InlineData(0.2499, "moderate")]
    [InlineData(0.25, "significant")]
    [InlineData(3.0, "significant")]
    public void Band_FollowsTheUsualThresholds(double psi, string band) => Assert.Equal(band, Drift.Band(psi));
}
