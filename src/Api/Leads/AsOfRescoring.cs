using LeadML.Api.Alerts;
using LeadML.Api.Hosting;
using LeadML.Api.Scoring;
using LeadML.Api.Store;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace LeadML.Api.Leads;

/// <summary>
/// <c>POST /admin/models/{name}/rescore</c> (admin key): a rescoring round of one model's stored leads as of a later
/// time, so that what time passing does (a lead going cold after some weeks without activity) can be seen without
/// waiting. It behaves as the scheduled round would at that time: the leads whose next rescoring falls by then are
/// scored as of it, each change is written to the history (at that time, reason <c>rescoring as of</c>, with the
/// time it was asked for) and each alert is raised and delivered. Each lead's next rescoring moves past that time, so
/// the scheduled rounds leave it until the clock gets there; a new event scores it as of now again.
/// </summary>
public static class AsOfRescoring
{
    /// <summary>The furthest ahead a rescoring may look.</summary>
    public static readonly TimeSpan MaxAhead = TimeSpan.FromDays(10 * 365);

    internal static async Task<Results<Ok<AsOfRescoringResponse>, ValidationProblem>> Post(string name, AsOfRescoringRequest request, LeadStore store,
        LeadRescorer rescorer, ModelRegistry registry, AlertSignal signal, IOptions<RescoringOptions> options, TimeProvider clock, CancellationToken ct = default)
    {
        var scoring = registry.Get(name);
        var now = clock.GetUtcNow();
        if (request.AsOf is not { } asOf)
        {
            return Problems.Invalid("$.asOf", $"is required: the time to rescore the leads as of, e.g. {now.AddDays(28):yyyy-MM-dd}T09:00:00Z");
        }
        if (asOf < now)
        {
            return Problems.Invalid("$.asOf", $"is {asOf:O}, before now ({now:O}); an as-of rescoring moves time forward only, as stored scores are as of now");
        }
        if (asOf - now > MaxAhead) return Problems.Invalid("$.asOf", $"is {asOf:O}, more than {MaxAhead.TotalDays / 365:0} years ahead");

        var at = asOf.UtcDateTime;
        at = new DateTime(at.Ticks - at.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);
        var cause = new ScoreCause(RequestedAt: now);
        int rescored = 0, changed = 0, ready = 0, cold = 0, alerts = 0;
        var batch = options.Value.BatchSize;
        while (true)
        {
            // Counted inside the transaction and added up after its commit: a retried transaction counts once.
            var done = await store.InTransactionAsync(async (c, tx) =>
            {
                // Each lead rescored here is next due after 'at', so a batch never comes back.
                var leads = await store.ClaimDueAsync(c, tx, scoring.Name, at, batch, ct);
                var d = new Round(leads.Count, 0, 0, 0, []);
                foreach (var lead in leads)
                {
                    var r = await rescorer.RescoreAsync(c, tx, lead, scoring, at, ScoreReasons.RescoringAsOf, null, ct, cause: cause);
                    d = d with
                    {
                        Changed = d.Changed + (r.Changed ? 1 : 0),
                        Ready = d.Ready + (r.Lead.SalesReady && !lead.SalesReady ? 1 : 0),
                        Cold = d.Cold + (!r.Lead.SalesReady && lead.SalesReady ? 1 : 0),
                    };
                    if (r.Alert is not null) d.Raised.Add(r.Alert);
                }
                return d;
            }, ct);
            signal.Raised(done.Raised);
            (rescored, changed, ready, cold, alerts) = (rescored + done.Count, changed + done.Changed, ready + done.Ready, cold + done.Cold, alerts + done.Raised.Count);
            if (done.Count < batch) break;
        }
        return TypedResults.Ok(new AsOfRescoringResponse(scoring.Name, new DateTimeOffset(at, TimeSpan.Zero), rescored, changed, ready, cold, alerts));
    }

    private sealed record Round(int Count, int Changed, int Ready, int Cold, List<string> Raised);
}
