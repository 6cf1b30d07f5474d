using System.Text.Json.Serialization;

namespace LeadML.Features.History;

/// <summary>
/// Maps a history export onto LeadML's roles and sets how it is turned into training data. Read from a JSON file
/// (e.g. <c>leadml.json</c>); every property is optional and defaults to the names in the design
/// (<c>leads.csv</c>: <c>lead_id</c>, <c>created_at</c>, <c>converted_at</c>; <c>events.csv</c>: <c>lead_id</c>,
/// <c>timestamp</c>, <c>type</c>, <c>detail</c>).
/// </summary>
public sealed class HistorySchema
{
    /// <summary><c>events</c> (default) or <c>singleTable</c>.</summary>
    public HistoryKind Kind { get; set; } = HistoryKind.Events;

    public LeadsFileSchema Leads { get; set; } = new();

    /// <summary>The event log; ignored for single tables. When its file does not exist the history has no events.</summary>
    public EventsFileSchema Events { get; set; } = new();

    /// <summary>Single tables: where the 0/1 outcome comes from.</summary>
    public OutcomeSchema? Outcome { get; set; }

    /// <summary>Single tables: what orders rows in time. Default: the <see cref="LeadsFileSchema.CreatedAt"/> column
    /// when the file has it, else file order, where row r (0-based) is given the time 2000-01-01 + r days.</summary>
    public OrderSchema? Order { get; set; }

