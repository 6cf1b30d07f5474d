using LeadML.Trainer.Sample;
using LeadML.Trainer.Training;

namespace LeadML.Api.Tests.Fixtures;

/// <summary>
/// A sample history and a bundle trained on it, made once per test run (about 10 s) and shared by every Api test
/// class through the <see cref="BundleCollection"/>. Tests that change a bundle copy it first (<see cref="CopyTo"/>).
/// </summary>
public sealed class TrainedBundle : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"leadml-api-{Guid.NewGuid():N}");

    public TrainedBundle()
    {
        History = Path.Combine(_root, "history");
        Directory = Path.Combine(_root, "models", "sample");
        SampleGenerator.Write(History, new SampleOptions { Leads = 4000, TruthProbabilities = false });
        TrainingRun.Run(new TrainOptions { History = History, Out = Directory, Search = new() { Depths = [2, 3], MinChildWeights = [1], TreesOnly = true } });
    }

    /// <summary>The sample history folder (leads.csv, events.csv, leadml.json, truth.json).</summary>
    public string History { get; }

    /// <summary>The trained bundle folder (gradient-boosted trees, the usual case served).</summary>
    public string Directory { get; }

    /// <summary>Copies the bundle into a fresh folder (under a fresh parent) and returns its path.</summary>
    public string CopyTo(string name = "sample")
    {
        var target = Path.Combine(_root, "copies", Guid.NewGuid().ToString("N"), name);
        System.IO.Directory.CreateDirectory(target);
        foreach (var f in System.IO.Directory.GetFiles(Directory)) File.Copy(f, Path.Combine(target, Path.GetFileName(f)));
        return target;
    }

    public void Dispose()
    {
        if (System.IO.Directory.Exists(_root)) System.IO.Directory.Delete(_root, true);
    }
}

/// <summary>The Api tests on the trained bundle: one at a time, and not beside any other test collection, because the
/// Api's metrics (alerts raised, webhook posts, rescoring rounds) count for the whole process and several of these tests
/// check how much they moved.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BundleCollection : ICollectionFixture<TrainedBundle>
{
    public const string Name = "trained bundle";
}
