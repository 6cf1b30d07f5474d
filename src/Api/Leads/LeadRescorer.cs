using System.Data.Common;
using System.Globalization;
using LeadML.Api.Alerts;
using LeadML.Api.Hosting;
using LeadML.Api.Scoring;
using LeadML.Api.Store;
using Microsoft.Extensions.Options;

namespace LeadML.Api.Leads;

/// <summary>
/// Scores a stored lead from its stored attributes and events (the same features as training, as of now) inside
/// the caller's transaction, and writes in that transaction the new score, a history entry when anything changed,
/// and the alert when the score crossed a line (<see cref="AlertRule"/>). So an event, the score it causes and the
/// alert it raises commit together or not at all.
/// </summary>
public sealed class LeadRescorer(LeadStore store, IOptions<LeadMlOptions> options, IOptions<RescoringOptions> rescoring)
{
    /// <summary>The scorer's view of a stored lead as of <paramref name="asOf"/>.</summary>
    public static LeadInput Input(StoredLead lead, IEnumerable<StoredEvent> events, DateTime asOf) => new()
    {
        LeadId = lead.Id,
        Attributes = lead.Attributes,
        Events = [.. events.Select(e => new LeadEventInput(e.Timestamp, e.Type, e.Detail))],
        CreatedAt = lead.CreatedAt <= asOf ? lead.CreatedAt : asOf,
        AsOf = asOf,
    };

    /// <summary>What a new score does to a stored lead's state: the alert it raises (<see cref="AlertRule"/>; none for a
    /// converted lead) and whether the lead is sales-ready after it. The one place this is decided, for the rescoring and
    /// for the impact a rule set would have before it is approved.</summary>
    public static (string? Alert, bool SalesReady) Next(StoredLead lead, ScoreResponse result, LeadML.Features.Rules.Thresholds thresholds)
    {
        var kind = lead.ConvertedAt is null ? AlertRule.Transition(lead.SalesReady, result.Score, thresholds, result.Disqualified) : null;
        return (kind, kind switch { AlertRule.SalesReady => true, AlertRule.GoneCold => false, _ => lead.SalesReady });
    }

    /// <param name="added">The events that made the lead be scored (reason <see cref="ScoreReasons.Event"/>), told in an
    /// alert's cause and in the history entry's.</param>
    /// <param name="cause">What else the caller knows of the cause (the attributes changed, the conversion); the
    /// history entry's cause adds the events, the versions replaced and the previous scoring time.</param>
    /// <param name="stored">The lead's stored events, oldest first, when the caller read them already (a rescoring
    /// batch reads all its leads' events in one query); read here otherwise.</param>
    public async Task<Rescored> RescoreAsync(DbConnection c, DbTransaction tx, StoredLead lead, ScoringModel model, DateTime now, string reason, AlertCap? cap,
        CancellationToken ct, IReadOnlyList<StoredEvent>? added = null, ScoreCause? cause = null, IReadOnlyList<StoredEvent>? stored = null)
    {
        var events = stored ?? await store.EventsAsync(c, tx, lead.Model, lead.Id, ct);
        return await WriteAsync(c, tx, Plan(lead, model, events, now), model, reason, cap, ct, added, cause);
    }

    /// <summary>Scores a lead from its events, deciding everything but writing nothing: what the rescoring round does
    /// outside any transaction, so that the leads it writes stay locked only while they are written.</summary>
    public RescorePlan Plan(StoredLead lead, ScoringModel model, IReadOnlyList<StoredEvent> events, DateTime now)
    {
        var input = Input(lead, events, now);
        var result = LeadScorer.Score(model, input, new ScoreOptions(Explain: false, BlendWeight: options.Value.BlendWeight, TopContributions: 0));
        return new RescorePlan(lead, input, result, events.Count == 0 ? null : events.Max(e => e.Timestamp), now);
    }

    /// <summary>Writes what <see cref="Plan"/> decided, in the caller's transaction: the alert (unless the cap is
    /// reached), the history entry when anything changed, and the lead's new score state.</summary>
    public async Task<Rescored> WriteAsync(DbConnection c, DbTransaction tx, RescorePlan plan, ScoringModel model, string reason, AlertCap? cap,
        CancellationToken ct, IReadOnlyList<StoredEvent>? added = null, ScoreCause? cause = null) =>
        (await WriteAllAsync(c, tx, [(plan, added, cause)], model, reason, cap, ct))[0];

    /// <summary>Writes what <see cref="Plan"/> decided for many leads, in the caller's transaction, as
    /// <see cref="WriteAsync"/> does for each in turn (the same alerts, cap, history entries and score states), with
    /// the statements of all of them sent together (<see cref="LeadStore.SaveScoresAsync"/>).</summary>
    /// <param name="causes">What the caller knows of each plan's cause, in the order of <paramref name="plans"/>, or null.</param>
    public Task<List<Rescored>> WriteManyAsync(DbConnection c, DbTransaction tx, IReadOnlyList<RescorePlan> plans, ScoringModel model, string reason,
        AlertCap? cap, CancellationToken ct, IReadOnlyList<ScoreCause?>? causes = null) =>
        WriteAllAsync(c, tx, [.. plans.Select((p, i) => (p, (IReadOnlyList<StoredEvent>?)null, causes?[i]))], model, reason, cap, ct);

