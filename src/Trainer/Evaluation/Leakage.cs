using System.Globalization;
using LeadML.Features.Bundles;
using LeadML.Features.Evaluation;
using LeadML.Features.Featurization;
using LeadML.Features.History;

namespace LeadML.Trainer.Evaluation;

/// <summary>
/// The leak guard: finds what predicts the outcome too well to be true, usually because it is recorded after the lead
/// converts (a CRM status set by sales after contact, a "won" date, a call's duration), so a model would learn nothing
/// usable before conversion. It looks at whole columns (a one-column model), at single category values, at the model's
/// validation ROC-AUC, and at event kinds that converted leads do mostly after converting. Each finding carries its
/// evidence (<see cref="LeakFinding"/>).
/// </summary>
internal static class Leakage
{
    /// <summary>A column whose one-column model reaches this ROC-AUC on training leads is flagged.</summary>
    public const double ColumnAuc = 0.9;

    /// <summary>A category value held by at least this many leads …</summary>
    public const int LevelLeads = 20;

    /// <summary>… of which at least this share converted is flagged.</summary>
    public const double LevelRate = 0.95;

    /// <summary>A model whose validation ROC-AUC reaches this is flagged.</summary>
    public const double ValidationAuc = 0.95;

    /// <summary>Folds of the cross-fitted one-column model, so that an id (one lead per value) scores as chance.</summary>
    private const int Folds = 5;

    /// <summary>Number columns are cut into at most this many bins (quantiles), plus one for missing values.</summary>
    private const int NumberBins = 10;

    /// <summary>Column and level findings over the attribute columns of <paramref name="leads"/>, measured on the
    /// leads at <paramref name="subset"/> (all when null).</summary>
    /// <param name="leads">The history's leads.</param>
    /// <param name="kind">The history's kind: it says where the outcome is (the 0/1 column, or a conversion time).</param>
    /// <param name="subset">Indexes of the leads to measure on (e.g. the training period's).</param>
    /// <param name="population">Words for those leads in messages, e.g. "training leads".</param>
    public static IReadOnlyList<LeakFinding> Attributes(LeadTable leads, HistoryKind kind, IReadOnlyList<int>? subset, string population) =>
        Attributes(leads, kind, subset, population, out _);

    /// <inheritdoc cref="Attributes(LeadTable, HistoryKind, IReadOnlyList{int}?, string)"/>
    /// <param name="strongest">The column whose one-column model ranks best, with its ROC-AUC (null without columns).</param>
    public static IReadOnlyList<LeakFinding> Attributes(LeadTable leads, HistoryKind kind, IReadOnlyList<int>? subset, string population,
        out (string Column, double RocAuc)? strongest)
    {
        strongest = null;
        ArgumentNullException.ThrowIfNull(leads);
        var rows = subset ?? Enumerable.Range(0, leads.Leads.Count).ToArray();
        var y = new float[rows.Count];
        for (var k = 0; k < rows.Count; k++)
        {
            var lead = leads.Leads[rows[k]];
            y[k] = (kind == HistoryKind.SingleTable ? lead.Outcome == true : lead.ConvertedAt is not null) ? 1f : 0f;
        }
        var converted = Metrics.CountPositives(y);
        var findings = new List<LeakFinding>();
        if (converted == 0 || converted == y.Length) return findings;
        var average = (double)converted / y.Length;
        for (var c = 0; c < leads.Columns.Count; c++)
        {
            var column = leads.Columns[c];
            var keys = Keys(leads.Leads, rows, c, column.Type);
            var auc = Metrics.RocAuc(CrossFitted(keys, y), y);
            if (strongest is not { } best || auc > best.RocAuc) strongest = (column.Name, auc);
            if (auc >= ColumnAuc)
            {
                findings.Add(new LeakFinding(LeakKind.Column,
                    $"column '{column.Name}' alone separates converted from other leads: a model of that one column ranks {rows.Count:N0} {population} "
                    + $"with ROC-AUC {Fmt(auc, "0.000")} (from {ColumnAuc:0.0} it is too good to be true). It is probably filled in after the outcome; "
                    + "if so, add it to \"ignore\" in the schema")
                {
                    Column = column.Name, RocAuc = Math.Round(auc, 4), Leads = rows.Count, Conversions = converted,
                });
            }
            if (column.Type is not (ColumnType.Category or ColumnType.Flag)) continue;
            var levels = new Dictionary<string, (int Leads, int Converted)>(StringComparer.Ordinal);
            for (var k = 0; k < rows.Count; k++)
            {
                if (leads.Leads[rows[k]].Categories[c] is not { } value) continue;
                var (n, pos) = levels.GetValueOrDefault(value);
                levels[value] = (n + 1, pos + (y[k] > 0.5f ? 1 : 0));
            }
            foreach (var (value, (n, pos)) in levels.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                var rate = (double)pos / n;
                if (n < LevelLeads || rate < LevelRate) continue;
                findings.Add(new LeakFinding(LeakKind.Level,
                    $"'{column.Name}' = '{value}': {n:N0} {population}, {Fmt(rate, "0.0%")} of them converted (all {population}: {Fmt(average, "0.0%")}). "
                    + "A value this pure is usually set after the outcome (by sales, at closing); if so, add the column to \"ignore\" in the schema")
                {
                    Column = column.Name, Level = value, Leads = n, Conversions = pos, Share = Math.Round(rate, 4),
                });
            }
        }
        return findings;
    }

