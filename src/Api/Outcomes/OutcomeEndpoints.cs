using System.Text.Json.Nodes;
using LeadML.Api.Hosting;
using LeadML.Api.Scoring;
using LeadML.Api.Store;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LeadML.Api.Outcomes;

/// <summary>One grade's observed outcomes beside what the bundle's report promised.</summary>
/// <param name="Leads">Leads whose first score by this model version was in this grade.</param>
/// <param name="Conversions">Of those, converted within the horizon after that score.</param>
/// <param name="Pending">Not converted and the horizon not yet over: their outcome is still open.</param>
/// <param name="ObservedRate">Conversions over the leads whose outcome is known (converted, or horizon over); null when none is.</param>
/// <param name="PromisedRate">The grade's conversion rate on the test period in the bundle's report (<c>metrics.json</c>
/// <c>grades.test</c>); null for a grade the bundle's suggestion does not have.</param>
public sealed record GradeOutcome(string Grade, int Leads, int Conversions, int Pending, double? ObservedRate, double? PromisedRate);

/// <summary>Observed conversion per grade for the model version in force.</summary>
public sealed record OutcomesResponse(string Model, string ModelVersion, int HorizonDays, DateTimeOffset AsOf, IReadOnlyList<GradeOutcome> Grades);

/// <summary>
/// <c>GET /outcomes?model=NAME</c>: are A leads still converting at the rate the report promised? Each lead counts
/// once, in the grade of its first score by the model version in force, and converts when its recorded conversion
/// falls within the bundle's horizon after that score.
/// </summary>
public static class OutcomeEndpoints
{
    public static void Map(WebApplication app)
    {
        if (app.Services.GetService<LeadStore>() is null) return;
        app.MapGet("/outcomes", Get).WithTags("Outcomes").RequireKey(KeyRole.Scoring)
            .WithSummary("Observed conversion rate per grade of the model version in force, beside the rate its report promised");
    }

    private static async Task<Ok<OutcomesResponse>> Get(ModelRegistry registry, LeadStore store, TimeProvider clock, string? model = null, CancellationToken ct = default)
    {
        var m = registry.Get(model);
        var now = clock.GetUtcNow().UtcDateTime;
        var horizon = m.Bundle.Manifest.Window.HorizonDays > 0 ? m.Bundle.Manifest.Window.HorizonDays : 90;
        var promised = new Dictionary<string, double>(StringComparer.Ordinal);
        if (m.Bundle.Metrics["grades"]?["test"] is JsonArray stats)
        {
            foreach (var s in stats)
            {
                if (s?["grade"]?.GetValue<string>() is { } g && s["conversionRate"] is JsonValue rate) promised[g] = rate.GetValue<double>();
            }
        }
        var leads = await store.FirstGradesAsync(m.Name, m.ModelVersion, ct);
        var grades = m.Rules.Grades.Select(g => g.Grade).Concat(leads.Select(l => l.Grade)).Distinct(StringComparer.Ordinal);
        var result = grades.Select(grade =>
        {
            var of = leads.Where(l => l.Grade == grade).ToList();
            var conversions = of.Count(l => l.ConvertedAt is { } at && at <= l.ScoredAt.AddDays(horizon));
            var pending = of.Count(l => !(l.ConvertedAt is { } at && at <= l.ScoredAt.AddDays(horizon)) && l.ScoredAt.AddDays(horizon) > now);
            var known = of.Count - pending;
            return new GradeOutcome(grade, of.Count, conversions, pending, known == 0 ? null : Math.Round((double)conversions / known, 6),
                promised.TryGetValue(grade, out var p) ? p : null);
        }).ToList();
        return TypedResults.Ok(new OutcomesResponse(m.Name, m.ModelVersion, horizon, new DateTimeOffset(now, TimeSpan.Zero), result));
    }
}
