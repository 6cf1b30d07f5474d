using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.XPath;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace LeadML.Api.Hosting;

/// <summary>Swagger document settings: title, the API key scheme, and the filters that make the document complete
/// enough to integrate from alone: every error answer (<see cref="OpenApiProblems"/>), parameters and limits
/// (<see cref="OpenApiParameters"/>), schemas as the Api reads and writes them (<see cref="OpenApiSchemas"/>),
/// examples of every body (<see cref="OpenApiExamples"/>) and the alert webhook (<see cref="OpenApiWebhooks"/>).</summary>
public static partial class OpenApi
{
    /// <summary>Where the document is served (OpenAPI 3.1, for its <c>webhooks</c>).</summary>
    public const string DocumentPath = "/swagger/v1/swagger.json";

    private static string SchemaId(Type type) => type.IsGenericType
        ? string.Concat(type.GetGenericArguments().Select(a => Word(Nullable.GetUnderlyingType(a) ?? a))) + type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]
        : type.Name;

    private static string Word(Type type) => type == typeof(int) || type == typeof(long) ? "WholeNumber"
        : type == typeof(double) || type == typeof(float) ? "Number"
        : type == typeof(bool) ? "Flag"
        : type == typeof(string) ? "Text"
        : SchemaId(type);

    /// <summary>The XML docs with references to code written as a reader of the document knows them: a property as its
    /// JSON name (<c>eventId</c>), a type or method by its bare name, never a namespace-qualified .NET name; a comment
    /// wrapped over several lines as one line.</summary>
    internal static string Plain(string xml)
    {
        xml = MemberReference().Replace(xml, m => $"<c>{JsonNamingPolicy.CamelCase.ConvertName(m.Groups[1].Value)}</c>");
        xml = OtherReference().Replace(xml, m => m.Groups[1].Value);
        xml = ParameterReference().Replace(xml, m => $"<c>{m.Groups[1].Value}</c>");
        // A comment wrapped over several source lines is one paragraph: its line breaks and indentation are one space.
        return WrappedLine().Replace(xml, " ");
    }

    [GeneratedRegex(@"(?<=[^>\s]|</(?:c|b|i|a)>|/>)[ \t]*\r?\n[ \t]+(?=[^<\s]|<(?:c|see|paramref|typeparamref|b|i|a)\b)")]
    private static partial Regex WrappedLine();

    [GeneratedRegex("""<see(?:also)? cref="[PF]:[^"]*?\.([A-Za-z0-9_]+)"\s*/>""")]
    private static partial Regex MemberReference();

    [GeneratedRegex("""<see(?:also)? cref="[TM]:(?:[A-Za-z0-9_]+\.)*([A-Za-z0-9_]+)(?:`\d+)?(?:\([^"]*\))?"\s*/>""")]
    private static partial Regex OtherReference();

    [GeneratedRegex("""<(?:paramref|typeparamref) name="([^"]+)"\s*/>""")]
    private static partial Regex ParameterReference();

    public static void Configure(SwaggerGenOptions o)
    {
        o.SwaggerDoc("v1", new()
        {
            Title = "LeadML",
            Version = "v1",
            Description = """
                Hybrid lead scores with explanations, lead state, alerts and rule-set review.

                Every request sends its key in the `X-Api-Key` header. Bodies are JSON (`Content-Type: application/json`), read strictly:
                a property the contract lacks, a value of the wrong type, a non-finite number or a date without a time zone is refused
                with 400. Every error is `application/problem+json` (RFC 9457) whose `errors` names each offending field by its JSON
                path (`$.events[0].timestamp`) or a parameter by its name. Alerts are posted to the configured webhooks: see `webhooks`.
                """,
        });
        // The key every protected endpoint reads (Swagger UI's "Authorize" button sends it).
        o.AddSecurityDefinition(ApiKeys.Header, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = ApiKeys.Header,
            Description = "A scoring key (scoring, leads, events, alerts), a reviewer key (also rule-set review) or an admin key (everything).",
        });
        o.AddSecurityRequirement(document => new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeys.Header, document)] = [] });
        foreach (var name in new[] { "LeadML.Api.xml", "LeadML.Features.xml" })
        {
            var xml = Path.Combine(AppContext.BaseDirectory, name);
            if (File.Exists(xml)) o.IncludeXmlComments(() => new XPathDocument(new StringReader(Plain(File.ReadAllText(xml)))));
        }
        // A comparison is built as JSON; it is described by the type it is built from.
        o.MapType<JsonObject>(() => new OpenApiSchema { Type = JsonSchemaType.Object, Description = "The comparison's figures by metric." });
        // Every answer writes every property (ApiJson), so a non-nullable one is always there and never null.
        o.SupportNonNullableReferenceTypes();
        o.NonNullableReferenceTypesAsRequired();
        // A generic type is named after what it holds in words, never a .NET type name (Change<int> → NumberChange).
        o.CustomSchemaIds(SchemaId);
        o.SchemaFilter<OpenApiSchemas>();
        
        o.OperationFilter<OpenApiParameters>();
        o.OperationFilter<OpenApiProblems>();


        o.OperationFilter<OpenApiExamples>();
        o.DocumentFilter<OpenApiWebhooks>();
        o.DocumentFilter<OpenApiSchemas>();
    }
}
