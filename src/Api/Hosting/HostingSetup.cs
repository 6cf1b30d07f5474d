using LeadML.Api.Store;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Prometheus;

namespace LeadML.Api.Hosting;

/// <summary>Registers what every endpoint stands on: the Api's settings (checked at start), limits, JSON and errors
/// (every error is <c>application/problem+json</c> with the offending field's path), and the operations around it:
/// health checks, metrics and the OpenAPI document.</summary>
public static class HostingSetup
{
    public static IHostApplicationBuilder AddHosting(this IHostApplicationBuilder builder)
    {
        builder.AddValidatedOptions<LeadMlOptions>(LeadMlOptions.Section);
        builder.Services.AddSingleton<IValidateOptions<LeadMlOptions>, LeadMlOptionsValidation>();
        builder.Services.AddCors();
        builder.Services.AddRateLimits();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddOptions<KestrelServerOptions>()
            .Configure<IOptions<LeadMlOptions>>((kestrel, options) =>
            {
                kestrel.Limits.MaxRequestBodySize = options.Value.MaxRequestBytes;
                // Above the Api's own URL limit, so that a long URL gets the Api's 414 problem, not the server's empty 414.
                kestrel.Limits.MaxRequestLineSize = options.Value.MaxUrlBytes + LeadMlOptions.UrlHeadroomBytes;
            });
        builder.Services.ConfigureHttpJsonOptions(ApiJson.Configure);
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = Problems.Explain);
        builder.Services.AddExceptionHandler<Problems>();
        return builder;
    }

    public static IHostApplicationBuilder AddOperations(this IHostApplicationBuilder builder)
    {
        var health = builder.Services.AddHealthChecks().AddCheck<ReadyCheck>("bundles", tags: ["ready"]);
        if (builder.HasLeadStore()) health.AddCheck<StoreReadyCheck>("store", tags: ["ready"], timeout: TimeSpan.FromSeconds(5));
        builder.Services.AddEndpointsApiExplorer();
        builder.Services.AddSwaggerGen(OpenApi.Configure);
        return builder;
    }

    /// <summary>The request pipeline: HTTP metrics (outermost, so they count the status the client got, also when the
    /// exception handler turned a failure into a 500), errors as problem details, CORS and rate limits when configured,
    /// API keys, the body limit, dates in the query, bodies that are not UTF-8, the OpenAPI document and Swagger UI.</summary>
    public static WebApplication UseHosting(this WebApplication app)
    {
        app.UseHttpMetrics();
        app.Use(async (context, next) =>
        {
            // The exception handler clears the endpoint before it writes its problem; the request metrics name it.
            var endpoint = context.GetEndpoint();
            await next(context);
            if (context.GetEndpoint() is null && endpoint is not null) context.SetEndpoint(endpoint);
        });
        app.UseExceptionHandler();
        app.UseCrossOrigin();
        app.UseRateLimits();
        app.UseApiKeys();
        app.UseMiddleware<RequestLimits>();
        app.UseMiddleware<QueryDates>();
        app.UseMiddleware<Utf8Body>();
        app.UseStatusCodePages();
        // OpenAPI 3.1: the alert webhook is described under `webhooks`, which 3.0 lacks.
        app.UseSwagger(o => o.OpenApiVersion = Microsoft.OpenApi.OpenApiSpecVersion.OpenApi3_1);
        app.UseSwaggerUI();
        return app;
    }

    /// <summary>Liveness (the process answers), readiness (every bundle loaded and the lead store answering), Prometheus metrics, and the root sending
    /// a browser to Swagger UI.</summary>
    public static IEndpointRouteBuilder MapOperations(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new() { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new() { Predicate = c => c.Tags.Contains("ready") });
        app.MapMetrics("/metrics");
        app.MapGet("/", () => Results.Redirect("/swagger")).ExcludeFromDescription();
        return app;
    }
}
