using LeadML.Features.Rules;
using LeadML.Features.Bundles;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using LeadML.Features.Evaluation;
using LeadML.Trainer.Evaluation;
using LeadML.Trainer.Modeling;
using LeadML.Trainer.Sample;
using LeadML.Trainer.Training;

namespace LeadML.Trainer.Bench;

/// <summary>One data set's line in the quality table.</summary>
internal sealed record QualityResult(
    string DataSet, int Rows, int TestRows, double ModelAuc, double Target, string TargetNote, double? PointsAuc,
    string ChosenModel, double Seconds)
{
    /// <summary>Criteria in the default (compact) table.</summary>
    public int Criteria { get; init; }
    /// <summary>Points-only test ROC-AUC of the table with every band (<c>--max-criteria 0</c>), and its criteria.</summary>
    public double? EveryBandAuc { get; init; }
    public int EveryBandCriteria { get; init; }
    /// <summary>Criteria → points-only ROC-AUC (validation, test) as the compact table grew.</summary>
    public IReadOnlyList<(int Criteria, double? Validation, double? Test)> Curve { get; init; } = [];
    public double? EveryBandRatio => EveryBandAuc / ModelAuc;

    /// <summary>More to report below the table (the sample's recovery of its true effects).</summary>
    public string? Details { get; init; }

    /// <summary>The sample's recovery of its true effects, with the generator seed.</summary>
    public (ulong Seed, RecoveryResult Result)? Recovery { get; init; }

    /// <summary>Whether the model's test ROC-AUC reaches the target.</summary>
    public bool Met => ModelAuc >= Target;
    public double? PointsRatio => PointsAuc / ModelAuc;
}

/// <summary>
/// <c>quality</c>: trains on the sample history and on the three public data sets with the same pipeline
/// as <c>leadml train</c>, and compares the out-of-time test ROC-AUC with its targets (and the points-only
/// AUC with 0.97 × the model's). The sample's target is the AUC of its true probabilities on the same test
/// rows, less 0.01.
/// </summary>
internal static class QualityBench
{
    /// <summary>The public data sets, their schema file (in <c>data/schemas</c>) and the test ROC-AUC peers reached on
    /// the same out-of-time test period.</summary>
    public static readonly (string Name, string Schema, double Target, string Note)[] DataSets =
    [
        ("bank-additional", "bank-additional.json", 0.740, "last 8,238 rows in file order"),
        ("online-shoppers", "online-shoppers.json", 0.686, "Nov + Dec"),
        ("olist", "olist.json", 0.689, "first contact ≥ 2018-04-24"),
    ];

    public const double PointsRatioTarget = 0.97;
    /// <summary>The default (compact) table's target: at most <see cref="MaxCriteria"/> criteria, and this share of the model's AUC.</summary>
    public const double CompactRatioTarget = 0.96;
    public const int MaxCriteria = 25;
    public const double SampleTolerance = 0.01;
    /// <summary>Recovery targets: Spearman of the suggested against the true effects, overall and on behaviour alone.</summary>
    public const double SpearmanTarget = 0.95, BehaviourSpearmanTarget = 0.9;

    /// <param name="sample">The generated sample history (default: 20,000 leads, seed 42, as <c>leadml sample</c>).</param>
    /// <param name="seeds">Generator seeds to run the sample with, one history each (default: the seed of <paramref name="sample"/>).</param>
    public static IReadOnlyList<QualityResult> Run(string schemasFolder, string workFolder, IEnumerable<string>? only, Action<string> log,
        SampleOptions? sample = null, IReadOnlyList<ulong>? seeds = null, SearchOptions? sampleSearch = null)
    {
        var wanted = only?.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var results = new List<QualityResult>();
        if (wanted is null || wanted.Contains("sample"))
        {
            sample ??= new SampleOptions();
            foreach (var seed in seeds is { Count: > 0 } ? seeds : [sample.Seed])
            {
                results.Add(Sample(Path.Combine(workFolder, $"sample-{seed}"), sample with { Seed = seed }, log, sampleSearch));
            }
        }
        foreach (var (name, schema, target, note) in DataSets)
        {
            if (wanted is not null && !wanted.Contains(name)) continue;
            var path = Path.Combine(schemasFolder, schema);
            log($"{name}: training on {path}");
            var (metrics, seconds) = Train(path, Path.Combine(workFolder, name), log);
            results.Add(Result(name, metrics, target, note, seconds));
        }
        return results;
    }

