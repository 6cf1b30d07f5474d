using System.Globalization;
using LeadML.Features.Featurization;
using LeadML.Features.History;
using LeadML.Features.Randomness;
using LeadML.Features.Evaluation;
using LeadML.Features.Snapshots;
using LeadML.Trainer.Evaluation;
using LeadML.Trainer.Sample;

namespace LeadML.Trainer.Tests.Evaluation;

/// <summary>A stationary sample history, and the same history with one attribute shifted for leads created from June
/// (the validation and test periods' new leads), generated once for the drift comparisons.</summary>
public sealed class DriftHistories : IDisposable
{
    public DriftHistories()
    {
        Stationary = Path.Combine(Root, "stationary");
        Shifted = Path.Combine(Root, "shifted");
        SampleGenerator.Write(Stationary, new SampleOptions { Leads = 8000, TruthProbabilities = false });
        Directory.CreateDirectory(Shifted);
        File.Copy(Path.Combine(Stationary, "events.csv"), Path.Combine(Shifted, "events.csv"));
        var lines = File.ReadAllLines(Path.Combine(Stationary, "leads.csv"));
        var header = lines[0].Split(',');
        var (created, size) = (Array.IndexOf(header, "created_at"), Array.IndexOf(header, "company_size"));
        var from = new DateTime(2025, 6, 1, 0, 0, 0, DateTimeKind.Utc);
        for (var i = 1; i < lines.Length; i++)
        {
            var f = lines[i].Split(',');
            if (DateTime.Parse(f[created], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal) < from || f[size].Length == 0) continue;
            // Bigger companies arrive from June on: company_size four times what it would have been.
            f[size] = (4 * double.Parse(f[size], CultureInfo.InvariantCulture)).ToString(CultureInfo.InvariantCulture);
            lines[i] = string.Join(',', f);
        }
        File.WriteAllLines(Path.Combine(Shifted, "leads.csv"), lines);
    }

    public string Root { get; } = Path.Combine(Path.GetTempPath(), $"leadml-drift-{Guid.NewGuid():N}");
    public string Stationary { get; }
    public string Shifted { get; }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}

public sealed class DriftTests(DriftHistories histories) : IClassFixture<DriftHistories>
{
    private static List<LeadML.Features.Bundles.FeatureDrift> TrainAgainstTest(string folder)
    {
        var s = SnapshotBuilder.Build(HistoryReader.Read(folder));
        return Drift.Compare([.. s.Spec.Features.Select(f => f.Name)], s.Select(Period.Train).X, s.Select(Period.Test).X, s.Width, new Dictionary<string, string>());
    }

    [Fact]
    public void Compare_StationarySample_FlagsAtMostTwoFeatures_AndLeadAgeAsExpected()
    {
        var drift = TrainAgainstTest(histories.Stationary);

        var significant = drift.Where(d => d.Band == "significant").Select(d => d.Feature).ToList();
        Assert.True(significant.Count <= 2, string.Join(", ", significant));
        var age = Assert.Single(drift, d => d.Feature == FeatureNames.LeadAge);
        Assert.Equal(Drift.Expected, age.Band);
        Assert.True(age.Psi >= Drift.SignificantFrom, $"lead age PSI {age.Psi}");
        Assert.Contains("older leads", age.Expected, StringComparison.Ordinal);
        // Without the comparison at equal lead age, "days since" features would be flagged by the calendar alone.
        Assert.Contains(drift, d => d.UnadjustedPsi >= Drift.SignificantFrom && d.Band == "stable");
    }

    [Fact]
    public void Compare_APlantedShiftInOneAttribute_IsStillFlagged()
    {
        var drift = TrainAgainstTest(histories.Shifted);

        var significant = drift.Where(d => d.Band == "significant").Select(d => d.Feature).ToList();
        Assert.Contains(FeatureNames.Attribute("company_size"), significant);
        Assert.True(significant.Count <= 3, string.Join(", ", significant));
    }

    [Fact]
    public void Compare_ACalendarFeature_IsMarkedExpectedWithItsReason()
    {
        var reference = Gaussian(5_000, 0, 56);
        var current = Gaussian(5_000, 2, 57);
        var x = new float[reference.Length * 2];
        var y = new float[current.Length * 2];
        for (var i = 0; i < reference.Length; i++) (x[2 * i], x[2 * i + 1]) = (reference[i], reference[i]);
        for (var i = 0; i < current.Length; i++) (y[2 * i], y[2 * i + 1]) = (current[i], current[i]);

        var drift = Drift.Compare(["attr.month=may", "attr.size"], x, y, 2, new Dictionary<string, string> { ["attr.month=may"] = "month orders the rows" });

        Assert.Equal((Drift.Expected, "month orders the rows"), (drift[0].Band, drift[0].Expected));
        Assert.Equal("significant", drift[1].Band);
        Assert.Null(drift[1].UnadjustedPsi);
    }

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
