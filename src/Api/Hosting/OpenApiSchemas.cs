using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using LeadML.Api.Alerts;
using LeadML.Api.Leads;
using LeadML.Api.Outcomes;
using LeadML.Api.Scoring;
using LeadML.Features.Evaluation;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace LeadML.Api.Hosting;

/// <summary>
/// Makes the schemas say what the Api reads and writes rather than what its .NET types are: attribute values as a
/// string, number, boolean or null; enums spelled as the Api writes them (camelCase; it reads any case); alert kinds
/// as their kebab-case words; a comparison by its own schema; the limits the handlers check as bounds
/// (<c>maxItems</c> of a batch, <c>maxLength</c> of ids). Then drops the component schemas no operation or webhook
/// reaches (the framework's own problem types), so the document names no internal type.
/// </summary>
internal sealed partial class OpenApiSchemas(IOptions<LeadMlOptions> options) : ISchemaFilter, IDocumentFilter
{
    private static readonly NullabilityInfoContext Nullability = new();

    private static readonly string[] AlertKinds = [AlertRule.SalesReady, AlertRule.GoneCold];

    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema s) return;
        var type = context.Type;
        if (type.IsEnum)
        {
            s.Enum = [.. Enum.GetNames(type).Select(n => (JsonNode)JsonNamingPolicy.CamelCase.ConvertName(n))];
            return;
        }
        if (s.Properties is not { Count: > 0 } properties) return;
        // A body built by setting properties (a request) needs only what it marks required; one built through its
        // constructor (an answer) writes every property.
        if (s.Required is { Count: > 0 } required && type.GetConstructor(Type.EmptyTypes) is not null)
        {
            foreach (var property in type.GetProperties())
            {
                if (property.GetCustomAttribute<System.Runtime.CompilerServices.RequiredMemberAttribute>() is null
                    && property.GetCustomAttribute<System.ComponentModel.DataAnnotations.RequiredAttribute>() is null)
                {
                    required.Remove(JsonNamingPolicy.CamelCase.ConvertName(property.Name));
                }
            }
        }
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var name = property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            if (!properties.TryGetValue(name, out var found) || found is not OpenApiSchema p) continue;
            if (property.GetCustomAttribute<JsonConverterAttribute>()?.ConverterType == typeof(AttributeTextConverter)) Attributes(p);
        }
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var name = property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            // A reference cannot say null by itself: a nullable object property is that object or null.
            if (properties.TryGetValue(name, out var referenced) && referenced is OpenApiSchemaReference reference
                && Nullability.Create(property).ReadState == NullabilityState.Nullable)
            {
                properties[name] = new OpenApiSchema { AnyOf = [reference, new OpenApiSchema { Type = JsonSchemaType.Null }], Description = reference.Description };
            }
            if (property.PropertyType == typeof(JsonObject))
            {
                properties[name] = context.SchemaGenerator.GenerateSchema(typeof(ComparisonResult), context.SchemaRepository);
            }
        }
        var batch = options.Value.BatchLimit;
        switch (type.Name)
        {
            case nameof(BatchScoreRequest):
                Items(properties, "leads", batch, $"At most {batch:N0} leads per request (`LeadML:BatchLimit`).");
                break;
            case nameof(LeadEventsRequest) or nameof(BulkEventsRequest):
                Items(properties, "events", batch, $"At most {batch:N0} events per request (`LeadML:BatchLimit`).");
                break;
            case nameof(LeadEventRequest):
                Length(properties, "eventId", OpenApiParameters.MaxIdLength);
                Length(properties, "leadId", OpenApiParameters.MaxIdLength);
                break;
            case nameof(ConversionRequest):
                Length(properties, "source", OpenApiParameters.MaxIdLength);
                if (Find(properties, "value") is OpenApiSchema value) value.Minimum = "0";
                break;
            case nameof(LeadScoreSummary):
                Kinds(properties, "alert", nullable: true);
                break;
            case nameof(AlertDto) or nameof(AlertPayload):
                Kinds(properties, "kind", nullable: false);
                if (Find(properties, "event") is OpenApiSchema e) e.Enum = [.. AlertKinds.Select(k => (JsonNode)WebhookSignature.EventType(k))];
                break;
        }
    }

    private static IOpenApiSchema? Find(IDictionary<string, IOpenApiSchema> properties, string name) =>
        properties.TryGetValue(name, out var p) ? p : null;

    /// <summary>Attribute values as <see cref="AttributeTextConverter"/> reads them.</summary>
    private static void Attributes(OpenApiSchema p)
    {
        p.AdditionalProperties = new OpenApiSchema
        {
            Type = JsonSchemaType.String | JsonSchemaType.Number | JsonSchemaType.Boolean | JsonSchemaType.Null,
            Description = "A string, number, boolean or null (null: unknown); an array or object is refused.",
        };
    }

    private static void Items(IDictionary<string, IOpenApiSchema> properties, string name, int max, string limit)
    {
        if (Find(properties, name) is not OpenApiSchema p) return;
        p.MaxItems = max;
        p.Description = p.Description is { Length: > 0 } d ? $"{d} {limit}" : limit;
    }

    private static void Length(IDictionary<string, IOpenApiSchema> properties, string name, int max)
    {
        if (Find(properties, name) is OpenApiSchema p) p.MaxLength = max;
    }

    private static void Kinds(IDictionary<string, IOpenApiSchema> properties, string name, bool nullable)
    {
        if (Find(properties, name) is not OpenApiSchema p) return;
        p.Enum = [.. AlertKinds.Select(k => (JsonNode)k)];
        if (nullable) p.Enum.Add(null!);
    }

    /// <summary>Removes every component schema that no path, webhook or reachable schema refers to.</summary>
    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        if (document.Components?.Schemas is not { } schemas) return;
        var all = new Dictionary<string, IOpenApiSchema>(schemas, StringComparer.Ordinal);
        schemas.Clear();
        var reached = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Queue<string>(References(Serialize(document.SerializeAsV31)));
        while (pending.TryDequeue(out var name))
        {
            if (!all.TryGetValue(name, out var schema) || !reached.Add(name)) continue;
            foreach (var next in References(Serialize(schema.SerializeAsV31))) pending.Enqueue(next);
        }
        foreach (var (name, schema) in all.Where(s => reached.Contains(s.Key)).OrderBy(s => s.Key, StringComparer.Ordinal)) schemas[name] = schema;
    }

    private static string Serialize(Action<IOpenApiWriter> write)
    {
        using var text = new StringWriter();
        write(new OpenApiJsonWriter(text));
        return text.ToString();
    }

    private static IEnumerable<string> References(string json) => SchemaReference().Matches(json).Select(m => m.Groups[1].Value);

    [GeneratedRegex("\"#/components/schemas/([^\"]+)\"")]
    private static partial Regex SchemaReference();
}
