namespace LeadML.Api.Hosting;

/// <summary>Endpoint filters for the two roles.</summary>
public static class ApiKeyEndpoints
{
    public static TBuilder RequireKey<TBuilder>(this TBuilder builder, KeyRole role) where TBuilder : IEndpointConventionBuilder
    {
        builder.AddEndpointFilter(async (context, next) =>
        {
            var keys = context.HttpContext.RequestServices.GetRequiredService<ApiKeys>();
            return keys.Check(context.HttpContext, role) ?? await next(context);
        });
        return builder;
    }
}