    /// <summary>Column types by column name where inference would guess wrong: <c>category</c>, <c>number</c>,
    /// <c>flag</c>, <c>date</c>.</summary>
    public Dictionary<string, ColumnType> Columns { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Columns left out entirely (ids, free text, anything known only after the outcome).</summary>
    public List<string> Ignore { get; set; } = [];

    /// <summary>Negative category values per column (e.g. <c>{"industry": ["Student"]}</c>).</summary>
    public Dictionary<string, List<string>> Negative { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Event types that are negative signals. Default: <c>unsubscribe</c>, <c>email_bounce</c>.</summary>
    public List<string> NegativeEventTypes { get; set; } = ["unsubscribe", "email_bounce"];

    /// <summary>The period whose snapshots are used. Default: the 12 months ending at the last event or creation
    /// time seen, less the horizon for labels to be known.</summary>
    public WindowSchema? Window { get; set; }

    /// <summary>Days after a cut-off within which a conversion counts as positive. Default 90, range 1–730.</summary>
    public int HorizonDays { get; set; } = 90;

    /// <summary>How often snapshots are taken: <c>month</c> (default, month ends) or <c>week</c>.</summary>
    public SnapshotFrequency Snapshots { get; set; } = SnapshotFrequency.Month;

    public SplitSchema Split { get; set; } = new();
}

public sealed class LeadsFileSchema
{
    public string File { get; set; } = "leads.csv";
    /// <summary>Field delimiter; detected from the header when not set.</summary>
    public string? Delimiter { get; set; }
    /// <summary>The lead id column. Single tables may set it to <c>null</c> (or lack the column): the 1-based row
    /// number is then the id. Event histories need it to join events.</summary>
    public string? Id { get; set; } = "lead_id";
    /// <summary>When the lead was created. Required for event histories; for single tables without an
    /// <see cref="HistorySchema.Order"/> a present column orders the rows in time.</summary>
    public string? CreatedAt { get; set; } = "created_at";
    /// <summary>When the lead converted; empty means not converted. Optional (a missing column means no lead converted).</summary>
    public string? ConvertedAt { get; set; } = "converted_at";
    /// <summary>Optional explicit date format (.NET custom format), else ISO 8601 and common forms are accepted.</summary>
    public string? DateFormat { get; set; }
}

public sealed class EventsFileSchema
{
    public string File { get; set; } = "events.csv";
    public string? Delimiter { get; set; }
    public string LeadId { get; set; } = "lead_id";
    public string Timestamp { get; set; } = "timestamp";
    public string Type { get; set; } = "type";
    public string? Detail { get; set; } = "detail";
    public string? DateFormat { get; set; }
    /// <summary>What to do with an event whose lead id is not in the leads file: <c>error</c> (default) or
    /// <c>skip</c> (counted and reported).</summary>
    public UnknownLeadPolicy UnknownLeads { get; set; } = UnknownLeadPolicy.Error;
}

public enum UnknownLeadPolicy { Error, Skip }

public enum SnapshotFrequency { Month, Week }

public sealed class OutcomeSchema
{
    /// <summary>The outcome column of the leads file (0/1, yes/no, true/false).</summary>
    public string? Column { get; set; }
    /// <summary>Values meaning "converted"; default: 1, yes, y, true.</summary>
    public List<string> Positive { get; set; } = ["1", "yes", "y", "true"];
    /// <summary>Alternatively: a lead converted when its id appears in another file (e.g. closed deals).</summary>
    public OutcomeFileSchema? FromFile { get; set; }
}

public sealed class OutcomeFileSchema
{
    public required string File { get; set; }
    public string? Delimiter { get; set; }
    /// <summary>The column holding the lead id.</summary>
    public required string Key { get; set; }
    /// <summary>Optional column with the conversion time.</summary>
    public string? ConvertedAt { get; set; }
}

public sealed class OrderSchema
{
    /// <summary>A column that orders rows in time; null means file order.</summary>
    public string? Column { get; set; }
    /// <summary><c>date</c> (default; ISO or <see cref="LeadsFileSchema.DateFormat"/>), <c>monthName</c>
    /// (Jan…Dec, full names too), or <c>number</c> (any number that grows with time, e.g. an id given in creation
    /// order; rows are put in its order and their times are synthetic, see <see cref="HistoryTime.RowOrder"/>).</summary>
    public OrderFormat Format { get; set; } = OrderFormat.Date;

    /// <summary><c>true</c> when the order runs backwards in time: numbers that shrink with time (e.g. "days ago"), a
    /// file with the newest row first (file order, or month names in file order). Default <c>false</c>. Dates order
    /// themselves and ignore it.</summary>
    public bool Descending { get; set; }

    /// <summary><c>monthName</c> only. <c>false</c> (default): the file is in time order, so a month earlier than the
    /// previous row's starts the next year; <c>true</c>: every row lies within one year and the file need not be in
    /// time order (rows are then ordered by month, file order within). Either way the synthesised times are month
    /// starts from 2000-01-01 (the first year is 2000).</summary>
    public bool OneYear { get; set; }

    /// <summary>Keep the order column as an attribute too (when it is known before the outcome, e.g. the month of a
    /// call, and its levels carry signal). Default false: the column only orders rows.</summary>
    public bool AlsoAttribute { get; set; }
}

public enum OrderFormat { Date, MonthName, Number }

public sealed class WindowSchema
{
    public DateTime? Start { get; set; }
    public DateTime? End { get; set; }
}

/// <summary>Train / validation / test: consecutive, disjoint periods, test last, validation just before it.</summary>
public sealed class SplitSchema
{
    /// <summary>Event histories: the number of last cut-offs used as the test period (default 3).</summary>
    public int TestCutoffs { get; set; } = 3;
    /// <summary>Event histories: the number of cut-offs before the test used for validation (default 2).</summary>
    public int ValidationCutoffs { get; set; } = 2;
    /// <summary>Single tables: the share of rows (last in time) used as test (default 0.2).</summary>
    public double TestFraction { get; set; } = 0.2;
    /// <summary>Single tables: the share of rows just before the test used as validation (default 0.2).</summary>
    public double ValidationFraction { get; set; } = 0.2;
    /// <summary>Either kind: the test period starts at this time (overrides the counts and fractions).</summary>
    public DateTime? TestFrom { get; set; }
    /// <summary>Either kind: the validation period starts at this time.</summary>
    public DateTime? ValidationFrom { get; set; }
}
