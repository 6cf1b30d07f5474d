using LeadML.Api.Hosting;
using LeadML.Api.Leads;
using LeadML.Api.Scoring;
using LeadML.Api.Store;
using Microsoft.Extensions.Options;

namespace LeadML.Api.Promotion;

/// <summary>
/// Keeps the bundle of the latest promotion in force: on start (a promotion outlives a restart, though the settings
/// still name the first bundle) and every rescoring poll (an instance on the same PostgreSQL follows a promotion made
/// through another). A bundle that no longer loads is logged and the one in force keeps serving.
/// </summary>
public sealed class PromotionAdoption(LeadStore store, ModelRegistry registry, IOptions<RescoringOptions> options, ILogger<PromotionAdoption> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await AdoptAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                Log.PromotionsUnreadable(log, e);
            }
            await Task.Delay(options.Value.PollInterval, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    // Only a promotion not seen before is adopted, so that a record this instance wrote itself is not applied twice.
    private readonly Dictionary<string, long> _seen = new(StringComparer.Ordinal);

    // One change of the model in force at a time on this instance: a poll never runs between a promotion's swap and
    // its record.
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Runs a promotion or rollback made through this instance with no adoption poll in between.</summary>
    internal async Task<T> ExclusiveAsync<T>(Func<Task<T>> change, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            return await change();
        }
        finally
        {
            _gate.Release();
        }
    }

    internal async Task AdoptAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            await AdoptUnderGateAsync(ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task AdoptUnderGateAsync(CancellationToken ct)
    {
        foreach (var model in registry.All)
        {
            var latest = (await store.PromotionsAsync(model.Name, 1, ct)).FirstOrDefault();
            if (latest is null || _seen.GetValueOrDefault(model.Name) >= latest.Seq) continue;
            _seen[model.Name] = latest.Seq;
            if (string.Equals(latest.Bundle, registry.BundleFolder(model.Name), StringComparison.Ordinal)) continue;
            var (ok, message) = registry.Promote(model.Name, latest.Bundle);
            if (ok) Log.PromotionAdopted(log, model.Name, message);
            else Log.PromotedBundleUnloadable(log, latest.Bundle, model.Name, model.ModelVersion, message);
        }
    }
}
