namespace LeadML.Features.History;

/// <summary>Whether a history carries an event log or is a single table of leads with an outcome column.</summary>
public enum HistoryKind
{
    /// <summary><c>leads.csv</c> (+ optional <c>events.csv</c>) with <c>converted_at</c>: snapshots at cut-offs.</summary>
    Events,
    /// <summary>One row per lead with a 0/1 outcome and a time order; each row is one training example.</summary>
    SingleTable,
}

/// <summary>All leads of a history, in memory (memory grows with leads, not events).</summary>
public sealed class LeadTable
{
    private readonly Dictionary<string, int> _index;

    public LeadTable(IReadOnlyList<AttributeColumn> columns, IReadOnlyList<Lead> leads)
    {
        Columns = columns;
        Leads = leads;
        _index = new Dictionary<string, int>(leads.Count, StringComparer.Ordinal);
        for (var i = 0; i < leads.Count; i++)
        {
            _index[leads[i].Id] = i;
        }
    }

    /// <summary>Attribute columns (explicit criteria), in file order, without role and ignored columns.</summary>
    public IReadOnlyList<AttributeColumn> Columns { get; }

    /// <summary>The leads, in file order.</summary>
    public IReadOnlyList<Lead> Leads { get; }

    /// <summary>Finds a lead's index by id.</summary>
    public bool TryGetIndex(string id, out int index) => _index.TryGetValue(id, out index);
}

/// <summary>A history as read: its schema, its leads, and its events (streamed on demand), plus what reading it found.</summary>
public sealed class LeadHistory
{
    public required HistoryKind Kind { get; init; }
    public required HistorySchema Schema { get; init; }
    public required LeadTable Leads { get; init; }
    /// <summary>The event log, or null when the history has none.</summary>
    public IEventSource? Events { get; init; }
    /// <summary>What reading the leads found (inferred types, skipped rows).</summary>
    public required ReadReport Report { get; init; }
    /// <summary>The leads file as read (the path given or resolved).</summary>
    public required string LeadsPath { get; init; }
    /// <summary>The schema file read, or null when the default schema was used.</summary>
    public string? SchemaPath { get; init; }
    /// <summary>Every file the history depends on (leads, events, schema, outcome), in that order, for a data
    /// fingerprint.</summary>
    public IReadOnlyList<string> Files { get; init; } = [];
    /// <summary>A fingerprint of data read from somewhere other than files (a store), or null when
    /// <see cref="Files"/> are the data.</summary>
    public string? Fingerprint { get; init; }
}
