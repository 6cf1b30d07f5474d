using System.Globalization;
using System.Text;
using LeadML.Features.Engine;
using LeadML.Features.Evaluation;
using LeadML.Features.History;
using LeadML.Features.Reporting;
using LeadML.Features.Rules;
using LeadML.Features.Snapshots;

namespace LeadML.Features.Bundles;

/// <summary>What a recalibration wrote.</summary>
/// <param name="Bundle">The new bundle version (saved).</param>
/// <param name="Fit">What its calibration was fitted on, with the calibration error before and after.</param>
/// <param name="Outcomes">The outcomes it was fitted on: their first and last cut-off (single tables: row time), rows
/// and conversions.</param>
public sealed record RecalibrationResult(ModelBundle Bundle, CalibrationFit Fit, PeriodSummary Outcomes);

/// <summary>
/// Refits only a bundle's calibration on recent outcomes and writes it as a new bundle version: the trees or weights,
/// features, suggested points and thresholds stay; <c>calibration.json</c>, the manifest (a new model version that
/// names the one it came from, and the outcomes' period) and the metrics' calibration record change. Used by
/// <c>leadml recalibrate</c> and <c>POST /admin/models/{name}/recalibrate</c>. The outcomes are the latest complete
/// horizon of the history: the snapshots at the cut-offs of the last horizon whose outcomes are all known, after the
/// bundle last learnt (its training window), scored by the bundle's own model.
/// </summary>
public static class Recalibration
{
    /// <summary>Fewer conversions than this cannot carry a calibration: the fit is refused.</summary>
    public const int MinPositives = 20;

    /// <summary>Recalibrates <paramref name="bundle"/> on <paramref name="history"/> and saves the result in
    /// <paramref name="output"/>, which must not exist yet (nothing already written is replaced).</summary>
    /// <param name="bundle">The bundle whose model is kept.</param>
    /// <param name="history">Recent history with outcomes (a folder or the lead store), read with the bundle's features.</param>
    /// <param name="output">The new bundle's folder.</param>
    /// <param name="now">When the new version is made (its model version and creation time).</param>
    /// <param name="from">Fit on every complete outcome from this cut-off (single tables: row time) on, instead of
    /// the latest horizon; must be after the bundle's training window.</param>
    /// <param name="progress">Reports each step.</param>
    /// <exception cref="InvalidDataException">The folder exists, the history's horizon differs from the bundle's, or it
    /// has no (or too few) complete outcomes after the bundle's training window.</exception>
    public static RecalibrationResult Run(ModelBundle bundle, LeadHistory history, string output, DateTime now, DateTime? from = null,
        Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(history);
        var full = Path.GetFullPath(output);
        if (Directory.Exists(full) || File.Exists(full))
        {
            throw new InvalidDataException($"{output} already exists: a recalibration writes a new bundle version and never replaces one; name a new folder");
        }
        var window = bundle.Manifest.Window;
        if (history.Kind != HistoryKind.SingleTable && history.Schema.HorizonDays != window.HorizonDays)
        {
            throw new InvalidDataException(
                $"the history's horizon is {history.Schema.HorizonDays} days but the bundle's model predicts conversion within {window.HorizonDays} days: set horizonDays to {window.HorizonDays} in the schema");
        }
        progress?.Invoke("Building snapshots with the bundle's features");
        var s = SnapshotBuilder.Build(history, spec: bundle.Spec);
        var rows = Outcomes(s, history.Kind, window, from);
        var x = new float[rows.Count * s.Width];
        var y = new float[rows.Count];
        for (var k = 0; k < rows.Count; k++)
        {
            s.Row(rows[k]).CopyTo(x.AsSpan(k * s.Width, s.Width));
            y[k] = s.Y[rows[k]];
        }
        var positives = y.Count(v => v > 0.5f);
        var first = s.Cutoff[rows[0]];
        var last = s.Cutoff[rows[^1]];
        var span = Describe(first, last, window.Time, history.Kind);
        if (positives < MinPositives || rows.Count - positives < MinPositives)
        {
            throw new InvalidDataException(
                $"{rows.Count:N0} lead snapshots with complete outcomes ({span}) hold {positives:N0} conversions and {rows.Count - positives:N0} others; at least {MinPositives} of each are needed to refit a calibration");
        }

        progress?.Invoke($"Scoring {rows.Count:N0} lead snapshots ({span}) with {bundle.Manifest.ModelVersion}");
        var margins = BundlePredictor.For(bundle).Margins(x, rows.Count, s.Width);
        var choice = CalibrationFitter.Choose(margins, y);
        var before = Metrics.ExpectedCalibrationError([.. margins.Select(bundle.Calibration.Apply)], y);
        var after = Metrics.ExpectedCalibrationError(CalibrationFitter.CrossValidatedProbabilities(margins, y), y);
        var outcomes = new PeriodSummary(first, last, rows.Count, positives);

        var name = Path.GetFileName(full);
        var manifest = bundle.Manifest with
        {
            Name = name,
            ModelVersion = $"{name}-{now:yyyyMMdd'T'HHmmss'Z'}",
            CreatedAt = now,
            RecalibratedFrom = bundle.Manifest.ModelVersion,
            Window = window with { Calibration = outcomes },
        };
        var fit = new CalibrationFit("recentOutcomes", choice.Chosen.Kind.ToString(), choice.Why,
            [new CalibrationOrigin(span, rows.Count, positives, 0)])
        {
            RecalibratedFrom = bundle.Manifest.ModelVersion,
            EceBefore = Math.Round(before, 6),
            EceAfter = Math.Round(after, 6),
        };
        var metrics = bundle.Metrics with
        {
            CalibrationFit = fit,
            Comparison = null,
            Chosen = bundle.Metrics.Chosen is { } c ? c with { Calibration = choice.Chosen.Kind.ToString() } : null,
        };
        var next = new ModelBundle
        {
            Manifest = manifest, Spec = bundle.Spec, Trees = bundle.Trees, Linear = bundle.Linear, Calibration = choice.Chosen, Metrics = metrics,
        };
        progress?.Invoke($"Writing {manifest.ModelVersion}");
        var rules = bundle.ReadOptional<RuleSet>(ModelBundle.SuggestedRuleSetFile);
        var extra = OtherFiles(bundle);
        extra[ReportWriter.FileName] = Encoding.UTF8.GetBytes(ReportWriter.Render(manifest, metrics, rules));
        next.Save(full, extra);
        return new RecalibrationResult(next, fit, outcomes);
    }

