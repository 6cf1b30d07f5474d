using LeadML.Api.Scoring;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LeadML.Api.Hosting;

/// <summary>Ready when every configured bundle is loaded.</summary>
internal sealed class ReadyCheck(ModelRegistry registry) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(registry.Ready ? HealthCheckResult.Healthy("bundles loaded") : HealthCheckResult.Unhealthy("bundles not loaded"));
}
