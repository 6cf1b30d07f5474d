using System.ComponentModel.DataAnnotations;

namespace LeadML.Api.Alerts;

/// <summary>Alert raising and delivery (section <c>LeadML:Alerts</c>).</summary>
public sealed class AlertOptions
{
    public const string Section = "LeadML:Alerts";

    /// <summary>Most alerts one new model or rule set may raise (one per lead at most); transitions beyond it still
    /// change the leads' state, without an alert. Default 100.</summary>
    [Range(0, int.MaxValue)]
    public int MaxPerRuleSetChange { get; set; } = 100;

    /// <summary>How often the outbox is checked for alerts to deliver (also woken at once by a new alert). Default 1 s.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Alerts claimed per round. Default 50.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 50;

    /// <summary>Retries after a failed attempt within one round (Polly, exponential backoff with jitter). Default 4.</summary>
    [Range(0, 20)]
    public int MaxRetries { get; set; } = 4;

    /// <summary>First retry delay; doubled for each further retry. Default 0.5 s.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Time allowed for one webhook request. Default 10 s.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>After a failed round the alert waits this long, doubled per failed round up to 10 minutes, then
    /// goes out again: alerts are never dropped. Default 5 s.</summary>
    public TimeSpan RedeliveryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a claim on an alert lasts: another instance re-delivers an alert whose claimant died after
    /// this. Must exceed one round of attempts. Default 5 minutes.</summary>
    public TimeSpan ClaimTimeout { get; set; } = TimeSpan.FromMinutes(5);
}
