using LeadML.Api.Scoring;
using LeadML.Api.Store;
using LeadML.Features.Store;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LeadML.Api.Hosting;

/// <summary>Ready when every configured bundle is loaded.</summary>
internal sealed class ReadyCheck(ModelRegistry registry) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(registry.Ready ? HealthCheckResult.Healthy("bundles loaded") : HealthCheckResult.Unhealthy("bundles not loaded"));
}

/// <summary>Ready when the lead store answers a query on its leads table: a store that cannot be reached, a schema
/// that is gone or a file that is no longer a database takes the instance out of rotation, as a request would fail.</summary>
internal sealed class StoreReadyCheck(LeadStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var c = await store.OpenAsync(cancellationToken);
            await Sql.ScalarAsync(c, null, $"SELECT COUNT(*) FROM (SELECT 1 FROM {StoreSchema.Leads.Table} LIMIT 1) AS probe", cancellationToken);
            return HealthCheckResult.Healthy("lead store answers");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The exception's text may hold connection details; the log has it, the probe's answer only says what failed.
            return HealthCheckResult.Unhealthy("lead store does not answer", e);
        }
    }
}