    /// <summary>A finding when the model's validation ROC-AUC is at least <see cref="ValidationAuc"/>, else null.</summary>
    public static LeakFinding? Validation(double? rocAuc, int rows) =>
        rocAuc is { } auc && auc >= ValidationAuc
            ? new LeakFinding(LeakKind.ValidationAuc,
                $"the model ranks {rows:N0} validation snapshots with ROC-AUC {Fmt(auc, "0.000")}: lead scoring rarely reaches {ValidationAuc:0.00} "
                + "without a column recorded after the outcome. Check the columns the suggested points lean on most, and ignore those known only later")
            {
                RocAuc = Math.Round(auc, 4), Leads = rows,
            }
            : null;

    /// <summary>Findings for event kinds that converted leads do mostly after converting. They are already left out
    /// of the features (the point-in-time rule leaves nothing of them to learn from), so they are marked handled.</summary>
    public static IReadOnlyList<LeakFinding> Events(IReadOnlyList<PostConversionEvents> events) =>
    [
        .. events.Select(e => new LeakFinding(LeakKind.PostConversionEvent,
            $"{(e.Detail is null ? $"event type '{e.Type}'" : $"'{e.Type}' events with detail '{e.Detail}'")}: {Fmt(e.ShareAfter, "0%")} of converted leads' "
            + $"{e.Before + e.After:N0} such events came at or after their conversion. Features only see events before a lead converts, so "
            + "there is nothing of them to learn from: they are left out of the model")
        {
            EventType = e.Type, Detail = e.Detail, Share = Math.Round(e.ShareAfter, 4), Events = e.Before + e.After, Handled = true,
        }),
    ];

    /// <summary>One line per finding for a console: warnings first, then what was already handled.</summary>
    public static IEnumerable<string> Lines(IEnumerable<LeakFinding> findings) =>
        findings.OrderBy(f => f.Handled).Select(f => (f.Handled ? "note: " : "possible leak: ") + f.Message);

    /// <summary>A value's key per lead: category values by name; numbers and dates by quantile bin of the measured
    /// values; missing values their own key.</summary>
    private static int[] Keys(IReadOnlyList<Lead> leads, IReadOnlyList<int> rows, int c, ColumnType type)
    {
        var keys = new int[rows.Count];
        if (type is ColumnType.Category or ColumnType.Flag)
        {
            var ids = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var k = 0; k < rows.Count; k++)
            {
                keys[k] = leads[rows[k]].Categories[c] is { } v
                    ? (ids.TryGetValue(v, out var id) ? id : ids[v] = ids.Count + 1)
                    : 0;
            }
            return keys;
        }
        var values = rows.Select(i => leads[i].Numbers[c]).Where(v => !double.IsNaN(v)).Distinct().Order().ToArray();
        if (values.Length == 0) return keys;
        double[] edges;
        if (values.Length <= 2 * NumberBins)
        {
            edges = values;
        }
        else
        {
            var all = rows.Select(i => leads[i].Numbers[c]).Where(v => !double.IsNaN(v)).Order().ToArray();
            edges = [.. Enumerable.Range(1, NumberBins - 1).Select(b => all[(int)((long)b * all.Length / NumberBins)]).Distinct()];
        }
        for (var k = 0; k < rows.Count; k++)
        {
            var v = leads[rows[k]].Numbers[c];
            if (double.IsNaN(v)) continue;
            var at = Array.BinarySearch(edges, v);
            keys[k] = 1 + (at >= 0 ? at : ~at);
        }
        return keys;
    }

    /// <summary>Each lead's conversion rate of its key, counted on the other folds only (smoothed towards the
    /// average), so that a key seen once predicts nothing about itself.</summary>
    private static double[] CrossFitted(int[] keys, float[] y)
    {
        var scores = new double[keys.Length];
        var width = keys.Length == 0 ? 0 : keys.Max() + 1;
        var n = new int[Folds, width];
        var pos = new int[Folds, width];
        for (var k = 0; k < keys.Length; k++)
        {
            n[k % Folds, keys[k]]++;
            if (y[k] > 0.5f) pos[k % Folds, keys[k]]++;
        }
        var totalN = new int[width];
        var totalPos = new int[width];
        for (var f = 0; f < Folds; f++)
        {
            for (var key = 0; key < width; key++)
            {
                totalN[key] += n[f, key];
                totalPos[key] += pos[f, key];
            }
        }
        var prior = (double)Metrics.CountPositives(y) / Math.Max(1, y.Length);
        for (var k = 0; k < keys.Length; k++)
        {
            var f = k % Folds;
            var key = keys[k];
            var others = totalN[key] - n[f, key];
            var converted = totalPos[key] - pos[f, key];
            scores[k] = (converted + prior) / (others + 1.0);
        }
        return scores;
    }

    private static string Fmt(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);
}
