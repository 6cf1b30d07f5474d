namespace LeadML.Api.Store;

public sealed partial class LeadStore
{
    /// <summary>Every open lead of a model (not converted) with its events, oldest first, one lead at a time: two reads
    /// (the leads, then all their events in lead order), not one query per lead. Nothing is locked or written.</summary>
    public async IAsyncEnumerable<(StoredLead Lead, List<StoredEvent> Events)> OpenLeadsAsync(string model,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        var open = (await Sql.ListAsync(c, null, $"SELECT {LeadColumns} FROM leads WHERE model = @m AND converted_at IS NULL", ReadLead, ct, ("m", model)))
            .ToDictionary(l => l.Id, StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        await using (var command = Sql.Command(c, null, """
            SELECT e.lead_id, e.event_id, e.ts, e.type, e.detail FROM events e
            JOIN leads l ON l.model = e.model AND l.id = e.lead_id AND l.converted_at IS NULL
            WHERE e.model = @m ORDER BY e.lead_id, e.ts, e.seq
            """, ("m", model)))
        await using (var r = await command.ExecuteReaderAsync(ct))
        {
            // Rows of one lead come together (ordered by lead): a lead is handed on when the next one starts.
            string? current = null;
            var events = new List<StoredEvent>();
            while (await r.ReadAsync(ct))
            {
                var id = r.GetString(0);
                if (id != current)
                {
                    if (current is not null && open.TryGetValue(current, out var done) && seen.Add(current)) yield return (done, events);
                    current = id;
                    events = [];
                }
                events.Add(new StoredEvent(r.GetString(1), Sql.Time(Sql.Long(r, 2)), r.GetString(3), Sql.NullableString(r, 4)));
            }
            if (current is not null && open.TryGetValue(current, out var last) && seen.Add(current)) yield return (last, events);
        }
        foreach (var (id, lead) in open)
        {
            if (!seen.Contains(id)) yield return (lead, []);
        }
    }
}
