using System.ComponentModel.DataAnnotations;

namespace LeadML.Api.Leads;

/// <summary>Scheduled rescoring of stored leads (section <c>LeadML:Rescoring</c>).</summary>
public sealed class RescoringOptions
{
    public const string Section = "LeadML:Rescoring";

    /// <summary>How long after a lead was scored it is scored again (so inactivity lowers engagement). Default 1 h.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "3650.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often the store is checked for due leads and for leads scored by an older model or rule set.
    /// Default 1 minute (or the interval, when shorter).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Leads rescored per transaction. Default 200.</summary>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 200;

    /// <summary>A lead is kept on the schedule while its latest event is this recent (the longest feature window)
    /// or while it is sales-ready. Default 365 days.</summary>
    public TimeSpan ActiveWindow { get; set; } = TimeSpan.FromDays(365);
}
