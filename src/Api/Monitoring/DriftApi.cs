using LeadML.Api.Hosting;
using LeadML.Api.Scoring;
using Microsoft.AspNetCore.Http.HttpResults;
using Prometheus;

namespace LeadML.Api.Monitoring;

/// <summary><c>GET /drift</c> and the <c>leadml_feature_psi</c> gauge: live traffic against the training distributions.</summary>
public static class DriftApi
{
    private static readonly Gauge FeaturePsi = Metrics.CreateGauge("leadml_feature_psi",
        "Population stability index of live traffic against the bundle's training distribution (0.1 moderate, 0.25 significant)", "model", "feature");

    public static RouteGroupBuilder MapDriftApi(this IEndpointRouteBuilder app)
    {
        var drift = app.MapGroup("/drift").WithTags("Monitoring").RequireKey(KeyRole.Scoring);
        drift.MapGet("", Drift)
            .WithSummary("Drift of live traffic")
            .WithProblem(StatusCodes.Status404NotFound, "the model is not configured, or its bundle has no drift reference (retrain it with this LeadML)")
            .WithDescription("PSI of every feature and of the model's probability over the requests scored since the bundle was loaded, against the bundle's training-time distributions; bands: below 0.1 stable, 0.1–0.25 moderate, above significant.");
        var registry = app.ServiceProvider.GetRequiredService<ModelRegistry>();
        Metrics.DefaultRegistry.AddBeforeCollectCallback(() =>
        {
            foreach (var m in registry.All)
            {
                if (m.Drift is null) continue;
                foreach (var f in m.Drift.Features())
                {
                    if (f.Psi is { } psi) FeaturePsi.WithLabels(m.Name, f.Feature).Set(psi);
                }
                if (m.Drift.Probability().Psi is { } p) FeaturePsi.WithLabels(m.Name, "probability").Set(p);
            }
        });
        return drift;
    }

    private static Results<Ok<DriftResponse>, ProblemHttpResult> Drift(ModelRegistry registry, string? model = null, int top = 0)
    {
        var m = registry.Get(model);
        if (m.Drift is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No drift reference",
                detail: $"bundle {m.ModelVersion} has no drift-reference.json; retrain it with this LeadML");
        }
        var features = m.Drift.Features();
        return TypedResults.Ok(new DriftResponse(m.Name, m.ModelVersion, m.Drift.Observed, m.Drift.Probability(), top > 0 ? [.. features.Take(top)] : features));
    }
}