    private static QualityResult Sample(string folder, SampleOptions options, Action<string> log, SearchOptions? search)
    {
        var history = Path.Combine(folder, "history");
        log($"sample: generating {options.Leads:N0} leads (seed {options.Seed}){(options.TruthProbabilities ? " with true probabilities" : "")}");
        SampleGenerator.Write(history, options);
        var (metrics, seconds) = Train(history, Path.Combine(folder, "model"), log, search);
        var truth = options.TruthProbabilities ? TruthAuc(Path.Combine(history, "truth-probabilities.csv"), metrics) : (Auc: double.NaN, ObservableAuc: double.NaN, Rows: 0);
        log($"sample: truth ROC-AUC {truth.Auc:F4} (observable-history ceiling {truth.ObservableAuc:F4}) on {truth.Rows:N0} rows of the test cut-offs");
        // Do the suggested points recover the generator's true effects? (Spearman ≥ 0.9, right signs, no post-conversion criteria.)
        var bundle = ModelBundle.Load(Path.Combine(folder, "model"));
        var truthJson = JsonNode.Parse(File.ReadAllText(Path.Combine(history, "truth.json")))!.AsObject();
        var recovery = TruthRecovery.Evaluate(truthJson, bundle.ReadOptional<RuleSet>(ModelBundle.SuggestedRuleSetFile)!, bundle.Spec, EvaluationSample.Read(bundle.Directory!));
        var defaults = new SampleOptions();
        var name = options.Leads == defaults.Leads && options.Seed == defaults.Seed ? "sample" : $"sample ({options.Leads:N0} leads, seed {options.Seed})";
        log($"sample seed {options.Seed}: recovery Spearman {recovery.Spearman:F3}, behaviour alone {recovery.BehaviourSpearman:F3}, wrong signs {recovery.WrongSigns.Count}");
        return Result(name, metrics, truth.Auc - SampleTolerance,
            $"truth AUC {truth.Auc:F4} − 0.01 ({truth.Rows:N0} truth rows); observable-history ceiling {truth.ObservableAuc:F4}, model {metrics["test"]!["rocAuc"]!.GetValue<double>() - truth.ObservableAuc:+0.0000;-0.0000} from it", seconds) with
        {
            Details = $"Recovery of the true effects by the suggested points on the sample history, seed {options.Seed} (targets: Spearman ≥ {SpearmanTarget}, behaviour effects alone ≥ {BehaviourSpearmanTarget}, every effect of magnitude ≥ 0.3 with the right sign, no criterion on post-conversion events):\n\n" + TruthRecovery.Format(recovery),
            Recovery = (options.Seed, recovery),
        };
    }

    private static (JsonObject Metrics, double Seconds) Train(string history, string output, Action<string> log, SearchOptions? search = null)
    {
        var watch = Stopwatch.StartNew();
        var summary = TrainingRun.Run(new TrainOptions { History = history, Out = output, Search = search ?? new SearchOptions() }, s => log($"  {watch.Elapsed:mm\\:ss} {s}"));
        return (summary.Metrics.ToJsonObject(), watch.Elapsed.TotalSeconds);
    }

    /// <summary>The ROC-AUC of the true probabilities (the oracle's) and of the probabilities given the observable
    /// history only, over the rows of the model's test cut-offs.</summary>
    internal static (double Auc, double ObservableAuc, int Rows) TruthAuc(string truthCsv, JsonObject metrics)
    {
        var testCutoffs = metrics["positiveRateByPeriod"]!.AsArray()
            .Where(n => n!["period"]!.GetValue<string>() == "test")
            .Select(n => n!["cutoff"]!.GetValue<string>())
            .ToHashSet(StringComparer.Ordinal);
        var p = new List<double>();
        var q = new List<double>();
        var y = new List<float>();
        foreach (var line in File.ReadLines(truthCsv).Skip(1))
        {
            var f = line.Split(',');
            if (!testCutoffs.Contains(f[0][..10])) continue;
            p.Add(double.Parse(f[2], CultureInfo.InvariantCulture));
            y.Add(f[3] == "1" ? 1f : 0f);
            q.Add(double.Parse(f[4], CultureInfo.InvariantCulture));
        }
        if (p.Count == 0)
        {
            throw new InvalidDataException($"{truthCsv} has no rows at the test cut-offs {string.Join(", ", testCutoffs)}");
        }
        return (Metrics.RocAuc([.. p], [.. y]), Metrics.RocAuc([.. q], [.. y]), p.Count);
    }

