namespace LeadML.Features.History;

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
