using System.Globalization;
using CsvHelper;

namespace LeadML.Api.Bench;

/// <summary>A lead of a sample history, as <c>POST /leads/bulk</c> takes it.</summary>
internal sealed record SampleLead(string Id, DateTime CreatedAt, DateTime? ConvertedAt, Dictionary<string, string> Attributes);

/// <summary>An event of a sample history, as <c>POST /events</c> takes it.</summary>
internal sealed record SampleEvent(string EventId, DateTime Timestamp, string Type, string? Detail);

/// <summary>
/// The first N leads of a history folder written by <c>leadml sample</c> (<c>leads.csv</c>, <c>events.csv</c>) and
/// their events, streamed lead by lead. The events file must hold each lead's events together, in the leads file's
/// order (as <c>leadml sample</c> writes it): reading stops after the last chosen lead's events, so a small N does not
/// read a large file to its end. Times are moved by <see cref="Shift"/> so that the history ends an hour before the
/// benchmark starts, as a live store's would (the sample's own dates are in the past, where rescoring stops).
/// </summary>
internal sealed class SampleHistory
{
    private readonly string _eventsPath;
    private readonly HashSet<string> _chosen;

    private SampleHistory(string eventsPath, List<SampleLead> leads, TimeSpan shift)
    {
        _eventsPath = eventsPath;
        Leads = leads;
        Shift = shift;
        _chosen = new HashSet<string>(leads.Select(l => l.Id), StringComparer.Ordinal);
    }

    public List<SampleLead> Leads { get; }

    /// <summary>How far every time of the sample is moved forward.</summary>
    public TimeSpan Shift { get; }

    /// <summary>Reads the first <paramref name="count"/> leads, and their events once to find the latest time.</summary>
    public static SampleHistory Open(string folder, int count, DateTime now)
    {
        var leadsPath = Path.Combine(folder, "leads.csv");
        var eventsPath = Path.Combine(folder, "events.csv");
        var leads = new List<SampleLead>(count);
        using (var csv = Reader(leadsPath))
        {
            var header = csv.Headers.Select(h => h.Trim()).ToArray();
            int id = Array.IndexOf(header, "lead_id"), created = Array.IndexOf(header, "created_at"), convertedAt = Array.IndexOf(header, "converted_at");
            while (leads.Count < count && csv.Read())
            {
                var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
                for (var i = 0; i < header.Length; i++)
                {
                    if (i == id || i == created || i == convertedAt) continue;
                    if (Field(csv, i) is { } v) attributes[header[i]] = v;
                }
                leads.Add(new SampleLead(Field(csv, id)!, Time(Field(csv, created)!), Field(csv, convertedAt) is { } c ? Time(c) : null, attributes));
            }
        }
        if (leads.Count < count) throw new ArgumentException($"{leadsPath} holds {leads.Count:N0} leads; {count:N0} were asked for");
        var history = new SampleHistory(eventsPath, leads, TimeSpan.Zero);
        var latest = leads.Max(l => l.ConvertedAt ?? l.CreatedAt);
        foreach (var (_, events) in history.Events())
        {
            foreach (var e in events) if (e.Timestamp > latest) latest = e.Timestamp;
        }
        var shift = TimeSpan.FromSeconds(Math.Floor((now - TimeSpan.FromHours(1) - latest).TotalSeconds));
        return new SampleHistory(eventsPath, [.. leads.Select(l => l with { CreatedAt = l.CreatedAt + shift, ConvertedAt = l.ConvertedAt + shift })], shift);
    }

    /// <summary>The chosen leads' events, one lead at a time, times shifted.</summary>
    public IEnumerable<(string LeadId, List<SampleEvent> Events)> Events()
    {
        using var csv = Reader(_eventsPath);
        var header = csv.Headers.Select(h => h.Trim()).ToArray();
        int eventId = Array.IndexOf(header, "event_id"), leadId = Array.IndexOf(header, "lead_id"), timestamp = Array.IndexOf(header, "timestamp"),
            type = Array.IndexOf(header, "type"), detail = Array.IndexOf(header, "detail");
        string? current = null;
        var events = new List<SampleEvent>();
        var done = new HashSet<string>(StringComparer.Ordinal);
        while (csv.Read())
        {
            var id = Field(csv, leadId)!;
            if (id != current)
            {
                if (current is not null)
                {
                    yield return (current, events);
                    events = [];
                }
                if (!_chosen.Contains(id))
                {
                    if (done.Count > 0) yield break; // past the chosen leads' block
                    current = null;
                    continue;
                }
                if (!done.Add(id)) throw new InvalidDataException($"{_eventsPath} line {csv.LineNumber}: the events of lead '{id}' are not together");
                current = id;
            }
            if (current is null) continue;
            events.Add(new SampleEvent(Field(csv, eventId)!, Time(Field(csv, timestamp)!) + Shift, Field(csv, type)!, Field(csv, detail)));
        }
        if (current is not null) yield return (current, events);
    }

    private static CsvReader Reader(string path)
    {
        var csv = CsvReader.Create(File.OpenRead(path), new CsvReaderOptions { HasHeader = true, TrackLineNumbers = true, PoolStrings = true }, false);
        csv.ReadHeader();
        return csv;
    }

    /// <summary>A field of the current row, or null when it is empty.</summary>
    private static string? Field(CsvReader csv, int index) => index >= 0 && csv.GetString(index) is { Length: > 0 } v ? v : null;

    private static DateTime Time(string text) =>
        DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
}
