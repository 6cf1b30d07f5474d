using System.Text.Json.Nodes;
using LeadML.Api.Alerts;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace LeadML.Api.Hosting;

/// <summary>Describes every route and query parameter the Api reads, by its name: what it selects, its default, the
/// values and range it takes (the same bounds the handlers check), and an example. A parameter named here nowhere is
/// left undescribed, which the document's test reports.</summary>
internal sealed class OpenApiParameters : IOperationFilter
{
    /// <summary>The most rows a list answers (<c>limit</c> of alerts, deliveries and promotions).</summary>
    public const int MaxLimit = 1000;

    /// <summary>The longest lead id, event id or conversion source.</summary>
    public const int MaxIdLength = 256;

    /// <summary>What an <c>If-Match</c> header does.</summary>
    public const string IfMatch = "The `ETag` of the version as you read it (GET answers it). The change is refused with 412 when someone else changed it since.";

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        foreach (var p in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
        {
            var schema = p.Schema as OpenApiSchema;
            var (description, example) = Describe(p.Name ?? "", p.In, context.ApiDescription.RelativePath ?? "", schema);
            p.Description ??= description;
            if (example is not null) p.Example ??= example;
        }
    }

    private static (string? Description, JsonNode? Example) Describe(string name, ParameterLocation? where, string path, OpenApiSchema? schema)
    {
        switch (name)
        {
            case "model" when where == ParameterLocation.Path:
            case "name" when where == ParameterLocation.Path:
                return ("The scoring model by name (`GET /models` lists them).", "sample");
            case "model" when path.StartsWith("alerts", StringComparison.Ordinal):
                return ("Only alerts of this model.", "sample");
            case "model":
                return ("The scoring model by name; the configured default model when omitted (`GET /models` lists them).", "sample");
            case "id":
                if (schema is not null) { schema.MinLength = 1; schema.MaxLength = MaxIdLength; }
                return ($"Your id for the lead, at most {MaxIdLength} characters.", "L000123");
            case "version":
                if (schema is not null) schema.Minimum = "0";
                return (where == ParameterLocation.Path
                    ? "The rule-set version; 0 is the bundle's suggestion."
                    : "The stored rule-set version to evaluate (required); 0 is the bundle's suggestion.", 2);
            case "from":
                if (schema is not null) schema.Minimum = "0";
                return ("The version to compare from (required); 0 is the bundle's suggestion.", 0);
            case "to":
                if (schema is not null) schema.Minimum = "0";
                return ("The version to compare to (required); 0 is the bundle's suggestion.", 2);
            case "explain":
                return ("`false` leaves out the explanation (criteria fired, model contributions), which is faster.", true);
            case "features":
                return ("`true` adds the feature values the lead was scored on.", false);
            case "limit":
                if (schema is not null) { schema.Minimum = "1"; schema.Maximum = MaxLimit.ToString(System.Globalization.CultureInfo.InvariantCulture); }
                return ($"The most rows answered, newest first: 1 to {MaxLimit} (default 100).", 100);
            case "leadId":
                return ("Only rows of this lead.", "L000123");
            case "kind":
                if (schema is not null) schema.Enum = [AlertRule.SalesReady, AlertRule.GoneCold];
                return ("Only alerts of this kind: `sales-ready` (the score crossed the threshold upwards) or `gone-cold` (it fell below the threshold minus the hysteresis).", AlertRule.SalesReady);
            case "delivered":
                return ("`true`: only alerts every webhook accepted; `false`: only alerts still being delivered or given up on.", false);
            case "succeeded":
                return ("`true`: only attempts a webhook accepted (2xx); `false`: only failed attempts.", false);
            case "since":
                return ($"Only alerts raised at or after this time: {StrictDate.Form}.", "2025-11-30T00:00:00Z");
            case "alertKey":
                return ("Only attempts of this alert (its `key`).", "sample:L000123:1:sales-ready:1764496800000");
            case "top":
                if (schema is not null) schema.Minimum = "0";
                return ("Only the N most drifted features; 0 (the default) lists all.", 10);
            case "discardedBy":
                return ("Who discards the draft, for the audit; optional.", "maria");
            case "If-Match":
                return (IfMatch, "\"3-1764496800\"");
            case "cutoff":
                return ($"The time the leads are graded at: {StrictDate.Form}, not in the future; default now minus the bundle's outcome horizon, so that every outcome is known.", "2025-09-01T00:00:00Z");
            default:
                return (null, null);
        }
    }
}