    private static QualityResult Result(string name, JsonObject m, double target, string note, double seconds)
    {
        var test = m["test"]!;
        var rows = 0;
        foreach (var period in m["positiveRateByPeriod"]!.AsArray()) rows += period!["rows"]!.GetValue<int>();
        if (rows == 0) rows = test["rows"]!.GetValue<int>() + m["validation"]!["rows"]!.GetValue<int>();
        var points = m["pointsOnly"];
        var curve = points?["curve"]?.AsArray().Select(c => (c!["criteria"]!.GetValue<int>(), c["validationRocAuc"]?.GetValue<double>(), c["testRocAuc"]?.GetValue<double>())).ToList() ?? [];
        var compactAuc = points?["test"]?["rocAuc"]?.GetValue<double>();
        var criteria = points?["criteria"]?.GetValue<int>() ?? 0;
        return new QualityResult(name, rows, test["rows"]!.GetValue<int>(), test["rocAuc"]!.GetValue<double>(), target, note,
            compactAuc, m["chosen"]?["description"]?.GetValue<string>() ?? "", seconds)
        {
            Criteria = criteria,
            Curve = curve,
            // Without compaction (the table already short) the table is the one with every band.
            EveryBandAuc = curve.Count > 0 ? curve[^1].Item3 : compactAuc,
            EveryBandCriteria = points?["everyBand"]?.GetValue<int>() ?? criteria,
        };
    }

    /// <summary>The markdown table of BENCHMARKS.md.</summary>
    public static string Markdown(IReadOnlyList<QualityResult> results)
    {
        var s = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        s.AppendLine("| data set | rows | test rows | model test ROC-AUC | target | ratio to target | met | points-only AUC, default table | criteria (≤ 25) | points / model (≥ 0.96) | points-only AUC, every band | criteria | points / model (≥ 0.97) | chosen model | seconds |");
        s.AppendLine("|---|---:|---:|---:|---:|---:|:-:|---:|---:|---:|---:|---:|---:|---|---:|");
        foreach (var r in results)
        {
            var points = r.PointsAuc is { } pa ? pa.ToString("F4", c) : "–";
            var ratio = r.PointsRatio is { } pr ? $"{pr.ToString("F3", c)} {(pr >= CompactRatioTarget ? "✓" : "✗")}" : "–";
            var every = r.EveryBandAuc is { } ea ? ea.ToString("F4", c) : "–";
            var everyRatio = r.EveryBandRatio is { } er ? $"{er.ToString("F3", c)} {(er >= PointsRatioTarget ? "✓" : "✗")}" : "–";
            s.AppendLine(c,
                $"| {r.DataSet} | {r.Rows:N0} | {r.TestRows:N0} | {r.ModelAuc:F4} | {r.Target:F3} ({r.TargetNote}) | {r.ModelAuc / r.Target:F3} | {(r.Met ? "✓" : "✗")} | {points} | {r.Criteria} {(r.Criteria <= MaxCriteria ? "✓" : "✗")} | {ratio} | {every} | {r.EveryBandCriteria} | {everyRatio} | {r.ChosenModel} | {r.Seconds:F1} |");
        }
        s.AppendLine().AppendLine("What a shorter table costs: points-only ROC-AUC as the default table grows, criterion family by family (validation / test; the table is chosen on training + validation), the last entry the table with every band:").AppendLine();
        foreach (var r in results.Where(r => r.Curve.Count > 0))
        {
            s.Append("- ").Append(r.DataSet).Append(": ").AppendLine(string.Join(" · ", r.Curve.Select(p =>
                string.Create(c, $"{p.Criteria} → {(p.Validation is { } v ? v.ToString("F3", c) : "–")} / {(p.Test is { } t ? t.ToString("F3", c) : "–")}"))));
        }
        var recoveries = results.Where(r => r.Recovery is not null).Select(r => r.Recovery!.Value).ToList();
        if (recoveries.Count > 0)
        {
            s.AppendLine().AppendLine(c, $"Recovery of the sample's true effects by the default table, per generator seed (targets: Spearman ≥ {SpearmanTarget}, behaviour alone ≥ {BehaviourSpearmanTarget}, no wrong sign on an effect ≥ 0.3, no criterion on post-conversion events):").AppendLine();
            s.AppendLine("| seed | Spearman | behaviour alone | wrong signs (≥ 0.3) | post-conversion criteria | criteria on channels without effect |");
            s.AppendLine("|---:|---:|---:|---|---:|---|");
            foreach (var (seed, r) in recoveries)
            {
                s.AppendLine(c, $"| {seed} | {r.Spearman:F3} {(r.Spearman >= SpearmanTarget ? "✓" : "✗")} | {r.BehaviourSpearman:F3} {(r.BehaviourSpearman >= BehaviourSpearmanTarget ? "✓" : "✗")} | {(r.WrongSigns.Count == 0 ? "none ✓" : string.Join(", ", r.WrongSigns) + " ✗")} | {r.PostConversionCriteria.Count} | {(r.ZeroEffectCriteria.Count == 0 ? "none" : string.Join(", ", r.ZeroEffectCriteria))} |");
            }
        }
        foreach (var r in results.Where(r => r.Details is not null)) s.AppendLine().AppendLine(r.Details);
        return s.ToString();
    }
}
