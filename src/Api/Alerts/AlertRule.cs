using LeadML.Features.Rules;

namespace LeadML.Api.Alerts;

/// <summary>
/// When a score change is an alert: a lead not yet sales-ready becomes so when its score reaches the threshold
/// ("sales-ready"); a sales-ready lead goes cold only when its score falls below threshold − hysteresis
/// ("gone-cold"). Between the two lines nothing changes, so a score hovering at the threshold raises no alerts. A
/// disqualified lead (a knock-out fired) is never sales-ready: a sales-ready lead that becomes disqualified goes cold at
/// once, whatever its score (hysteresis does not apply), and a disqualified lead never becomes sales-ready.
/// </summary>
public static class AlertRule
{
    public const string SalesReady = "sales-ready";
    public const string GoneCold = "gone-cold";

    /// <summary>The alert kind for a new score given the lead's current state, or null when the state holds.</summary>
    public static string? Transition(bool salesReady, double score, Thresholds thresholds, bool disqualified = false) =>
        disqualified ? (salesReady ? GoneCold : null)
        : !salesReady && score >= thresholds.SalesReady ? SalesReady
        : salesReady && score < thresholds.SalesReady - thresholds.Hysteresis ? GoneCold
        : null;
}
