using System.Diagnostics;
using System.Globalization;
using System.Text;
using LeadML.Features.Bundles;
using LeadML.Features.Engine;
using LeadML.Features.Evaluation;
using LeadML.Features.History;
using LeadML.Features.Snapshots;
using LeadML.Features.Store;
using LeadML.Trainer.Modeling;
using LeadML.Trainer.Sample;
using LeadML.Trainer.Training;

namespace LeadML.Trainer.Bench;

/// <summary>One data set's line in the calibration table.</summary>
internal sealed record CalibrationResult(string DataSet, int TestRows, double TestRate, double ModelEce, double? BaselineEce, double? Target,
    string RecalibratedOn, int RecalibrationRows, double RestRate, int RestRows, double RestEceBefore, double RestEceAfter, string Trend, string Calibration,
    double Seconds)
{
    /// <summary>Where the level goes wrong: the validation period's rate (the calibration's level), the mean probability
    /// the model and the baseline give the test rows, and the test ECE once the model's probabilities are moved to the
    /// test rate (one log-odds shift, known only afterwards: what is left is the shape's error).</summary>
    public Diagnosis? Diagnosis { get; init; }

    /// <summary>The test target: ≤ 0.02 on the sample, no worse than the baseline on the real data sets.</summary>
    public bool Met => ModelEce <= (Target ?? BaselineEce ?? double.NaN);

    public bool RecalibrationMet => RestEceAfter <= CalibrationBench.RecalibratedTarget;
}

/// <summary>See <see cref="CalibrationResult.Diagnosis"/>. <paramref name="Months"/>: each test month's rows and rate;
/// <paramref name="RollingPlatt"/> and <paramref name="RollingLevel"/>: the ECE of every test month after the first,
/// each recalibrated on the month before it (Platt refit, or only the level moved to that month's rate).</summary>
internal sealed record Diagnosis(double ValidationRate, double MeanPredicted, double? BaselineMeanPredicted, double LevelMatchedEce, string Months,
    double RollingPlatt, double RollingLevel)
{
    /// <summary>The test ECE once the model's probabilities take their level from the whole history (training +
    /// validation: the mean probability there moved to their conversion rate, as a logistic regression's intercept
    /// averages them), instead of from the latest period; and that history-wide rate.</summary>
    public double HistoryWideEce { get; init; } = double.NaN;
    public double HistoryWideRate { get; init; } = double.NaN;
}

/// <summary>
/// <c>calibration</c>: trains the sample history for three generator seeds and the three public data sets with the
/// pipeline of <c>leadml train</c>, and measures on the out-of-time test period the expected calibration error of the
/// model (targets: ≤ 0.02 on the sample; on the real data no worse than a scikit-learn logistic regression fitted on
/// the same training + validation rows, the same features, in the same run), then refits the calibration on the first
/// month of test as <c>leadml recalibrate</c> does and measures the rest of test (target ≤ 0.03).
/// </summary>
internal static class CalibrationBench
{
    public const double SampleTarget = 0.02;
    public const double RecalibratedTarget = 0.03;
    public static readonly ulong[] SampleSeeds = [42, 7, 1234];

    public static IReadOnlyList<CalibrationResult> Run(string schemasFolder, string workFolder, IEnumerable<string>? only, int sampleLeads, int origins,
        string python, Action<string> log)
    {
        var wanted = only?.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var script = Path.GetFullPath(Path.Combine(schemasFolder, "..", "..", "bench", "calibration_baseline.py"));
        var results = new List<CalibrationResult>();
        if (wanted is null || wanted.Contains("sample"))
        {
            foreach (var seed in SampleSeeds)
            {
                var folder = Path.Combine(workFolder, $"sample-{seed}");
                var history = Path.Combine(folder, "history");
                log($"sample seed {seed}: generating {sampleLeads:N0} leads");
                SampleGenerator.Write(history, new SampleOptions { Leads = sampleLeads, Seed = seed, TruthProbabilities = false });
                results.Add(Measure($"sample (seed {seed})", history, folder, SampleTarget, origins, python, script, log));
            }
        }
        foreach (var (name, schema, _, _) in QualityBench.DataSets)
        {
            if (wanted is not null && !wanted.Contains(name)) continue;
            results.Add(Measure(name, Path.Combine(schemasFolder, schema), Path.Combine(workFolder, name), null, origins, python, script, log));
        }
        return results;
    }

