using LeadML.Api.Hosting;
using LeadML.Api.Scoring;
using LeadML.Api.Store;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LeadML.Api.Alerts;

/// <summary>An alert as listed by <c>GET /alerts</c>.</summary>
public sealed record AlertDto(string Key, string Kind, string Model, string LeadId, double Score, double? PreviousScore, double Threshold, double Hysteresis,
    string Reason, string ModelVersion, string RuleSetVersion, DateTimeOffset RaisedAt, DateTimeOffset? DeliveredAt, int Attempts, string? LastError);

/// <summary><c>GET /alerts</c> (the outbox, newest first) and <c>GET /alerts/deliveries</c> (the delivery log).</summary>
public static class AlertEndpoints
{
    private const int MaxLimit = 1000;

    public static void Map(WebApplication app)
    {
        var alerts = app.MapGroup("/alerts").WithTags("Alerts").RequireKey(KeyRole.Scoring);
        alerts.MapGet("", List).WithSummary("Alerts, newest first: filter by model, leadId, kind (sales-ready, gone-cold), delivered, since; limit ≤ 1000");
        alerts.MapGet("/deliveries", Deliveries).WithSummary("Delivery attempts, newest first: filter by alertKey, leadId, succeeded; limit ≤ 1000");
    }

    private static async Task<Ok<List<AlertDto>>> List(LeadStore store, string? model = null, string? leadId = null, string? kind = null, bool? delivered = null,
        DateTimeOffset? since = null, int limit = 100, CancellationToken ct = default)
    {
        if (kind is not null and not (AlertRule.SalesReady or AlertRule.GoneCold))
        {
            throw new RequestValidationException("$.kind", $"'{kind}' is not an alert kind; use {AlertRule.SalesReady} or {AlertRule.GoneCold}");
        }
        var alerts = await store.AlertsAsync(model, leadId, kind, delivered, since?.UtcDateTime, Limit(limit), ct);
        return TypedResults.Ok(alerts.Select(a => new AlertDto(a.Key, a.Kind, a.Model, a.LeadId, a.Score, a.PreviousScore, a.Threshold, a.Hysteresis, a.Reason,
            a.ModelVersion, a.RuleSetVersion, new(a.RaisedAt, TimeSpan.Zero), a.DeliveredAt is { } d ? new(d, TimeSpan.Zero) : null, a.Attempts, a.LastError)).ToList());
    }

    private static async Task<Ok<List<DeliveryAttempt>>> Deliveries(LeadStore store, string? alertKey = null, string? leadId = null, bool? succeeded = null,
        int limit = 100, CancellationToken ct = default) =>
        TypedResults.Ok(await store.DeliveriesAsync(alertKey, leadId, succeeded, Limit(limit), ct));

    private static int Limit(int limit) => limit is >= 1 and <= MaxLimit ? limit
        : throw new RequestValidationException("$.limit", $"is {limit}; use 1 to {MaxLimit}");
}
