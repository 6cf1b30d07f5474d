using System.Globalization;
using System.Text;

namespace LeadML.Features.History;

/// <summary>A human-readable description of a history as read, so that a mapping can be checked before training.</summary>
public static class HistorySummary
{
    private const int TopLevels = 5;

    /// <summary>Describes files, lead and conversion counts, the creation time range, every attribute column with its
    /// type (inferred or set) and top levels or range, event totals by type (streaming the events once when
    /// <paramref name="includeEvents"/>), skipped rows and the reader's notes. One item per line.</summary>
    public static string Describe(LeadHistory history, bool includeEvents = true)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        var leads = history.Leads.Leads;
        sb.AppendLine(inv, $"History ({(history.Kind == HistoryKind.SingleTable ? "single table" : "events")})");
        sb.AppendLine("Files:");
        foreach (var file in history.Files) sb.AppendLine(inv, $"  {Path.GetFileName(file)}");

        var converted = history.Kind == HistoryKind.SingleTable
            ? leads.Count(l => l.Outcome == true)
            : leads.Count(l => l.ConvertedAt is not null);
        var rate = leads.Count == 0 ? 0 : 100.0 * converted / leads.Count;
        sb.AppendLine(inv, $"Leads: {leads.Count:N0}");
        sb.AppendLine(inv, $"Converted: {converted:N0} ({rate:F2} %)");
        if (leads.Count > 0)
        {
            var min = leads.Min(l => l.CreatedAt);
            var max = leads.Max(l => l.CreatedAt);
            // Synthetic times only order the rows: say so rather than print invented dates.
            switch (history.Report.Time)
            {
                case HistoryTime.RowOrder:
                    sb.AppendLine(inv, $"Time: row order only (rows 1 .. {leads.Count:N0}); the export has no dates");
                    break;
                case HistoryTime.MonthNames:
                    sb.AppendLine(inv, $"Time: months {Month(min)} .. {Month(max)}; the export names months, not years");
                    break;
                default:
                    sb.AppendLine(inv, $"Created: {min:yyyy-MM-dd} .. {max:yyyy-MM-dd}");
                    break;
            }
        }

        var columns = history.Leads.Columns;
        sb.AppendLine(inv, $"Columns ({columns.Count}):");
        var width = columns.Count == 0 ? 0 : columns.Max(c => c.Name.Length);
        for (var c = 0; c < columns.Count; c++)
        {
            var col = columns[c];
            var type = $"{col.Type.ToString().ToLowerInvariant()} ({(col.Inferred ? "inferred" : "set")})";
            sb.AppendLine(inv, $"  {col.Name.PadRight(width)}  {type,-19} {Values(leads, c, col.Type)}");
            if (col.NegativeCategories.Count > 0)
            {
                sb.AppendLine(inv, $"  {"".PadRight(width)}  negative: {string.Join(", ", col.NegativeCategories)}");
            }
        }

        var report = history.Report;
        if (history.Events is null)
        {
            sb.AppendLine("Events: none");
        }
        else if (includeEvents)
        {
            var byType = new Dictionary<string, long>(StringComparer.Ordinal);
            long total = 0;
            foreach (var e in history.Events.ReadEvents(report))
            {
                total++;
                byType[e.Type] = byType.GetValueOrDefault(e.Type) + 1;
            }
            sb.AppendLine(inv, $"Events: {total:N0}");
            foreach (var (type, count) in byType.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal))
            {
                sb.AppendLine(inv, $"  {type}: {count:N0}");
            }
        }

        if (report.Skips.Count > 0)
        {
            sb.AppendLine("Skipped:");
            foreach (var (reason, skip) in report.Skips)
            {
                sb.AppendLine(inv, $"  {reason}: {skip.Count:N0} (e.g. {string.Join("; ", skip.Examples)})");
            }
        }
        if (report.Notes.Count > 0)
        {
            sb.AppendLine("Notes:");
            foreach (var note in report.Notes) sb.AppendLine(inv, $"  {note}");
        }
        return sb.ToString();
    }

    private static string Values(IReadOnlyList<Lead> leads, int c, ColumnType type)
    {
        var inv = CultureInfo.InvariantCulture;
        if (type is ColumnType.Category or ColumnType.Flag)
        {
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            var missing = 0;
            foreach (var lead in leads)
            {
                if (lead.Categories[c] is { } v) counts[v] = counts.GetValueOrDefault(v) + 1;
                else missing++;
            }
            var top = counts.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Take(TopLevels)
                .Select(p => string.Create(inv, $"{p.Key} {p.Value:N0}"));
            var more = counts.Count > TopLevels ? ", …" : "";
            return string.Create(inv, $"{counts.Count} levels: {string.Join(", ", top)}{more}{Missing(missing)}");
        }
        var values = leads.Select(l => l.Numbers[c]).Where(x => !double.IsNaN(x)).Order().ToArray();
        var gaps = leads.Count - values.Length;
        if (values.Length == 0) return "all missing";
        if (type == ColumnType.Date)
        {
            static string Day(double d) => DateTime.UnixEpoch.AddDays(d).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            return $"{Day(values[0])} .. {Day(values[^1])}{Missing(gaps)}";
        }
        return string.Create(inv, $"min {values[0]:G6}, median {values[values.Length / 2]:G6}, max {values[^1]:G6}{Missing(gaps)}");
    }

    /// <summary>A synthesised month start as its month and which year of the history it is.</summary>
    private static string Month(DateTime d) =>
        $"{d.ToString("MMM", CultureInfo.InvariantCulture)} (year {d.Year - HistoryReader.SyntheticStart.Year + 1})";

    private static string Missing(int count) =>
        count == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $", missing {count:N0}");
}