    private static CalibrationResult Measure(string name, string history, string folder, double? target, int origins, string python, string script,
        Action<string> log)
    {
        var watch = Stopwatch.StartNew();
        log($"{name}: training (one thread)");
        var model = Path.Combine(folder, "model");
        var summary = TrainingRun.Run(new TrainOptions
        {
            History = history, Out = model, Search = new SearchOptions { Threads = 1, CalibrationOrigins = origins },
        }, s => log($"  {watch.Elapsed:mm\\:ss} {s}"));
        var seconds = watch.Elapsed.TotalSeconds;
        var bundle = ModelBundle.Load(model);
        var h = StoreHistory.ReadAny(history, null);
        var s = SnapshotBuilder.Build(h, spec: bundle.Spec);
        var test = Rows(s, i => s.Period[i] == Period.Test);
        var fitted = Rows(s, i => s.Period[i] != Period.Test);
        var predictor = BundlePredictor.For(bundle);
        var (testX, testY) = Matrix(s, test);
        var margins = predictor.Margins(testX, test.Count, s.Width);
        var modelEce = Metrics.ExpectedCalibrationError([.. margins.Select(bundle.Calibration.Apply)], testY);

        double? baseline = null;
        double[]? baselineP = null;
        if (target is null)
        {
            log($"{name}: scikit-learn logistic regression on the same {fitted.Count:N0} training + validation rows");
            baselineP = Baseline(s, fitted, test, folder, python, script);
            baseline = Metrics.ExpectedCalibrationError(baselineP, testY);
        }

        // The first month of test: its first cut-off (event histories) or the rows of its first calendar month.
        var firstTime = s.Cutoff[test[0]];
        var first = test.Select((row, k) => (row, k))
            .Where(p => h.Kind == HistoryKind.SingleTable ? s.Cutoff[p.row].Year == firstTime.Year && s.Cutoff[p.row].Month == firstTime.Month : s.Cutoff[p.row] == firstTime)
            .Select(p => p.k).ToHashSet();
        var rest = Enumerable.Range(0, test.Count).Where(k => !first.Contains(k)).ToArray();
        var firstK = first.Order().ToArray();
        var recalibration = CalibrationFitter.Choose([.. firstK.Select(k => margins[k])], [.. firstK.Select(k => testY[k])]).Chosen;
        var restY = rest.Select(k => testY[k]).ToArray();
        var before = Metrics.ExpectedCalibrationError([.. rest.Select(k => bundle.Calibration.Apply(margins[k]))], restY);
        var after = Metrics.ExpectedCalibrationError([.. rest.Select(k => recalibration.Apply(margins[k]))], restY);
        string MonthLabel(DateTime t) => h.Kind == HistoryKind.SingleTable
            ? (bundle.Manifest.Window.Time == HistoryTime.MonthNames ? TrainingRun.MonthName(t) : t.ToString("yyyy-MM", CultureInfo.InvariantCulture))
            : $"cut-off {t:yyyy-MM-dd}";
        var diagnosis = Diagnose(s, h.Kind, test, margins, testY, bundle.Calibration, baselineP, MonthLabel);
        var (fittedX, fittedY) = Matrix(s, fitted);
        var fittedP = predictor.Margins(fittedX, fitted.Count, s.Width).Select(bundle.Calibration.Apply).ToArray();
        var historyShift = LevelShift(fittedP, fittedY);
        diagnosis = diagnosis with
        {
            HistoryWideEce = Metrics.ExpectedCalibrationError(Shifted([.. margins.Select(bundle.Calibration.Apply)], historyShift), testY),
            HistoryWideRate = fittedY.Average(v => (double)v),
        };
        var label = MonthLabel(firstTime);
        var m = summary.Metrics;
        log($"{name}: test ECE {modelEce:F4}{(baseline is { } b ? $" (scikit-learn {b:F4})" : "")}; rest of test {before:F4} → {after:F4} after recalibrating on {label}");
        return new CalibrationResult(name, test.Count, testY.Average(v => (double)v), modelEce, baseline, target, label, firstK.Length,
            restY.Length == 0 ? 0 : restY.Average(v => (double)v), rest.Length, before, after,
            m.RateTrend is { } t ? string.Create(CultureInfo.InvariantCulture, $"{(t.Moving ? "moving" : "steady")}: {t.Early.Rate:0.0%} → {t.Late.Rate:0.0%}") : "–",
            $"{m.Chosen?.Description}; {m.CalibrationFit?.Kind} on {m.CalibrationFit?.Origins.Sum(o => o.Rows):N0} rows, {m.CalibrationFit?.Origins.Count} origins",
            seconds) { Diagnosis = diagnosis };
    }

