using LeadML.Api.Hosting;
using LeadML.Api.Store;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LeadML.Api.Alerts;

/// <summary><c>GET /alerts</c> (the outbox, newest first) and <c>GET /alerts/deliveries</c> (the delivery log).</summary>
public static class AlertsApi
{
    private const int MaxLimit = 1000;

    public static RouteGroupBuilder MapAlertsApi(this IEndpointRouteBuilder app)
    {
        var alerts = app.MapGroup("/alerts").WithTags("Alerts").RequireKey(KeyRole.Scoring);
        if (!app.HasLeadStore()) return alerts;
        alerts.MapGet("", List).WithSummary("Alerts, newest first: filter by model, leadId, kind (sales-ready, gone-cold), delivered, since; limit ≤ 1000");
        alerts.MapGet("/deliveries", Deliveries).WithSummary("Delivery attempts, newest first: filter by alertKey, leadId, succeeded; limit ≤ 1000");
        return alerts;
    }

    private static async Task<Results<Ok<List<AlertDto>>, ValidationProblem>> List(LeadStore store, string? model = null, string? leadId = null,
        string? kind = null, bool? delivered = null, DateTimeOffset? since = null, int limit = 100, CancellationToken ct = default)
    {
        if (kind is not null and not (AlertRule.SalesReady or AlertRule.GoneCold))
        {
            return Problems.Invalid("$.kind", $"'{kind}' is not an alert kind; use {AlertRule.SalesReady} or {AlertRule.GoneCold}");
        }
        if (CheckLimit(limit) is { } invalid) return invalid;
        var alerts = await store.AlertsAsync(model, leadId, kind, delivered, since?.UtcDateTime, limit, ct);
        return TypedResults.Ok(alerts.Select(a => new AlertDto(a.Key, a.Kind, a.Model, a.LeadId, a.Score, a.PreviousScore, a.Threshold, a.Hysteresis, a.Reason,
            a.ModelVersion, a.RuleSetVersion, new(a.RaisedAt, TimeSpan.Zero), a.DeliveredAt is { } d ? new(d, TimeSpan.Zero) : null, a.Attempts, a.LastError)).ToList());
    }

    private static async Task<Results<Ok<List<DeliveryAttempt>>, ValidationProblem>> Deliveries(LeadStore store, string? alertKey = null,
        string? leadId = null, bool? succeeded = null, int limit = 100, CancellationToken ct = default) =>
        CheckLimit(limit) is { } invalid ? invalid : TypedResults.Ok(await store.DeliveriesAsync(alertKey, leadId, succeeded, limit, ct));

    private static ValidationProblem? CheckLimit(int limit) =>
        limit is >= 1 and <= MaxLimit ? null : Problems.Invalid("$.limit", $"is {limit}; use 1 to {MaxLimit}");
}