    /// <summary>The rows to fit on: after the bundle last learnt and from <paramref name="from"/>; without it, for
    /// event histories, the cut-offs of the last horizon (the latest whose outcomes are all known).</summary>
    private static List<int> Outcomes(SnapshotSet s, HistoryKind kind, TrainingWindow window, DateTime? from)
    {
        var learnt = window.LearntUntil;
        if (from is { } f && f <= learnt)
        {
            throw new InvalidDataException(
                $"{f:yyyy-MM-dd}, the first day to fit from, is within the bundle's training window (it learnt from outcomes until {learnt:yyyy-MM-dd}): recalibrate on later outcomes only");
        }
        var after = Enumerable.Range(0, s.Rows).Where(i => s.Cutoff[i] > learnt && (from is null || s.Cutoff[i] >= from)).ToList();
        if (after.Count == 0)
        {
            throw new InvalidDataException(
                $"the history has no lead snapshot with a complete outcome after {learnt:yyyy-MM-dd}, when the bundle last learnt: outcomes are complete {window.HorizonDays} days after a cut-off; recalibrate when they are");
        }
        if (from is not null || kind == HistoryKind.SingleTable) return after;
        var lastCut = after.Max(i => s.Cutoff[i]);
        var horizonStart = lastCut.AddDays(-window.HorizonDays);
        return [.. after.Where(i => s.Cutoff[i] > horizonStart)];
    }

    private static string Describe(DateTime first, DateTime last, HistoryTime time, HistoryKind kind)
    {
        string D(DateTime t) => time == HistoryTime.Dates ? t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : time == HistoryTime.MonthNames ? $"{t.ToString("MMM", CultureInfo.InvariantCulture)}, year {t.Year - HistoryReader.SyntheticStart.Year + 1}"
            : $"row time {t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";
        if (kind == HistoryKind.SingleTable) return first == last ? $"leads of {D(first)}" : $"leads of {D(first)} – {D(last)}";
        return first == last ? $"cut-off {D(first)}" : $"cut-offs {D(first)} – {D(last)}";
    }

    /// <summary>The bundle's files this class does not rewrite (suggested points, evaluation sample, drift reference…).</summary>
    private static Dictionary<string, byte[]> OtherFiles(ModelBundle bundle)
    {
        var written = new HashSet<string>(StringComparer.Ordinal)
        {
            ModelBundle.ManifestFile, ModelBundle.FeaturesFile, ModelBundle.TreesFile, ModelBundle.LinearFile, ModelBundle.CalibrationFile,
            ModelBundle.MetricsFile, ReportWriter.FileName,
        };
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        if (bundle.Directory is null) return files;
        foreach (var path in Directory.EnumerateFiles(bundle.Directory))
        {
            var file = Path.GetFileName(path);
            if (!written.Contains(file)) files[file] = File.ReadAllBytes(path);
        }
        return files;
    }
}
