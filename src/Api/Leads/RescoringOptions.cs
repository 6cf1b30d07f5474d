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

    /// <summary>The part of the time a round of due leads may keep busy: after each step it waits in proportion to
    /// the time the step took (at 0.5, as long again), so that requests sent meanwhile find the cores free. A round
    /// that has run for half the interval goes on at full speed, so that it ends before its leads are due again.
    /// 1 never waits. Default 0.5.</summary>
    [Range(0.1, 1.0, ErrorMessage = "LeadML:Rescoring:Share must be between {1} and {2}: the part of the time a rescoring round may keep busy")]
    public double Share { get; set; } = 0.5;

    /// <summary>A lead is kept on the schedule while its latest event is this recent (the longest feature window)
    /// or while it is sales-ready. Default 365 days.</summary>
    public TimeSpan ActiveWindow { get; set; } = TimeSpan.FromDays(365);
}
