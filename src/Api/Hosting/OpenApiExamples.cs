using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace LeadML.Api.Hosting;

/// <summary>
/// Gives every request and answer body an example: the one written for the body when there is one, else one composed
/// from its schema, taking each property's own example (the contracts' <c>&lt;example&gt;</c> docs), its first allowed
/// value, a typical value for the Api's common field names (<c>leadId</c>, <c>score</c>, <c>grade</c>, …), or a value of
/// its type and format. So an answer's example shows its whole shape, and a new endpoint gets one without more work.
/// </summary>
internal sealed class OpenApiExamples : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var contents = (operation.RequestBody?.Content ?? new Dictionary<string, IOpenApiMediaType>())
            .Concat(operation.Responses?.Values.SelectMany(r => r.Content ?? new Dictionary<string, IOpenApiMediaType>()) ?? []);
        foreach (var (type, body) in contents)
        {
            if (body is not OpenApiMediaType media || media.Example is not null || media.Examples is { Count: > 0 } || media.Schema is null) continue;
            media.Example = type == "text/html" ? Page : Compose(media.Schema, context.SchemaRepository);
        }
    }

    private const string Page = "<!DOCTYPE html><html lang=\"en\"><head><title>sample 2025-12-01.1</title></head><body>…</body></html>";

    /// <summary>An example of <paramref name="schema"/>, whose references are resolved in <paramref name="schemas"/>.</summary>
    public static JsonNode? Compose(IOpenApiSchema schema, SchemaRepository schemas) => Compose(schema, null, schemas, 0);

    private static JsonNode? Compose(IOpenApiSchema schema, string? name, SchemaRepository schemas, int depth)
    {
        if (schema is OpenApiSchemaReference reference)
        {
            if (reference.Reference.Id is not { } id || !schemas.Schemas.TryGetValue(id, out var target)) return null;
            if (Written.TryGetValue(id, out var written)) return JsonNode.Parse(written);
            schema = target;
        }
        if (schema.Examples?.FirstOrDefault() is { } listed) return listed.DeepClone();
        // The contracts' <example> docs land in the single (3.0-style) example, which the document writes as such.
#pragma warning disable CS0618
        if (schema.Example is { } example) return example.DeepClone();
#pragma warning restore CS0618
        if (schema.Enum?.FirstOrDefault(e => e is not null) is { } allowed) return allowed.DeepClone();
        if (schema.Default is { } fallback) return fallback.DeepClone();
        if (name is not null && Typical.TryGetValue(name, out var typical) && Fits(typical, schema)) return typical.DeepClone();
        var type = (schema.Type ?? 0) & ~JsonSchemaType.Null;
        if (schema.AllOf is { Count: > 0 } all) return Compose(all[0], name, schemas, depth);
        if (schema.OneOf is { Count: > 0 } one) return Compose(one[0], name, schemas, depth);
        if (schema.AnyOf is { Count: > 0 } any) return Compose(any[0], name, schemas, depth);
        if (depth > 8) return null;
        if (schema.Properties is { Count: > 0 } properties)
        {
            var o = new JsonObject();
            foreach (var (key, property) in properties) o[key] = Compose(property, key, schemas, depth + 1);
            return o;
        }
        if (type.HasFlag(JsonSchemaType.Object) || schema.AdditionalProperties is not null)
        {
            return schema.AdditionalProperties is { } values
                ? new JsonObject { [Singular(name)] = Compose(values, Singular(name), schemas, depth + 1) }
                : new JsonObject();
        }
        if (type.HasFlag(JsonSchemaType.Array))
        {
            return schema.Items is { } items ? new JsonArray(Compose(items, Singular(name), schemas, depth + 1)) : new JsonArray();
        }
        if (type.HasFlag(JsonSchemaType.String))
        {
            return schema.Format switch
            {
                "date-time" => "2025-11-30T10:00:00Z",
                "date" => "2025-11-30",
                "uuid" => "3f2b8c1e-9d4a-4e57-a0c2-6b1d7e9f0a21",
                "uri" or "uri-reference" => "https://crm.example.com/hooks/leadml",
                _ => name ?? "text",
            };
        }
        if (type.HasFlag(JsonSchemaType.Integer)) return Bound(schema) ?? 3;
        if (type.HasFlag(JsonSchemaType.Number)) return Bound(schema) ?? 0.42;
        if (type.HasFlag(JsonSchemaType.Boolean)) return true;
        return null;
    }

    private static JsonNode? Bound(IOpenApiSchema schema) =>
        schema.Minimum is { } min && double.TryParse(min, NumberStyles.Float, CultureInfo.InvariantCulture, out var m) && m > 0
            ? (schema.Type?.HasFlag(JsonSchemaType.Integer) == true ? JsonValue.Create((long)m) : JsonValue.Create(m))
            : null;

    /// <summary>Whether a typical value is of a type the schema allows (a <c>score</c> may be a number or an object).</summary>
    private static bool Fits(JsonNode value, IOpenApiSchema schema)
    {
        var type = schema.Type ?? 0;
        return value.GetValueKind() switch
        {
            System.Text.Json.JsonValueKind.String => type.HasFlag(JsonSchemaType.String) && schema.Format is null or "",
            System.Text.Json.JsonValueKind.Number => type.HasFlag(JsonSchemaType.Number) || (type.HasFlag(JsonSchemaType.Integer) && value.ToJsonString().All(char.IsAsciiDigit)),
            System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False => type.HasFlag(JsonSchemaType.Boolean),
            _ => false,
        };
    }

    private static string Singular(string? name) => name switch
    {
        null => "item",
        "attributes" => "industry",
        _ when name.EndsWith("ies", StringComparison.Ordinal) => name[..^3] + "y",
        _ when name.EndsWith('s') => name[..^1],
        _ => name,
    };

    /// <summary>Request bodies whose parts depend on each other (one event or a list, a rule set's edit), written out as
    /// a client would send them, by schema id.</summary>
    private static readonly Dictionary<string, string> Written = new(StringComparer.Ordinal)
    {
        ["LeadRequest"] = """
            {"attributes":{"industry":"Software","job_title":"CEO","company_size":250,"country":"Germany","budget_known":"yes"},"createdAt":"2025-09-01T00:00:00Z"}
            """,
        ["LeadEventsRequest"] = """
            {"events":[{"eventId":"evt-000981","type":"demo_request","timestamp":"2025-11-20T09:58:12Z"},{"eventId":"evt-000982","type":"page_view","detail":"/pricing","timestamp":"2025-11-20T09:59:40Z"}]}
            """,
        ["BulkEventsRequest"] = """
            {"events":[{"leadId":"L000123","eventId":"evt-000981","type":"demo_request","timestamp":"2025-11-20T09:58:12Z"},{"leadId":"L000124","eventId":"evt-000990","type":"email_open","detail":"newsletter","timestamp":"2025-11-20T10:02:00Z"}]}
            """,
        ["RuleSetInput"] = """
            {"thresholds":{"salesReady":70,"hysteresis":5},"editedBy":"maria"}
            """,
        ["LeadTrialRequest"] = """
            {"rules":{"version":0},"lead":{"attributes":{"industry":"Software","job_title":"CEO","company_size":250,"country":"Germany"},"events":[{"type":"page_view","detail":"/pricing","timestamp":"2025-11-20T10:00:00Z"}],"createdAt":"2025-09-01T00:00:00Z","asOf":"2025-12-01T00:00:00Z"}}
            """,
        ["DraftRequest"] = """{"from":0,"createdBy":"maria"}""",
        ["ApproveRequest"] = """{"approvedBy":"maria","comment":"fewer points for webinar signups"}""",
        ["RestoreRequest"] = """{"restoredBy":"maria","comment":"back to the suggestion"}""",
        ["ConversionRequest"] = """{"at":"2025-11-28T15:00:00Z","value":12000,"source":"crm:deal-4411"}""",
        ["CompareRequest"] = """{"bundle":"models/sample-2025-12"}""",
        ["AsOfRescoringRequest"] = """{"asOf":"2030-01-07T09:00:00Z"}""",
        ["PromoteRequest"] = """{"bundle":"models/sample-2025-12","force":false}""",
    };

    /// <summary>Values the Api's common field names take, so that a composed example reads like a real answer.</summary>
    private static readonly Dictionary<string, JsonNode> Typical = new(StringComparer.Ordinal)
    {
        ["model"] = "sample",
        ["name"] = "sample",
        ["leadId"] = "L000123",
        ["eventId"] = "evt-000981",
        ["type"] = "page_view",
        ["detail"] = "/pricing",
        ["industry"] = "Software",
        ["score"] = 78.4,
        ["previousScore"] = 61.2,
        ["grade"] = "A",
        ["label"] = "Viewed pricing 3+ times in 30 days",
        ["id"] = "pricing_views_30d",
        ["feature"] = "pricing_views_30d",
        ["group"] = "engagement",
        ["modelVersion"] = "2025-12-01.1",
        ["previousModelVersion"] = "2025-11-01.1",
        ["ruleSetVersion"] = "v3",
        ["previousRuleSetVersion"] = "v2",
        ["reason"] = "event",
        ["kind"] = "sales-ready",
        ["alert"] = "sales-ready",
        ["bundle"] = "models/sample-2025-12",
        ["previousBundle"] = "models/sample-2025-11",
        ["action"] = "promote",
        ["message"] = "loaded bundle 2025-12-01.1",
        ["status"] = "recorded",
        ["source"] = "crm:deal-4411",
        ["url"] = "https://crm.example.com/hooks/leadml",
        ["error"] = "HTTP 503",
        ["lastError"] = "HTTP 503",
        ["band"] = "stable",
        ["comment"] = "fewer points for webinar signups",
        ["approvedBy"] = "maria",
        ["createdBy"] = "maria",
        ["editedBy"] = "maria",
        ["restoredBy"] = "maria",
        ["by"] = "maria",
        ["description"] = "2 new events: demo_request, pricing_page",
        ["path"] = "$.leads[3].createdAt",
        ["key"] = "sample:L000123:1:sales-ready:1764496800000",
        ["alertKey"] = "sample:L000123:1:sales-ready:1764496800000",
        ["threshold"] = 70,
        ["hysteresis"] = 5,
        ["points"] = 12,
        ["countedPoints"] = 12,
        ["basePoints"] = 10,
        ["probability"] = 0.31,
        ["value"] = 1,
        ["psi"] = 0.04,
        ["weight"] = 0.5,
        ["ruleSetSource"] = "approved",
        ["modelKind"] = "Trees",
        ["reloaded"] = "sample",
        ["webhook"] = "https://crm.example.com/hooks/leadml",
        ["instance"] = "api-1",
        ["statusCode"] = 200,
        ["actor"] = "maria",
        ["ruleSet"] = "draft",
        ["salesReady"] = 70,
        ["unknownEventType"] = "webinar_signup",
        ["unknownAttribute"] = "favourite_colour",
        ["missingAttribute"] = "budget_known",
        ["unknownCategory"] = "industry: Aerospace",
        ["invalidValue"] = "company_size",
    };
}
