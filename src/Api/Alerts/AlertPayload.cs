using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using LeadML.Api.Scoring;
using LeadML.Api.Store;
using LeadML.Features.Featurization;

namespace LeadML.Api.Alerts;

/// <summary>
/// The JSON body of an alert's webhook post, written once when the alert is raised and sent unchanged on every attempt.
/// Besides what changed (score, previous score, grade, the threshold crossed) it says why: the criteria that fired for
/// the new score with their points (<see cref="Criteria"/>) and what made the lead be scored again (<see cref="Cause"/>).
/// </summary>
/// <param name="Event">The event type, as in the <c>LeadML-Event</c> header: <c>lead.sales_ready</c> or <c>lead.gone_cold</c>.</param>
/// <param name="Kind">The alert kind: <c>sales-ready</c> or <c>gone-cold</c>.</param>
/// <param name="Reason">Why the lead was scored (as in its history): <c>event</c>, <c>attributes</c>, <c>rescoring</c>,
/// <c>rescoring as of</c> (an administrator's test of time passing), <c>new rule set</c>, <c>new model</c>, <c>conversion</c>,
/// <c>conversion undone</c>.</param>
public sealed record AlertPayload(string Key, string Event, string Kind, string Model, string LeadId, double Score, double? PreviousScore, string Grade,
    double Threshold, double Hysteresis, string Reason, AlertCause Cause, IReadOnlyList<FiredCriterionDto> Criteria, string ModelVersion,
    string RuleSetVersion, DateTimeOffset RaisedAt)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The knock-outs that disqualify the lead (a gone-cold alert raised at once, whatever the score); absent
    /// when none fired.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<KnockOutDto>? KnockOuts { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>The criteria of <paramref name="model"/>'s rule set that fire for <paramref name="lead"/>, as a score
    /// explains them; only alerts need them, so rescoring without one does not pay for the explanation.</summary>
    public static IReadOnlyList<FiredCriterionDto> Fired(ScoringModel model, LeadInput lead)
    {
        var x = LeadScorer.Vector(model, lead, null, null, null, out _);
        return [.. model.Evaluator.Evaluate(x, explain: true).Fired.Select(f => new FiredCriterionDto(f.Id, f.Label,
            f.Group == CriterionGroup.Fit ? "fit" : "engagement", f.Points, f.CountedPoints, float.IsFinite(f.Value) ? f.Value : null))];
    }
}

/// <summary>What made a lead be scored again, in words and with what the Api knows of it.</summary>
/// <param name="Description">One sentence, e.g. <c>2 new events: demo_request, pricing_page</c> or <c>rule set v3 replaced v2</c>.</param>
/// <param name="Events">The new events (reason <c>event</c>).</param>
/// <param name="PreviousModelVersion">The model version of the previous score (reasons <c>new model</c>, <c>new rule set</c>).</param>
/// <param name="PreviousRuleSetVersion">The rule-set version of the previous score.</param>
/// <param name="PreviouslyScoredAt">When the lead was scored before (reason <c>rescoring</c>: time passing, so events age).</param>
public sealed record AlertCause(string Reason, string Description,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<AlertCauseEvent>? Events = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? PreviousModelVersion = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? PreviousRuleSetVersion = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? PreviouslyScoredAt = null)
{
    /// <summary>The cause of scoring <paramref name="before"/> again for <paramref name="reason"/> with
    /// <paramref name="after"/>; <paramref name="added"/> are the new events when the reason is an event.</summary>
    public static AlertCause Of(string reason, StoredLead before, ScoreResponse after, IReadOnlyList<StoredEvent>? added, DateTime now)
    {
        var scoredAt = before.ScoredAt is { } s ? new DateTimeOffset(s, TimeSpan.Zero) : (DateTimeOffset?)null;
        return reason switch
        {
            ScoreReasons.Event when added is { Count: > 0 } => new(reason,
                $"{added.Count} new event{(added.Count == 1 ? "" : "s")}: {string.Join(", ", added.Select(e => e.Type).Distinct(StringComparer.Ordinal))}",
                Events: [.. added.Select(e => new AlertCauseEvent(e.EventId, e.Type, new DateTimeOffset(e.Timestamp, TimeSpan.Zero), e.Detail))]),
            ScoreReasons.Event => new(reason, "new events"),
            ScoreReasons.Attributes => new(reason, "the lead's attributes were sent"),
            ScoreReasons.NewModel => new(reason, $"model {after.ModelVersion} replaced {before.ModelVersion}",
                PreviousModelVersion: before.ModelVersion, PreviousRuleSetVersion: before.RuleSetVersion),
            ScoreReasons.NewRuleSet => new(reason, $"rule set {after.RuleSetVersion} replaced {before.RuleSetVersion}",
                PreviousModelVersion: before.ModelVersion, PreviousRuleSetVersion: before.RuleSetVersion),
            ScoreReasons.Rescoring when scoredAt is { } at => new(reason,
                string.Create(CultureInfo.InvariantCulture, $"time passed: scored again {Ago(now - at.UtcDateTime)} after its last score, as its events aged"),
                PreviouslyScoredAt: at),
            ScoreReasons.Rescoring => new(reason, "scored again on schedule"),
            ScoreReasons.RescoringAsOf => new(reason,
                string.Create(CultureInfo.InvariantCulture, $"a test of time passing: an administrator rescored the lead as of {now:yyyy-MM-dd HH:mm} UTC"),
                PreviouslyScoredAt: scoredAt),
            ScoreReasons.Conversion => new(reason, "the lead's conversion was recorded"),
            ScoreReasons.ConversionUndone => new(reason, "the lead's conversion was undone"),
            _ => new(reason, reason),
        };
    }

    private static string Ago(TimeSpan t) => t.TotalDays >= 2 ? $"{Math.Floor(t.TotalDays):0} days"
        : t.TotalHours >= 2 ? $"{Math.Floor(t.TotalHours):0} hours"
        : $"{Math.Max(0, Math.Floor(t.TotalMinutes)):0} minutes";
}

/// <summary>A new event behind an alert.</summary>
public sealed record AlertCauseEvent(string EventId, string Type, DateTimeOffset Timestamp,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Detail);
