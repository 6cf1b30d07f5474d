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
/// change); then rescores the leads whose next rescoring time has come (reason "rescoring"), batch by batch. Each
/// batch is one transaction over locked rows (PostgreSQL: <c>SKIP LOCKED</c>), whose events are read in one query, and
/// moves each lead's next time forward, so two instances never rescore a lead twice in one round. On SQLite a batch
/// is a write of the store's one writer (<see cref="LeadStore.WriteAsync{T}"/>), queued with the events and leads
/// clients send: competing for the database lock instead, a round's back-to-back batches kept event writes waiting
/// for seconds.
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

    private async Task<int> DueAsync(string name, CancellationToken ct)
    {
        var total = 0;
        while (true)
        {
            var model = registry.Get(name);
            var (count, raised) = await store.WriteAsync(async (c, tx) =>
            {
                var now = clock.GetUtcNow().UtcDateTime;
                var leads = await store.ClaimDueAsync(c, tx, name, now, options.Value.BatchSize, ct);
                var events = await store.EventsOfAsync(c, tx, name, [.. leads.Select(l => l.Id)], ct);
                var raised = new List<string>();
                foreach (var lead in leads)
                {
                    var r = await rescorer.RescoreAsync(c, tx, lead, model, now, ScoreReasons.Rescoring, null, ct, stored: events[lead.Id]);
                    if (r.Alert is not null) raised.Add(r.Alert);
                }
                return (leads.Count, raised);
            }, ct);
            alerts.Raised(raised);
            total += count;
            if (count < options.Value.BatchSize) return total;
        }
    }
}
