using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace LeadML.Api.Hosting;

/// <summary>Swagger document settings: title, the API key scheme, and the filters that make the document complete
/// enough to integrate from alone: every error answer (<see cref="OpenApiProblems"/>), parameters and limits
/// (<see cref="OpenApiParameters"/>), schemas as the Api reads and writes them (<see cref="OpenApiSchemas"/>),
/// examples of every body (<see cref="OpenApiExamples"/>) and the alert webhook (<see cref="OpenApiWebhooks"/>).</summary>
public static class OpenApi
{
    /// <summary>Where the document is served (OpenAPI 3.1, for its <c>webhooks</c>).</summary>
    public const string DocumentPath = "/swagger/v1/swagger.json";

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
        var xml = Path.Combine(AppContext.BaseDirectory, "LeadML.Api.xml");
        if (File.Exists(xml)) o.IncludeXmlComments(xml);
        // A comparison is built as JSON; it is described by the type it is built from.
        o.MapType<JsonObject>(() => new OpenApiSchema { Type = JsonSchemaType.Object, Description = "The comparison's figures by metric." });
        o.SchemaFilter<OpenApiSchemas>();
        
        o.OperationFilter<OpenApiParameters>();
        o.OperationFilter<OpenApiProblems>();


        o.OperationFilter<OpenApiExamples>();
        o.DocumentFilter<OpenApiWebhooks>();
        o.DocumentFilter<OpenApiSchemas>();
    }
}
