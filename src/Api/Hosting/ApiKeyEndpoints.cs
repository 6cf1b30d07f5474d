namespace LeadML.Api.Hosting;

/// <summary>The key role an endpoint (or a group of them) needs: <c>RequireKey(KeyRole.Reviewer)</c>. The check runs
/// as middleware before the endpoint reads its body or parameters, so a request without the right key is answered 401
/// or 403 whatever else is wrong with it; of several roles named on the way (a group's and an endpoint's) the highest
/// applies.</summary>
public static class ApiKeyEndpoints
{
    public static TBuilder RequireKey<TBuilder>(this TBuilder builder, KeyRole role) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequiredKey(role));

    /// <summary>Answers a request to an endpoint that needs a key it does not carry; passes every other one on.</summary>
    public static WebApplication UseApiKeys(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var roles = context.GetEndpoint()?.Metadata.GetOrderedMetadata<RequiredKey>();
            if (roles is { Count: > 0 } && context.RequestServices.GetRequiredService<ApiKeys>().Check(context, roles.Max(r => r.Role)) is { } refused)
            {
                await refused.ExecuteAsync(context);
                return;
            }
            await next(context);
        });
        return app;
    }
}

/// <summary>Endpoint metadata: the key role the endpoint needs.</summary>
public sealed record RequiredKey(KeyRole Role);