    /// <summary>Decides, plan by plan, the alert, the history entry and the score state, then writes them all. The cap
    /// is read from the outbox once, when the first alert is decided, and counted on here: the alerts of this
    /// transaction are the only ones it adds.</summary>
    private async Task<List<Rescored>> WriteAllAsync(DbConnection c, DbTransaction tx,
        IReadOnlyList<(RescorePlan Plan, IReadOnlyList<StoredEvent>? Added, ScoreCause? Cause)> items, ScoringModel model, string reason, AlertCap? cap,
        CancellationToken ct)
    {
        var thresholds = model.Rules.Thresholds;
        var r = rescoring.Value;
        long? capped = null;
        var writes = new List<ScoreWrite>(items.Count);
        var done = new List<Rescored>(items.Count);
        foreach (var ((lead, input, result, lastEvent, now), added, cause) in items)
        {
            var changed = lead.Score != result.Score || lead.Grade != result.Grade || lead.ModelVersion != result.ModelVersion || lead.RuleSetVersion != result.RuleSetVersion;
            var (kind, salesReady) = Next(lead, result, thresholds);
            var suppressed = false;
            var alertSeq = lead.AlertSeq;
            StoredAlert? alert = null;
            if (kind is not null)
            {
                if (cap is not null && (capped ??= await store.CountAlertsForCauseAsync(c, tx, cap.CauseKey, ct)) >= cap.Max)
                {
                    suppressed = true;
                }
                else
                {
                    capped++;
                    alertSeq++;
                    var key = string.Create(CultureInfo.InvariantCulture, $"{lead.Model}:{lead.Id}:{alertSeq}:{kind}:{Sql.Ms(now)}");
                    var fired = AlertPayload.Fired(model, input);
                    var payload = new AlertPayload(key, WebhookSignature.EventType(kind), kind, lead.Model, lead.Id, result.Score, lead.Score, result.Grade,
                        thresholds.SalesReady, thresholds.Hysteresis, reason, AlertCause.Of(reason, lead, result, added, now), fired, result.ModelVersion,
                        result.RuleSetVersion, new DateTimeOffset(now, TimeSpan.Zero)) { KnockOuts = result.KnockOuts }.ToJson();
                    alert = new StoredAlert(0, key, lead.Model, lead.Id, kind, result.Score, lead.Score, thresholds.SalesReady,
                        thresholds.Hysteresis, reason, result.ModelVersion, result.RuleSetVersion, now, null, 0, now, null, payload);
                }
            }
            var change = changed
                ? new ScoreChange(now, result.Score, lead.Score, result.Grade, salesReady, result.ModelVersion, result.RuleSetVersion, reason,
                    CauseOf(lead, result, added, cause))
                : null;
            var canChange = lead.ConvertedAt is null && (salesReady || (lastEvent is { } l && l > now - r.ActiveWindow));
            var updated = lead with
            {
                Score = result.Score, Grade = result.Grade, SalesReady = salesReady, AlertSeq = alertSeq, ModelVersion = result.ModelVersion,
                RuleSetVersion = result.RuleSetVersion, ScoredAt = now, UpdatedAt = now, NextRescoreAt = canChange ? now + r.Interval : null,
                RescoreCount = lead.RescoreCount + (reason == ScoreReasons.Rescoring ? 1 : 0),
            };
            writes.Add(new ScoreWrite(updated, change, alert, cap?.CauseKey));
            done.Add(new Rescored(updated, result, changed, suppressed ? null : kind, suppressed));
        }
        await store.SaveScoresAsync(c, tx, writes, ct);
        return done;
    }

    /// <summary>The history entry's cause of scoring <paramref name="before"/> again into <paramref name="after"/>:
    /// what the caller knows (<paramref name="known"/>), the new events, the model or rule-set version replaced, and when
    /// the lead was scored before.</summary>
    public static ScoreCause CauseOf(StoredLead before, ScoreResponse after, IReadOnlyList<StoredEvent>? added, ScoreCause? known)
    {
        var cause = known ?? new ScoreCause();
        if (added is { Count: > 0 }) cause = cause with { Events = ScoreCause.Of(added).Events, EventCount = added.Count };
        return cause with
        {
            PreviousModelVersion = before.ModelVersion is { } mv && mv != after.ModelVersion ? mv : cause.PreviousModelVersion,
            PreviousRuleSetVersion = before.RuleSetVersion is { } rv && rv != after.RuleSetVersion ? rv : cause.PreviousRuleSetVersion,
            PreviouslyScoredAt = before.ScoredAt is { } at ? new DateTimeOffset(at, TimeSpan.Zero) : cause.PreviouslyScoredAt,
        };
    }
}

/// <summary>A lead scored as of <paramref name="Now"/> from <paramref name="Input"/>, not written yet (<see cref="LeadRescorer.Plan"/>).</summary>
public sealed record RescorePlan(StoredLead Lead, LeadInput Input, ScoreResponse Result, DateTime? LastEvent, DateTime Now);
