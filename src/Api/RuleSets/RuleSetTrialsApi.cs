using System.Text;
using System.Text.Json;
using LeadML.Api.Alerts;
using LeadML.Api.Hosting;
using LeadML.Api.Leads;
using LeadML.Api.Scoring;
using LeadML.Api.Store;
using LeadML.Features.Rules;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace LeadML.Api.RuleSets;

/// <summary>
/// What a rule set would do before it is put in force: its impact on the stored open leads (for a draft to approve or a
/// version to restore) and one lead scored under it beside the rule set in force. Both score through the code that
/// scoring and rescoring run (<see cref="LeadScorer"/>, <see cref="LeadRescorer.Next"/>) and write nothing.
/// </summary>
public static class RuleSetTrialsApi
{
    /// <summary>Maps the impact and lead-trial endpoints on the rule-set group.</summary>
    public static RouteGroupBuilder MapRuleSetTrials(this RouteGroupBuilder g)
    {
        g.MapGet("/{version:int}/impact", ImpactOfVersion)
            .WithSummary("What approving this draft, or restoring this version (0 = the suggestion), would do now to the stored open leads: grade changes, sales-ready changes, alerts")
            .Produces<RuleSetImpact>().WithProblem(StatusCodes.Status404NotFound, "the model is not configured, or has no such version");
        g.MapPost("/impact", ImpactOfRules)
            .WithSummary("What putting a rule set (or {\"version\": n}) in force would do now to the stored open leads: grade changes, sales-ready changes, alerts")
            .Produces<RuleSetImpact>().WithProblem(StatusCodes.Status404NotFound, "the model is not configured, or has no such version");
        g.MapPost("/whatif/lead", TryLead)
            .Accepts<LeadTrialRequest>("application/json")
            .WithSummary("Score one lead (a stored lead's id, or a lead as /score takes it) under a rule set tried and under the rule set in force, side by side")
            .Produces<LeadTrialResult>()
            .WithProblem(StatusCodes.Status404NotFound, "the model is not configured, it has no such version, or no stored lead has this id");
        return g;
    }

    private static async Task<Results<JsonHttpResult<RuleSetImpact>, ValidationProblem>> ImpactOfVersion(string model, int version, ModelRegistry registry,
        IRuleSetRepository repository, IOptions<LeadMlOptions> options, IOptions<AlertOptions> alerts, TimeProvider clock, [FromServices] LeadStore? store,
        CancellationToken ct)
    {
        var m = registry.Get(model);
        if (RuleSetsApi.NotAVersion(version, "$.version") is { } invalid) return invalid;
        var (rules, stored) = await RuleSetsApi.Resolve(m, version, repository, ct);
        var label = version == 0 ? "suggested" : stored!.Status == RuleSetStatus.Draft ? "draft" : $"v{version}";
        return TypedResults.Json(await Impact.OfAsync(m, rules, label, store, options.Value.BlendWeight, alerts.Value.MaxPerRuleSetChange,
            clock.GetUtcNow().UtcDateTime, ct), RuleSetsApi.Json);
    }

    private static async Task<JsonHttpResult<RuleSetImpact>> ImpactOfRules(string model, RuleSetInput input, ModelRegistry registry,
        IRuleSetRepository repository, IOptions<LeadMlOptions> options, IOptions<AlertOptions> alerts, TimeProvider clock, [FromServices] LeadStore? store,
        CancellationToken ct)
    {
        var m = registry.Get(model);
        var (rules, label, _) = await RuleSetsApi.Candidate(m, input, repository, "$", ct);
        return TypedResults.Json(await Impact.OfAsync(m, rules, label, store, options.Value.BlendWeight, alerts.Value.MaxPerRuleSetChange,
            clock.GetUtcNow().UtcDateTime, ct), RuleSetsApi.Json);
    }

    private static async Task<Results<JsonHttpResult<LeadTrialResult>, ValidationProblem, ProblemHttpResult, StatusCodeHttpResult>> TryLead(string model,
        HttpRequest http, ModelRegistry registry, IRuleSetRepository repository, IOptions<LeadMlOptions> options, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json,
        TimeProvider clock, [FromServices] LeadStore? store, CancellationToken ct)
    {
        if (!http.HasJsonContentType()) return TypedResults.StatusCode(StatusCodes.Status415UnsupportedMediaType);
        var m = registry.Get(model);
        // The body is read here, not bound: its lead goes, as JSON, to the reader /score reads leads with.
        var body = await JsonSerializer.DeserializeAsync<LeadTrialBody>(http.Body, json.Value.SerializerOptions, ct);
        if (body is null) return Problems.Invalid("$", Problems.NoBody);
        if (body.Rules is null) return Problems.Invalid("$.rules", "is required: the rule set to try (a rule set as the what-if takes it, or {\"version\": n})");
        var hasLead = body.Lead is { ValueKind: not JsonValueKind.Null };
        if (hasLead == (body.LeadId is not null))
        {
            return Problems.Invalid(hasLead ? "$.leadId" : "$.lead",
                "send either leadId (a stored lead's id) or lead (a lead as POST /score takes it), not both and not neither");
        }
        var (rules, label, source) = await RuleSetsApi.Candidate(m, body.Rules, repository, "$.rules", ct);
        var now = clock.GetUtcNow().UtcDateTime;
        LeadInput lead;
        if (hasLead)
        {
            var read = LeadReader.ReadLead(Encoding.UTF8.GetBytes(body.Lead!.Value.GetRawText()), now);
            if (read.Problem is { } problem) return Problems.Invalid("$.lead" + problem.Path[1..], problem.Message);
            if (read.Model is { } named && registry.Get(named).Name != m.Name)
            {
                return Problems.Invalid("$.lead.model", $"names model {named}, but the rule set tried is model {m.Name}'s; leave it out");
            }
            lead = read.Lead!;
        }
        else
        {
            if (store is null) return Problems.Invalid("$.leadId", "this Api keeps no lead store, so it has no stored leads; send the lead itself in lead");
            await using var c = await store.OpenAsync(ct);
            var stored = await store.GetLeadAsync(c, null, m.Name, body.LeadId!, ct);
            if (stored is null)
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown lead", detail: $"model {m.Name} has no lead '{body.LeadId}'",
                    extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["$.leadId"] = [$"model {m.Name} has no lead '{body.LeadId}'"] } });
            }
            lead = LeadRescorer.Input(stored, await store.EventsAsync(c, null, m.Name, stored.Id, ct), now);
        }
        var o = options.Value;
        var scoreOptions = new ScoreOptions(Explain: true, Features: false, o.BlendWeight, o.TopContributions);
        var candidate = LeadScorer.Score(m.ForTrial(rules), lead, scoreOptions) with { RuleSetVersion = label, RuleSetSource = source };
        var inForce = LeadScorer.Score(m.ForTrial(m.Rules), lead, scoreOptions);
        // Written with the Api's own JSON options, so each answer reads exactly as /score writes it.
        return TypedResults.Json(new LeadTrialResult(m.Name, lead.LeadId, !hasLead, candidate, inForce));
    }
}
