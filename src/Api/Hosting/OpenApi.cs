using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace LeadML.Api.Hosting;

/// <summary>Swagger document settings: title, the API key scheme, examples.</summary>
public static class OpenApi
{
    public static void Configure(SwaggerGenOptions o)
    {
        o.SwaggerDoc("v1", new() { Title = "LeadML", Version = "v1", Description = "Hybrid lead scores with explanations, lead state, alerts and rule-set review." });
        // The key every protected endpoint reads (Swagger UI's "Authorize" button sends it).
        o.AddSecurityDefinition(ApiKeys.Header, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = ApiKeys.Header,
            Description = "A scoring key (scoring, leads, events) or an admin key (everything).",
        });
        o.AddSecurityRequirement(document => new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeys.Header, document)] = [] });
        var xml = Path.Combine(AppContext.BaseDirectory, "LeadML.Api.xml");
        if (File.Exists(xml)) o.IncludeXmlComments(xml);
    }
}
