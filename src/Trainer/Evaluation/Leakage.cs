using System.Globalization;
using LeadML.Features.Evaluation;

namespace LeadML.Trainer.Evaluation;

/// <summary>One feature's values over the training rows, for <see cref="Leakage.Check"/>.</summary>
/// <param name="Name">Feature name.</param>
/// <param name="Values">One value per row; NaN is missing.</param>
internal sealed record FeatureColumn(string Name, float[] Values);

/// <summary>A feature that looks like it was recorded after the outcome.</summary>
/// <param name="Feature">Feature name.</param>
/// <param name="Kind">"auc" (the feature alone nearly separates the classes) or "filledOnlyForConverted".</param>
/// <param name="Value">The evidence: the single-feature AUC, or the share of converted rows where it is filled.</param>
/// <param name="Message">One sentence for the user naming the feature, why it is suspicious and what to do.</param>
internal sealed record LeakageWarning(string Feature, string Kind, double Value, string Message);

/// <summary>
/// Finds features that predict the outcome too well to be true: usually they are filled in after the lead converts
/// (a contract number, a "won" date, the call duration), so the model would learn nothing usable before conversion.
/// </summary>
internal static class Leakage
{
    /// <summary>A feature whose AUC alone (either direction) reaches this is flagged.</summary>
    public const double SuspiciousAuc = 0.95;

    /// <summary>Flagged when filled for at least this share of converted rows …</summary>
    public const double FilledForConverted = 0.90;

    /// <summary>… and at most this share of the others …</summary>
    public const double FilledForOthers = 0.02;

    /// <summary>… with at least this many converted rows.</summary>
    public const int MinConverted = 10;

    /// <summary>Checks each column against the labels (above 0.5 = converted).</summary>
    public static IReadOnlyList<LeakageWarning> Check(IReadOnlyList<FeatureColumn> columns, float[] y)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(y);
        var converted = Metrics.CountPositives(y);
        var others = y.Length - converted;
        var warnings = new List<LeakageWarning>();
        foreach (var column in columns)
        {
            if (column.Values.Length != y.Length)
            {
                throw new ArgumentException($"feature '{column.Name}' has {column.Values.Length} values for {y.Length} labels", nameof(columns));
            }
            if (converted > 0 && others > 0)
            {
                // Missing sorts lowest, so "filled means converted" also shows up as a high AUC.
                var scores = column.Values.Select(v => float.IsNaN(v) ? double.NegativeInfinity : v).ToArray();
                var auc = Metrics.RocAuc(scores, y);
                var strength = Math.Max(auc, 1 - auc);
                if (strength >= SuspiciousAuc)
                {
                    warnings.Add(new LeakageWarning(column.Name, "auc", strength,
                        $"feature '{column.Name}' alone separates converted from other leads almost perfectly (AUC {Fmt(strength)}): "
                        + "it is probably known only after the outcome. If so, ignore it in the schema; otherwise check how it is recorded"));
                }
            }
            if (converted >= MinConverted && others > 0)
            {
                int filledConverted = 0, filledOthers = 0;
                for (var i = 0; i < y.Length; i++)
                {
                    var v = column.Values[i];
                    if (float.IsNaN(v) || v == 0) continue;
                    if (y[i] > 0.5f) filledConverted++;
                    else filledOthers++;
                }
                var shareConverted = (double)filledConverted / converted;
                var shareOthers = (double)filledOthers / others;
                if (shareConverted >= FilledForConverted && shareOthers <= FilledForOthers)
                {
                    warnings.Add(new LeakageWarning(column.Name, "filledOnlyForConverted", shareConverted,
                        $"feature '{column.Name}' is filled for {Pct(shareConverted)} of converted leads but only {Pct(shareOthers)} of the others: "
                        + "it looks recorded at or after conversion. If it is known only after the outcome, ignore it in the schema"));
                }
            }
        }
        return warnings;
    }

    /// <summary>
    /// <see cref="Check"/> over the columns of a row-major matrix (<paramref name="y"/>.Length rows ×
    /// <paramref name="width"/> features) named by <paramref name="names"/>.
    /// </summary>
    public static IReadOnlyList<LeakageWarning> Find(IReadOnlyList<string> names, float[] x, float[] y, int width)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (names.Count != width || x.Length != (long)y.Length * width)
        {
            throw new ArgumentException($"{names.Count} names and {x.Length} values do not fit {y.Length} rows × {width} features");
        }
        var columns = new FeatureColumn[width];
        for (var j = 0; j < width; j++)
        {
            var values = new float[y.Length];
            for (var i = 0; i < y.Length; i++) values[i] = x[i * width + j];
            columns[j] = new FeatureColumn(names[j], values);
        }
        return Check(columns, y);
    }

    private static string Fmt(double v) => v.ToString("F3", CultureInfo.InvariantCulture);

    private static string Pct(double v) => v.ToString("P1", CultureInfo.InvariantCulture);
}
