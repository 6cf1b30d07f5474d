using Microsoft.Extensions.Options;

namespace LeadML.Api.Hosting;

/// <summary>CORS for the origins of <see cref="CrossOriginOptions"/> (ASP.NET Core's CORS middleware); nothing at all
/// when none are configured.</summary>
public static class CrossOrigin
{
    /// <summary>Headers a page on an allowed origin may read from an answer.</summary>
    private static readonly string[] Exposed = ["ETag", "Location", "Retry-After"];

    public static WebApplication UseCrossOrigin(this WebApplication app)
    {
        var origins = app.Services.GetRequiredService<IOptions<LeadMlOptions>>().Value.Cors.Origins;
        if (origins.Count == 0) return app;
        app.UseCors(policy => policy.WithOrigins([.. origins]).AllowAnyMethod().AllowAnyHeader().WithExposedHeaders(Exposed)
            .SetPreflightMaxAge(TimeSpan.FromMinutes(10)));
        return app;
    }

    /// <summary>Why <paramref name="origin"/> is not one a browser sends in <c>Origin</c>, or null when it is.</summary>
    internal static string? NotAnOrigin(string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            && string.Equals(origin, uri.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase)
            ? null
            : $"is '{origin}'; an origin is scheme://host[:port] without a path or a trailing slash, e.g. https://crm.example.com";
}
