using LeadML.Api.Hosting;
using LeadML.Api.Scoring;
using LeadML.Api.Store;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LeadML.Api.Outcomes;

/// <summary>
/// <c>GET /outcomes?model=NAME[&amp;cutoff=TIME]</c>: are A leads still converting at the rate the report promised? The
/// store is read as the report's test period was built: a snapshot at the cut-off (default: now − the bundle's
/// horizon, so that every outcome is known), where each open lead counts in the grade of its score in force then (by
/// the model version in force now), and converts when its recorded conversion falls within the horizon after it.
/// </summary>
public static class OutcomesApi
{
    public static RouteGroupBuilder MapOutcomesApi(this IEndpointRouteBuilder app)
    {
        var outcomes = app.MapGroup("/outcomes").WithTags("Outcomes").RequireKey(KeyRole.Scoring);
        if (!app.HasLeadStore()) return outcomes;
        outcomes.MapGet("", Get)
            .WithSummary("Observed conversion rate per grade of the model version in force, beside the rate its report promised");
        return outcomes;
    }

    private static async Task<Results<Ok<OutcomesResponse>, ValidationProblem>> Get(ModelRegistry registry, LeadStore store, TimeProvider clock, string? model = null,
        DateTimeOffset? cutoff = null, CancellationToken ct = default)
    {
        var m = registry.Get(model);
        var now = clock.GetUtcNow().UtcDateTime;
        var horizon = m.Bundle.Manifest.Window.HorizonDays > 0 ? m.Bundle.Manifest.Window.HorizonDays : 90;
        var at = cutoff?.UtcDateTime ?? now.AddDays(-horizon);
        if (at > now) return Problems.Invalid("$.cutoff", $"is {cutoff:O}, in the future");
        var promised = (m.Bundle.Metrics.Grades?.Test ?? []).DistinctBy(s => s.Grade, StringComparer.Ordinal)
            .ToDictionary(s => s.Grade, s => s.ConversionRate, StringComparer.Ordinal);
        var leads = await store.GradesAtAsync(m.Name, m.ModelVersion, at, ct);
        var end = at.AddDays(horizon);
        var grades = m.Rules.Grades.Select(g => g.Grade).Concat(leads.Select(l => l.Grade)).Distinct(StringComparer.Ordinal);
        var result = grades.Select(grade =>
        {
            var of = leads.Where(l => l.Grade == grade).ToList();
            var conversions = of.Count(l => l.ConvertedAt is { } c && c <= end);
            return new GradeOutcome(grade, of.Count, conversions, of.Count == 0 ? null : Math.Round((double)conversions / of.Count, 6),
                promised.TryGetValue(grade, out var p) ? p : null);
        }).ToList();
        return TypedResults.Ok(new OutcomesResponse(m.Name, m.ModelVersion, horizon, new DateTimeOffset(at, TimeSpan.Zero), end <= now, result));
    }
}
