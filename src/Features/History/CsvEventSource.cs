using LeadML.Features.Featurization;

namespace LeadML.Features.History;

/// <summary>
/// The event log of a history as a CSV file (<c>events.csv</c>: lead id, timestamp, type, optional detail), streamed:
/// each <see cref="ReadEvents"/> call re-reads the file and keeps only the current row, so memory does not grow with
/// the number of events. Lead ids are mapped to indexes in the lead table; types are lower-cased; type and detail
/// strings are interned per read.
/// </summary>
public sealed class CsvEventSource : IEventSource
{
    private readonly EventsFileSchema _schema;
    private readonly LeadTable _leads;
    private readonly string _leadsFileName;

    private CsvEventSource(string path, EventsFileSchema schema, LeadTable leads, string leadsFileName)
    {
        Path = path;
        _schema = schema;
        _leads = leads;
        _leadsFileName = leadsFileName;
    }

    /// <summary>The events file.</summary>
    public string Path { get; }

    /// <summary>Opens an events file and checks its header now, so that a missing column is reported before any
    /// streaming starts.</summary>
    /// <param name="path">The events file.</param>
    /// <param name="schema">Its column mapping.</param>
    /// <param name="leads">The leads the events refer to.</param>
    /// <param name="leadsFileName">The leads file's name, for messages about unknown lead ids.</param>
    /// <exception cref="HistoryFormatException">The file is missing or empty, or lacks a required column.</exception>
    public static CsvEventSource Open(string path, EventsFileSchema schema, LeadTable leads, string leadsFileName = "leads.csv")
    {
        using (var csv = CsvFile.Open(path, schema.Delimiter, "events.delimiter"))
        {
            _ = ColumnsOf(csv, schema);
        }
        return new CsvEventSource(path, schema, leads, leadsFileName);
    }

    /// <summary>Streams every event in file order. An unknown lead id is an error unless the schema says
    /// <c>unknownLeads: skip</c>, in which case each such row is counted in <paramref name="report"/> (pass a fresh
    /// report to a second read if the counts should not add up).</summary>
    /// <exception cref="HistoryFormatException">An unknown lead id (by default), an unparsable timestamp, an empty type,
    /// or a ragged row; the message names file, line and column.</exception>
    public IEnumerable<LeadEvent> ReadEvents(ReadReport report)
    {
        using var csv = CsvFile.Open(Path, _schema.Delimiter, "events.delimiter");
        var (id, timestamp, type, detail) = ColumnsOf(csv, _schema);
        var pool = new TextPool();
        while (csv.Read())
        {
            var leadId = csv[id];
            if (!_leads.TryGetIndex(leadId, out var index))
            {
                if (_schema.UnknownLeads == UnknownLeadPolicy.Skip)
                {
                    report.Skip($"{csv.Name}: lead id not in {_leadsFileName}", $"{csv.Name} line {csv.Line} ('{leadId}')");
                    continue;
                }
                throw csv.Error(_schema.LeadId,
                    $"lead id '{leadId}' is not in {_leadsFileName} (set \"events\": {{ \"unknownLeads\": \"skip\" }} in the schema to skip such events)");
            }
            var time = csv[timestamp];
            if (!AttributeText.TryParseDate(time, _schema.DateFormat, out var when))
            {
                throw csv.Error(_schema.Timestamp, _schema.DateFormat is null
                    ? $"value '{time}' is not a date/time (ISO 8601 such as 2024-03-01T14:30:00Z; or set events.dateFormat)"
                    : $"value '{time}' does not match events.dateFormat '{_schema.DateFormat}'");
            }
            var kind = csv[type];
            if (kind.Length == 0) throw csv.Error(_schema.Type, "the event type is empty");
            string? text = null;
            if (detail >= 0)
            {
                var d = csv[detail];
                if (!AttributeText.IsMissing(d)) text = pool.Intern(d);
            }
            yield return new LeadEvent(index, when, pool.Intern(kind.ToLowerInvariant()), text);
        }
    }

    private static (int Id, int Timestamp, int Type, int Detail) ColumnsOf(CsvFile csv, EventsFileSchema schema)
    {
        int Required(string column, string setting) =>
            csv.IndexOf(column) is var i and >= 0 ? i : throw csv.MissingColumn(column, setting);
        return (Required(schema.LeadId, "events.leadId"), Required(schema.Timestamp, "events.timestamp"),
            Required(schema.Type, "events.type"), schema.Detail is null ? -1 : csv.IndexOf(schema.Detail));
    }
}
