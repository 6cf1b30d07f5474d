using System.Diagnostics;
using System.Text.Json.Nodes;
using LeadML.Features.Bundles;
using LeadML.Features.Engine;
using LeadML.Features.Snapshots;
using LeadML.Features.Store;
using LeadML.Trainer.Modeling;
using LeadML.Trainer.Points;
using LeadML.Trainer.Training;

namespace LeadML.Trainer.Bench;

/// <summary>
/// The suggested points of a bundle's own trees suggested again from its history, without training: what a change to
/// the points' suggestion does to the recovery of the sample's true effects, in seconds rather than a training run.
/// </summary>
internal static class RepointsBench
{
    /// <summary>Trains <paramref name="bundle"/> on <paramref name="history"/> with trees of one depth (as <c>quality
    /// --sample-trees</c>) when it does not exist yet, then suggests its points again and measures their recovery.</summary>
    public static string Run(string history, string bundle, int depth, int threads, PointsOptions points, Action<string> log)
    {
        if (!File.Exists(Path.Combine(bundle, ModelBundle.TreesFile)))
        {
            var watch = Stopwatch.StartNew();
            TrainingRun.Run(new TrainOptions
            {
                History = history, Out = bundle,
                Search = new SearchOptions { TreesOnly = true, Depths = [depth], MinChildWeights = [1], Threads = threads },
            }, s => log($"  {watch.Elapsed:mm\\:ss} {s}"));
        }
        var saved = ModelBundle.Load(bundle);
        var read = StoreHistory.ReadAny(history, null, null);
        var s = SnapshotBuilder.Build(read, null);
        var valid = s.View(Period.Validation);
        var test = s.View(Period.Test);
        var trainVal = s.View(Period.Train, Period.Validation);
        using var model = new TrainedModel
        {
            Kind = ModelKind.Trees, Booster = Booster.Load(File.ReadAllBytes(Path.Combine(bundle, ModelBundle.TreesFile))),
            Settings = new Dictionary<string, string>(), Description = "saved trees", Complexity = depth,
        };
        var modelAuc = saved.Metrics.Test?.RocAuc;
        var result = Suggestion.Run(s, valid, test, model, "repoints", DateTime.UnixEpoch, modelAuc, points, null, (trainVal.X, trainVal.Y, trainVal.Rows));
        var truth = JsonNode.Parse(File.ReadAllText(Path.Combine(history, "truth.json")))!.AsObject();
        var sample = EvaluationSample.Read(bundle);
        var recovery = TruthRecovery.Evaluate(truth, result.Rules, saved.Spec, sample);
        var figures = result.PointsOnly.Test;
        return TruthRecovery.Format(recovery) + $"\npoints-only test ROC-AUC {figures.RocAuc:F4} ({figures.Ratio:F3} × the model's), {result.Rules.Criteria.Count} criteria\n"
            + string.Join('\n', result.Rules.Criteria.Select(c => $"  {c.Points,4} {c.Label}"));
    }
}
