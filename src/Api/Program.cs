using System.Text.Json.Serialization;
using LeadML.Api.Hosting;
using LeadML.Api.Leads;
using LeadML.Api.RuleSets;
using LeadML.Api.Scoring;
using LeadML.Api.Store;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Prometheus;

// LeadML Api: hybrid lead scores (approved rule points + the model's calibrated probability) with explanations.
var builder = WebApplication.CreateBuilder(args);
var section = builder.Configuration.GetSection(LeadMlOptions.Section);
builder.Services.Configure<LeadMlOptions>(section);
var settings = section.Get<LeadMlOptions>() ?? new LeadMlOptions();

// Limits, JSON and errors: every error is application/problem+json with the offending field's path.
builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = settings.MaxRequestBytes);
builder.Services.ConfigureHttpJsonOptions(o =>
{
    o.SerializerOptions.TypeInfoResolverChain.Insert(0, ScoringJson.Default);
    o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
    o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
});
builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<Problems>();

// Scoring: models loaded from their bundles at start, swapped atomically on change.
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<ApiKeys>();
builder.Services.AddSingleton<IRuleSetRepository, InMemoryRuleSetRepository>();
builder.Services.AddSingleton<IApprovedRuleSets, RepositoryApprovedRuleSets>();
builder.Services.AddSingleton<ModelRegistry>();

// Lead state: store (SQLite or PostgreSQL), events, rescoring, alerts outbox and webhooks.
builder.AddLeadStore();

// Operations: health, OpenAPI + Swagger UI.
builder.Services.AddHealthChecks().AddCheck<ReadyCheck>("bundles", tags: ["ready"]);
builder.Services.AddEndpointsApiExplorer();
builder.Services.AddSwaggerGen(OpenApi.Configure);

var app = builder.Build();
ApiMetrics.Track(app.Services.GetRequiredService<ModelRegistry>());
if (!app.Services.GetRequiredService<ApiKeys>().Enabled)
{
    app.Logger.LogWarning("No API keys configured (LeadML:Keys): every endpoint is open. Configure keys outside development.");
}

app.UseExceptionHandler();
app.UseMiddleware<RequestLimits>();
app.UseStatusCodePages();
app.UseHttpMetrics();
app.UseSwagger();
app.UseSwaggerUI();

app.MapScoringApi();
LeadML.Api.Monitoring.DriftEndpoints.Map(app);
RuleSetEndpoints.Map(app);
LeadML.Api.Review.ReviewPage.Map(app);
LeadEndpoints.Map(app);
app.MapHealthChecks("/health/live", new() { Predicate = _ => false });
app.MapHealthChecks("/health/ready", new() { Predicate = c => c.Tags.Contains("ready") });
app.MapMetrics("/metrics");
app.MapGet("/", () => Results.Redirect("/swagger")).ExcludeFromDescription();

app.Run();

/// <summary>The entry point, visible to the tests' WebApplicationFactory.</summary>
public partial class Program;

/// <summary>Ready when every configured bundle is loaded.</summary>
internal sealed class ReadyCheck(ModelRegistry registry) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(registry.Ready ? HealthCheckResult.Healthy("bundles loaded") : HealthCheckResult.Unhealthy("bundles not loaded"));
}
