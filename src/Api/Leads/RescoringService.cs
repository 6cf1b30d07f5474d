using LeadML.Api.Alerts;
using LeadML.Api.Hosting;
using LeadML.Api.RuleSets;
using LeadML.Api.Scoring;
using LeadML.Api.Store;
using Microsoft.Extensions.Options;

namespace LeadML.Api.Leads;

/// <summary>
/// Keeps stored scores current. Each round (every poll interval, and at once after a model or rule-set swap):
/// adopts a rule set another instance approved; rescores every lead last scored by another model or rule-set
/// version (reason "new model" / "new rule set", at most <see cref="AlertOptions.MaxPerRuleSetChange"/> alerts per
/// change); then rescores the leads whose next rescoring time has come (reason "rescoring"), batch by batch. A stale
/// batch is one transaction over locked rows (PostgreSQL: <c>SKIP LOCKED</c>), whose events are read in one query. A
/// due batch is claimed in a short transaction that moves its leads' next time a lease ahead, so two instances never
/// rescore a lead twice in one round, then scored outside any transaction and written a few leads a transaction
/// (<see cref="DueAsync"/>): an event sent for a lead of the batch waits for one small write, not for the whole
/// batch. On SQLite every write is one of the store's one writer (<see cref="LeadStore.WriteAsync{T}"/>), queued with
/// the events and leads clients send: competing for the database lock instead, a round's back-to-back batches kept
/// event writes waiting for seconds.
/// </summary>
public sealed class RescoringService(LeadStore store, LeadRescorer rescorer, ModelRegistry registry, IRuleSetRepository ruleSets, AlertSignal alerts,
    IOptions<RescoringOptions> options, IOptions<AlertOptions> alertOptions, TimeProvider clock, ILogger<RescoringService> log) : BackgroundService
{
    private readonly WakeSignal _wake = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        registry.Swapped += (_, _) => _wake.Notify();
        var o = options.Value;
        var poll = o.PollInterval < o.Interval ? o.PollInterval : o.Interval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                ApiMetrics.RescoringRound(await RoundAsync(stoppingToken));
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                ApiMetrics.RescoringRound(null);
                Log.RescoringRoundFailed(log, e, poll);
            }
            await _wake.WaitAsync(poll, stoppingToken);
        }
    }

    /// <summary>One round over every model; returns the leads rescored.</summary>
    internal async Task<int> RoundAsync(CancellationToken ct)
    {
        await AdoptApprovedRuleSetsAsync(ct);
        var total = 0;
        foreach (var name in registry.All.Select(m => m.Name).ToList())
        {
            total += await StaleAsync(name, ct);
            total += await DueAsync(name, ct);
        }
        return total;
    }

    private async Task AdoptApprovedRuleSetsAsync(CancellationToken ct)
    {
        foreach (var model in registry.All)
        {
            var latest = await ruleSets.LatestApprovedAsync(model.Name, ct);
            if (latest is not null && (model.RuleSource != RuleSetSource.Approved || model.Rules.Version != latest.Version))
            {
                Log.AdoptingRuleSet(log, latest.Version, model.Name);
                registry.ApplyRuleSet(model.Name, latest.Rules, RuleSetSource.Approved);
            }
        }
    }

    private async Task<int> StaleAsync(string name, CancellationToken ct)
    {
        var total = 0;
        while (true)
        {
            var model = registry.Get(name);
            var cap = new AlertCap($"{name}:{model.ModelVersion}:{model.RuleSetVersion}", alertOptions.Value.MaxPerRuleSetChange);
            var (count, raised, suppressed) = await store.WriteAsync(async (c, tx) =>
            {
                var now = clock.GetUtcNow().UtcDateTime;
                var leads = await store.ClaimStaleAsync(c, tx, name, model.ModelVersion, model.RuleSetVersion, options.Value.BatchSize, ct);
                var events = await store.EventsOfAsync(c, tx, name, [.. leads.Select(l => l.Id)], ct);
                var raised = new List<string>();
                var suppressed = 0;
                foreach (var lead in leads)
                {
                    var reason = lead.ModelVersion is null ? ScoreReasons.Rescoring
                        : lead.ModelVersion != model.ModelVersion ? ScoreReasons.NewModel : ScoreReasons.NewRuleSet;
                    var r = await rescorer.RescoreAsync(c, tx, lead, model, now, reason, cap, ct, stored: events[lead.Id]);
                    if (r.Alert is not null) raised.Add(r.Alert);
                    if (r.Suppressed) suppressed++;
                }
                return (leads.Count, raised, suppressed);
            }, ct);
            alerts.Raised(raised);
            if (suppressed > 0) Log.AlertsSuppressed(log, suppressed, name, cap.Max);
            total += count;
            if (count < options.Value.BatchSize) return total;
        }
    }

    /// <summary>How long a claimed batch is kept from other claims: far longer than a batch takes, and the time after
    /// which the leads of a batch whose instance stopped half-way are due again.</summary>
    internal static readonly TimeSpan ClaimLease = TimeSpan.FromMinutes(10);

    /// <summary>Leads written per transaction when a batch's scores are stored.</summary>
    internal const int LeadsPerWrite = 20;

    /// <summary>The due leads, batch by batch, in three steps so that an event sent meanwhile never waits for a whole
    /// batch: a short transaction claims the batch (<see cref="LeadStore.LeaseDueAsync"/>); its events are read and its
    /// leads scored outside any transaction; then the results are written <see cref="LeadsPerWrite"/> leads a
    /// transaction, each lead only if nothing changed it since the claim (an event or a new attribute rescored it
    /// already, with newer data). After each write the round gives way to live requests for a time in proportion to
    /// the work since the previous one (<see cref="RoundPace"/>).</summary>
    private async Task<int> DueAsync(string name, CancellationToken ct)
    {
        var total = 0;
        var size = options.Value.BatchSize;
        var pace = Pace(name);
        while (true)
        {
            var model = registry.Get(name);
            var now = clock.GetUtcNow().UtcDateTime;
            var leads = await store.WriteAsync((c, tx) => store.LeaseDueAsync(c, tx, name, now, now + ClaimLease, size, ct), ct);
            if (leads.Count == 0) return total;
            Dictionary<string, List<StoredEvent>> events;
            await using (var c = await store.OpenAsync(ct)) events = await store.EventsOfAsync(c, null, name, [.. leads.Select(l => l.Id)], ct);
            var plans = leads.Select(l => rescorer.Plan(l, model, events[l.Id], now)).ToList();
            foreach (var part in plans.Chunk(LeadsPerWrite))
            {
                var raised = await store.WriteAsync(async (c, tx) =>
                {
                    var current = await store.LockLeadsAsync(c, tx, name, [.. part.Select(p => p.Lead.Id)], ct);
                    var fresh = part.Where(plan => current.TryGetValue(plan.Lead.Id, out var stored) && Unchanged(plan.Lead, stored)).ToList();
                    var written = await rescorer.WriteManyAsync(c, tx, fresh, model, ScoreReasons.Rescoring, null, ct);
                    return written.Where(r => r.Alert is not null).Select(r => r.Alert!).ToList();
                }, ct);
                alerts.Raised(raised);
                await pace.GiveWayAsync(ct);
            }
            total += leads.Count;
            if (leads.Count < size) return total;
        }
    }

    /// <summary>The pace of a round of due leads (<see cref="RescoringOptions.Share"/>), which logs when the round gives
    /// it up to end within the interval.</summary>
    private RoundPace Pace(string name)
    {
        var o = options.Value;
        return new RoundPace(clock, o.Share, o.Interval, ran => Log.RescoringHurried(log, name, ran, o.Interval, o.Share));
    }

    /// <summary>Whether a lead is as it was claimed: any scoring since (an event, new attributes, a conversion) moves its
    /// scoring time and its next rescoring time off the claim's.</summary>
    private static bool Unchanged(StoredLead claimed, StoredLead now) =>
        now.ScoredAt == claimed.ScoredAt && now.NextRescoreAt == claimed.NextRescoreAt && now.UpdatedAt == claimed.UpdatedAt
        && now.EventCount == claimed.EventCount && now.ConvertedAt == claimed.ConvertedAt && now.AlertSeq == claimed.AlertSeq;
}
