using System.Globalization;
using System.Text.Json.Nodes;
using LeadML.Api.Alerts;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace LeadML.Api.Hosting;

/// <summary>
/// The alert webhook as an OpenAPI 3.1 <c>webhooks</c> entry: what the Api posts to each configured receiver (the
/// <see cref="AlertPayload"/> body), the headers it sends (<see cref="WebhookSignature"/>), how a receiver checks the
/// signature and the replay window, and what the receiver's answer means for retries.
/// </summary>
internal sealed class OpenApiWebhooks(IOptions<AlertOptions> alerts) : IDocumentFilter
{
    public const string Name = "alert";

    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        var o = alerts.Value;
        var window = (int)WebhookSignature.ReplayWindow.TotalMinutes;
        var schema = context.SchemaGenerator.GenerateSchema(typeof(AlertPayload), context.SchemaRepository);
        var operation = new OpenApiOperation
        {
            OperationId = "alertWebhook",
            Summary = "An alert, posted to every configured webhook (LeadML:Webhooks)",
            Description = $"""
                When a stored lead's score crosses the sales-ready threshold upwards (`lead.sales_ready`) or falls below the threshold minus the
                hysteresis (`lead.gone_cold`), the Api posts this body to each webhook in `LeadML:Webhooks`. The body is written once when the
                alert is raised and sent unchanged on every attempt; `Idempotency-Key` (the alert's `key`) tells a redelivery from a new alert.

                **Checking the signature.** `{WebhookSignature.Header}: t=<unix seconds>,v1=<hex>`: `v1` is the lowercase hex HMAC-SHA256,
                keyed with the webhook's `Secret`, of `t`, a dot and the raw body bytes (`t + "." + body`). Recompute it over the body exactly
                as received (before any JSON parsing), compare in constant time, and refuse a `t` more than {window} minutes from your clock:
                a captured post cannot be replayed later. Every attempt is signed anew with its own `t`.

                **Answering.** Any 2xx accepts the alert. Anything else, or no answer within {Seconds(o.AttemptTimeout)}, is retried up to
                {o.MaxRetries} times ({Seconds(o.RetryDelay)} apart, doubling); after that the alert goes out again {Seconds(o.RedeliveryDelay)}
                later, the pause doubling per round up to 10 minutes: alerts are never dropped. `GET /alerts` and `GET /alerts/deliveries`
                show each alert's state and every attempt.
                """,
            Tags = new HashSet<OpenApiTagReference> { new("Alerts", document) },
            Parameters =
            [
                Header(WebhookSignature.Header, $"`t=<unix seconds>,v1=<hex HMAC-SHA256 of t + \".\" + body>`; refuse a `t` more than {window} minutes from your clock.",
                    "t=1764496800,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd", "^t=[0-9]+,v1=[0-9a-f]{64}$"),
                Header(WebhookSignature.EventHeader, "The event type, as the body's `event`.", "lead.sales_ready", null,
                    [WebhookSignature.EventType(AlertRule.SalesReady), WebhookSignature.EventType(AlertRule.GoneCold)]),
                Header(WebhookSignature.DeliveryHeader, "A new id for every attempt, for your logs.", "0d4f1f8e-3c4b-4d8e-9a57-2a6f3b1c9e20", null, format: "uuid"),
                Header(WebhookSignature.IdempotencyHeader, "The alert's key (the body's `key`): the same on every attempt and redelivery, so a receiver acts once per alert.",
                    "sample:L000123:1:sales-ready:1764496800000", null),
                Header("User-Agent", "`LeadML-Webhooks/<version>`.", WebhookSignature.UserAgent, "^LeadML-Webhooks/.+$"),
            ],
            RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Description = "The alert (`Content-Type: application/json; charset=utf-8`).",
                Content = new Dictionary<string, IOpenApiMediaType> { ["application/json"] = new OpenApiMediaType { Schema = schema, Example = Example() } },
            },
            Responses = new OpenApiResponses
            {
                ["2XX"] = new OpenApiResponse { Description = "The alert is accepted; it is not posted to this webhook again." },
                ["default"] = new OpenApiResponse { Description = "Any other answer (or none in time): the attempt failed and the alert is posted again later." },
            },
            Security = [],
        };
        document.Webhooks ??= new Dictionary<string, IOpenApiPathItem>(StringComparer.Ordinal);
        document.Webhooks[Name] = new OpenApiPathItem { Operations = new() { [HttpMethod.Post] = operation } };
    }

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";

    private static OpenApiParameter Header(string name, string description, string example, string? pattern, string[]? values = null, string? format = null) => new()
    {
        Name = name,
        In = ParameterLocation.Header,
        Required = true,
        Description = description,
        Example = example,
        Schema = new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Pattern = pattern,
            Format = format,
            Enum = values?.Select(v => (JsonNode)v).ToList(),
        },
    };

    /// <summary>A sales-ready alert raised by two new events.</summary>
    private static JsonObject Example() => new()
    {
        ["key"] = "sample:L000123:1:sales-ready:1764496800000",
        ["event"] = "lead.sales_ready",
        ["kind"] = "sales-ready",
        ["model"] = "sample",
        ["leadId"] = "L000123",
        ["score"] = 78.4,
        ["previousScore"] = 61.2,
        ["grade"] = "A",
        ["threshold"] = 70,
        ["hysteresis"] = 5,
        ["reason"] = "event",
        ["cause"] = new JsonObject
        {
            ["reason"] = "event",
            ["description"] = "2 new events: demo_request, page_view",
            ["events"] = new JsonArray(
                new JsonObject { ["eventId"] = "evt-000981", ["type"] = "demo_request", ["timestamp"] = "2025-11-30T09:58:12Z" },
                new JsonObject { ["eventId"] = "evt-000982", ["type"] = "page_view", ["timestamp"] = "2025-11-30T09:59:40Z", ["detail"] = "/pricing" }),
        },
        ["criteria"] = new JsonArray(
            new JsonObject { ["id"] = "demo_request_30d", ["label"] = "Requested a demo in 30 days", ["group"] = "engagement", ["points"] = 25, ["countedPoints"] = 25, ["value"] = 1 },
            new JsonObject { ["id"] = "industry_software", ["label"] = "Industry is Software", ["group"] = "fit", ["points"] = 10, ["countedPoints"] = 10, ["value"] = null }),
        ["modelVersion"] = "2025-12-01.1",
        ["ruleSetVersion"] = "v3",
        ["raisedAt"] = "2025-11-30T10:00:00Z",
    };
}
