namespace LeadML.Features.History;

/// <summary>Whether a history carries an event log or is a single table of leads with an outcome column.</summary>
public enum HistoryKind
{
    /// <summary><c>leads.csv</c> (+ optional <c>events.csv</c>) with <c>converted_at</c>: snapshots at cut-offs.</summary>
    Events,
    /// <summary>One row per lead with a 0/1 outcome and a time order; each row is one training example.</summary>
    SingleTable,
}
