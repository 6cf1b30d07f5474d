using System.Diagnostics;
using System.Globalization;
using System.Text;
using LeadML.Trainer.Modeling;
using LeadML.Trainer.Training;

namespace LeadML.Trainer.Bench;

/// <summary>One history's line: today's search, and the search before FastTree joined it.</summary>
internal sealed record LearnersResult(
    string DataSet, string Chosen, bool FastTreeChosen, double TestAuc, double TestAucBefore, double Seconds, double SecondsBefore,
    double BestXGBoostValidation, double BestFastTreeValidation, double XGBoostSecondsPerCandidate, double FastTreeSecondsPerCandidate, string Load);

/// <summary>
/// <c>learners</c>: how often ML.NET FastTree wins the model search, and what it costs. Each history (sample
/// histories and the three public data sets) is trained twice with the same pipeline as <c>leadml train</c>: with
/// today's search including FastTree (<c>--fasttree</c>; XGBoost's min child weights tried at the best depth only), and with the
/// search before it (XGBoost's full grid, no FastTree), so that test ROC-AUC and time compare directly. A candidate's
/// seconds are the time between its progress line and the next: one candidate's own time only with <c>--threads 1</c>,
/// since with more threads XGBoost's candidates are fitted side by side.
/// </summary>
internal static class LearnersBench
{
    public static IReadOnlyList<LearnersResult> Run(IReadOnlyList<(string Name, string History)> histories, string workFolder, int threads, Action<string> log)
    {
        var results = new List<LearnersResult>();
        foreach (var (name, history) in histories)
        {
            var load = CurveBench.Load();
            log($"{name}: today's search (load {load})");
            var all = Train(history, Path.Combine(workFolder, name + "-now"), new SearchOptions { Threads = threads, FastTreeLeaves = SearchOptions.FastTreeIncludedLeaves }, log);
            log($"{name}: the search before FastTree (load {CurveBench.Load()})");
            var without = Train(history, Path.Combine(workFolder, name + "-before"), new SearchOptions { Threads = threads, FullGrid = true, FastTreeLeaves = [] }, log);
            var candidates = all.Summary.Metrics.Candidates;
            double Best(bool fastTree) => candidates.Where(c => IsFastTree(c.Settings) == fastTree && c.Kind == Features.Bundles.ModelKind.Trees)
                .Select(c => c.ValidationRocAuc).DefaultIfEmpty(double.NaN).Max();
            var chosen = all.Summary.Metrics.Chosen!;
            results.Add(new LearnersResult(name, chosen.Description, IsFastTree(chosen.Settings),
                all.Summary.Metrics.Test?.RocAuc ?? double.NaN, without.Summary.Metrics.Test?.RocAuc ?? double.NaN, all.Seconds, without.Seconds,
                Best(false), Best(true), Mean(all.Steps, "Candidate: trees depth"), Mean(all.Steps, "Candidate: FastTree"), load));
        }
        return results;
    }

    private static bool IsFastTree(IReadOnlyDictionary<string, string> settings) =>
        settings.TryGetValue("model", out var model) && model == ModelSearch.FastTreeModelName;

    private static double Mean(IReadOnlyList<(string Step, double Seconds)> steps, string prefix) =>
        steps.Where(s => s.Step.StartsWith(prefix, StringComparison.Ordinal)).Select(s => s.Seconds).DefaultIfEmpty(double.NaN).Average();

    private static (TrainingSummary Summary, double Seconds, List<(string Step, double Seconds)> Steps) Train(string history, string output, SearchOptions search, Action<string> log)
    {
        var watch = Stopwatch.StartNew();
        var starts = new List<(string Step, double At)>();
        var summary = TrainingRun.Run(new TrainOptions { History = history, Out = output, Search = search }, s =>
        {
            starts.Add((s, watch.Elapsed.TotalSeconds));
            log($"  {watch.Elapsed:mm\\:ss} {s}");
        });
        var seconds = watch.Elapsed.TotalSeconds;
        var steps = starts.Select((s, i) => (s.Step, (i + 1 < starts.Count ? starts[i + 1].At : seconds) - s.At)).ToList();
        return (summary, seconds, steps);
    }

    public static string Markdown(IReadOnlyList<LearnersResult> results, int threads)
    {
        var s = new StringBuilder();
        s.AppendLine(CultureInfo.InvariantCulture, $"Measured at load average {CurveBench.Load()} (end of run) on {Environment.ProcessorCount} cores, {threads} training thread(s).");
        s.AppendLine();
        s.AppendLine("| history | load at start | chosen | FastTree won | best validation ROC-AUC, XGBoost / FastTree | test ROC-AUC now / before | s per candidate, XGBoost / FastTree | train s now / before |");
        s.AppendLine("|---|---:|---|:-:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            s.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.DataSet} | {r.Load} | {r.Chosen} | {(r.FastTreeChosen ? "yes" : "no")} | {r.BestXGBoostValidation:F4} / {r.BestFastTreeValidation:F4} | {r.TestAuc:F4} / {r.TestAucBefore:F4} ({r.TestAuc - r.TestAucBefore:+0.0000;-0.0000}) | {r.XGBoostSecondsPerCandidate:F1} / {r.FastTreeSecondsPerCandidate:F1} | {r.Seconds:F0} / {r.SecondsBefore:F0} |");
        }
        s.AppendLine();
        s.AppendLine(CultureInfo.InvariantCulture, $"FastTree won {results.Count(r => r.FastTreeChosen)} of {results.Count} searches.");
        return s.ToString();
    }
}