    /// <summary>The test month of each test row: its cut-off (event histories) or its calendar month (single tables).</summary>
    private static DateTime MonthOf(SnapshotSet s, HistoryKind kind, int row) =>
        kind == HistoryKind.SingleTable ? new DateTime(s.Cutoff[row].Year, s.Cutoff[row].Month, 1) : s.Cutoff[row];

    private static Diagnosis Diagnose(SnapshotSet s, HistoryKind kind, List<int> test, double[] margins, float[] testY, Calibration calibration, double[]? baselineP,
        Func<DateTime, string> monthLabel)
    {
        var c = CultureInfo.InvariantCulture;
        var validation = Rows(s, i => s.Period[i] == Period.Validation);
        var validationRate = validation.Count == 0 ? double.NaN : validation.Average(i => (double)s.Y[i]);
        var p = margins.Select(calibration.Apply).ToArray();
        var matched = Metrics.ExpectedCalibrationError(Shifted(p, LevelShift(p, testY)), testY);
        var months = Enumerable.Range(0, test.Count).GroupBy(k => MonthOf(s, kind, test[k])).OrderBy(g => g.Key).Select(g => g.ToArray()).ToList();
        var monthText = string.Join("; ", months.Select(g => string.Create(c,
            $"{monthLabel(s.Cutoff[test[g[0]]])}: {g.Length:N0}, {g.Average(k => (double)testY[k]):0.0%}")));
        // Every month after the first, recalibrated on the month before it, pooled.
        var platt = new List<double>();
        var level = new List<double>();
        var rollingY = new List<float>();
        for (var m = 1; m < months.Count; m++)
        {
            var before = months[m - 1];
            var fit = CalibrationFitter.Choose([.. before.Select(k => margins[k])], [.. before.Select(k => testY[k])]).Chosen;
            var shift = LevelShift([.. before.Select(k => p[k])], [.. before.Select(k => testY[k])]);
            foreach (var k in months[m])
            {
                platt.Add(fit.Apply(margins[k]));
                level.Add(Shifted([p[k]], shift)[0]);
                rollingY.Add(testY[k]);
            }
        }
        var y = rollingY.ToArray();
        return new Diagnosis(validationRate, p.Average(), baselineP?.Average(), matched, monthText,
            y.Length == 0 ? double.NaN : Metrics.ExpectedCalibrationError([.. platt], y), y.Length == 0 ? double.NaN : Metrics.ExpectedCalibrationError([.. level], y));
    }

    /// <summary>The log-odds shift δ that makes the mean of sigmoid(logit(p) + δ) equal the rate of <paramref name="y"/>
    /// (maximum likelihood for an offset alone), by bisection.</summary>
    private static double LevelShift(double[] p, float[] y)
    {
        var target = y.Average(v => (double)v);
        double lo = -10, hi = 10;
        for (var i = 0; i < 100; i++)
        {
            var mid = (lo + hi) / 2;
            if (Shifted(p, mid).Average() < target) lo = mid;
            else hi = mid;
        }
        return (lo + hi) / 2;
    }

    private static double[] Shifted(double[] p, double shift) =>
        [.. p.Select(v => Calibration.Sigmoid(Math.Log(Math.Clamp(v, 1e-9, 1 - 1e-9) / (1 - Math.Clamp(v, 1e-9, 1 - 1e-9))) + shift))];

    private static List<int> Rows(SnapshotSet s, Func<int, bool> take) => [.. Enumerable.Range(0, s.Rows).Where(take)];

    private static (float[] X, float[] Y) Matrix(SnapshotSet s, List<int> rows)
    {
        var x = new float[rows.Count * s.Width];
        var y = new float[rows.Count];
        for (var k = 0; k < rows.Count; k++)
        {
            s.Row(rows[k]).CopyTo(x.AsSpan(k * s.Width, s.Width));
            y[k] = s.Y[rows[k]];
        }
        return (x, y);
    }

