using LeadML.Features.Bundles;
using LeadML.Trainer.Sample;
using LeadML.Trainer.Training;

namespace LeadML.Trainer.Tests.Training;

/// <summary>One small sample history trained on every row and on a weighted share of the non-converting rows.</summary>
public sealed class SampledTrainingFixture : IDisposable
{
    public SampledTrainingFixture()
    {
        Folder = Path.Combine(Path.GetTempPath(), "leadml-sampled-" + Guid.NewGuid().ToString("N"));
        SampleGenerator.Write(Path.Combine(Folder, "history"), new SampleOptions { Leads = 6000, TruthProbabilities = false });
        Full = Train("full", null);
        Default = Train("default-share", 1);
        Sampled = Train("sampled", 0.3);
    }

    private TrainingSummary Train(string name, double? share) => TrainingRun.Run(new TrainOptions
    {
        History = Path.Combine(Folder, "history"), Out = Path.Combine(Folder, name), NegativeShare = share,
        Search = new() { Depths = [2], MinChildWeights = [1], TreesOnly = true },
    });

    public string Folder { get; }
    internal TrainingSummary Full { get; }
    internal TrainingSummary Default { get; }
    internal TrainingSummary Sampled { get; }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}

public sealed class SampledTrainingTests(SampledTrainingFixture runs) : IClassFixture<SampledTrainingFixture>
{
    [Fact]
    public void Run_SmallHistory_FitsEveryRow_AsAnExplicitShareOfOne()
    {
        // A small history is not sampled: the same rows, the same model, the same predictions as with every row.
        Assert.False(runs.Full.Manifest.Settings.ContainsKey("negativeShare"));
        Assert.Equal(runs.Default.Metrics.Test!.RocAuc, runs.Full.Metrics.Test!.RocAuc);
        Assert.Equal(runs.Default.Metrics.Test.LogLoss, runs.Full.Metrics.Test.LogLoss);
        Assert.Equal(runs.Default.Metrics.Chosen!.Description, runs.Full.Metrics.Chosen!.Description);
        Assert.Equal(File.ReadAllBytes(Path.Combine(runs.Full.BundleDirectory, ModelBundle.TreesFile)),
            File.ReadAllBytes(Path.Combine(runs.Default.BundleDirectory, ModelBundle.TreesFile)));
    }

    [Fact]
    public void Run_SampledRows_ReportsRatesOfTheFullPeriods()
    {
        var full = runs.Full.Metrics;
        var sampled = runs.Sampled.Metrics;

        Assert.Equal(full.PositiveRateByPeriod, sampled.PositiveRateByPeriod);
        Assert.Equal(runs.Full.Manifest.Window.Train, runs.Sampled.Manifest.Window.Train);
        Assert.Equal(runs.Full.Manifest.Window.Test, runs.Sampled.Manifest.Window.Test);
        Assert.Equal(full.Test!.Rows, sampled.Test!.Rows);
        Assert.Equal(full.Test.Positives, sampled.Test.Positives);
        Assert.Equal(full.Validation!.Positives, sampled.Validation!.Positives);
    }

    [Fact]
    public void Run_SampledRows_StaysCalibratedAndSaysSo()
    {
        var full = runs.Full.Metrics;
        var sampled = runs.Sampled.Metrics;

        Assert.Equal("0.3", runs.Sampled.Manifest.Settings["negativeShare"]);
        Assert.Contains("30% of the", sampled.Chosen!.Why, StringComparison.Ordinal);
        Assert.Contains("weighted 3.33 ×", sampled.Chosen.Why, StringComparison.Ordinal);
        // The weights keep the learnt conversion rate that of the period: calibration error and log-loss stay close to
        // the full fit's, where an unweighted sample would overstate every probability about threefold.
        Assert.InRange(sampled.Test!.Ece!.Value, 0, full.Test!.Ece!.Value + 0.01);
        Assert.InRange(sampled.Test.LogLoss!.Value, 0, full.Test.LogLoss!.Value * 1.03);
        Assert.InRange(sampled.Test.RocAuc!.Value, full.Test.RocAuc!.Value - 0.02, 1);
    }
}
