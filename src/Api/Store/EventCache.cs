namespace LeadML.Api.Store;

/// <summary>
/// The stored events of recently written leads, by (model, lead), in stored order (time, then arrival), so that
/// rescoring a lead after a new event does not read all its events back. SQLite only, where one process owns the file
/// and every transaction that reads or changes events holds the single write lock: what the cache holds is what that
/// transaction sees. Any rollback forgets everything (a rolled-back insert may be in a list), and so does passing
/// <see cref="MaxEvents"/>, which bounds the memory.
/// </summary>
internal sealed class EventCache
{
    /// <summary>Events held over all leads before the cache starts over; a lead with more than a tenth of them is
    /// never held.</summary>
    public const int MaxEvents = 200_000;

    private readonly Dictionary<(string Model, string Lead), List<StoredEvent>> _leads = [];
    private readonly Lock _lock = new();
    private int _events;

    /// <summary>A copy of the lead's events, or null when they are not held.</summary>
    public List<StoredEvent>? Get(string model, string lead)
    {
        lock (_lock) return _leads.TryGetValue((model, lead), out var events) ? [.. events] : null;
    }

    /// <summary>Holds the lead's events as just read in the writing transaction.</summary>
    public void Put(string model, string lead, List<StoredEvent> events)
    {
        lock (_lock)
        {
            if (events.Count > MaxEvents / 10) return;
            if (_leads.Remove((model, lead), out var old)) _events -= old.Count;
            if (_events + events.Count > MaxEvents) Clear();
            _leads[(model, lead)] = [.. events];
            _events += events.Count;
        }
    }

    /// <summary>Adds an event just inserted, in stored order (it has the highest arrival number so far), when the
    /// lead's events are held. Its time is the stored one: milliseconds.</summary>
    public void Added(string model, string lead, StoredEvent e)
    {
        lock (_lock)
        {
            if (!_leads.TryGetValue((model, lead), out var events)) return;
            var stored = e with { Timestamp = Sql.Time(Sql.Ms(e.Timestamp)) };
            var at = events.Count;
            while (at > 0 && events[at - 1].Timestamp > stored.Timestamp) at--;
            events.Insert(at, stored);
            if (++_events > MaxEvents) Clear();
        }
    }

    public void Remove(string model, string lead)
    {
        lock (_lock)
        {
            if (_leads.Remove((model, lead), out var old)) _events -= old.Count;
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _leads.Clear();
            _events = 0;
        }
    }
}