    /// <summary>The scikit-learn logistic regression's test probabilities: the feature matrices go to CSV files, the
    /// script fits on the first and predicts the second.</summary>
    private static double[] Baseline(SnapshotSet s, List<int> fitted, List<int> test, string folder, string python, string script)
    {
        var train = Path.Combine(folder, "baseline-train.csv");
        var testCsv = Path.Combine(folder, "baseline-test.csv");
        var output = Path.Combine(folder, "baseline-p.txt");
        WriteCsv(s, fitted, train);
        WriteCsv(s, test, testCsv);
        var start = new ProcessStartInfo(python) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { script, train, testCsv, output }) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {python}");
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidDataException($"{script} failed ({process.ExitCode}): {errors}");
        var p = File.ReadLines(output).Select(l => double.Parse(l, CultureInfo.InvariantCulture)).ToArray();
        if (p.Length != test.Count) throw new InvalidDataException($"{script} wrote {p.Length} probabilities for {test.Count} test rows");
        return p;
    }

    private static void WriteCsv(SnapshotSet s, List<int> rows, string path)
    {
        using var w = new StreamWriter(path);
        w.WriteLine(string.Join(",", Enumerable.Range(0, s.Width).Select(j => $"f{j}")) + ",y");
        var line = new StringBuilder();
        foreach (var i in rows)
        {
            line.Clear();
            foreach (var v in s.Row(i))
            {
                if (!float.IsNaN(v)) line.Append(v.ToString("R", CultureInfo.InvariantCulture));
                line.Append(',');
            }
            line.Append(s.Y[i] > 0.5f ? '1' : '0');
            w.WriteLine(line);
        }
    }

    /// <summary>The markdown table of BENCHMARKS.md.</summary>
    public static string Markdown(IReadOnlyList<CalibrationResult> results)
    {
        var c = CultureInfo.InvariantCulture;
        var s = new StringBuilder();
        s.AppendLine("| data set | test rows | test rate | model test ECE | target | met | recalibrated on (rows) | rest of test: rows, rate | ECE before → after recalibrating (≤ 0.03) | met | conversion rate early → late | model; calibration | seconds |");
        s.AppendLine("|---|---:|---:|---:|---|:-:|---|---|---|:-:|---|---|---:|");
        foreach (var r in results)
        {
            var target = r.Target is { } t ? string.Create(c, $"≤ {t:0.00}") : string.Create(c, $"≤ scikit-learn LR {r.BaselineEce:F4}");
            s.AppendLine(c,
                $"| {r.DataSet} | {r.TestRows:N0} | {r.TestRate:0.0%} | {r.ModelEce:F4} | {target} | {(r.Met ? "✓" : "✗")} | {r.RecalibratedOn} ({r.RecalibrationRows:N0}) | {r.RestRows:N0}, {r.RestRate:0.0%} | {r.RestEceBefore:F4} → {r.RestEceAfter:F4} | {(r.RecalibrationMet ? "✓" : "✗")} | {r.Trend} | {r.Calibration} | {r.Seconds:F0} |");
        }
        s.AppendLine();
        s.AppendLine("| data set | validation rate | test rate | mean probability on test: model / scikit-learn LR | test ECE, model moved to the test rate | test ECE, level from the whole history (its rate) | each test month after the first recalibrated on the month before: Platt / level only | test months (rows, rate) |");
        s.AppendLine("|---|---:|---:|---|---:|---|---|---|");
        foreach (var r in results)
        {
            if (r.Diagnosis is not { } d) continue;
            s.AppendLine(c,
                $"| {r.DataSet} | {d.ValidationRate:0.0%} | {r.TestRate:0.0%} | {d.MeanPredicted:0.0%} / {(d.BaselineMeanPredicted is { } b ? b.ToString("0.0%", c) : "–")} | {d.LevelMatchedEce:F4} | {d.HistoryWideEce:F4} ({d.HistoryWideRate:0.0%}) | {d.RollingPlatt:F4} / {d.RollingLevel:F4} | {d.Months} |");
        }
        return s.ToString();
    }
}
