using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace LeadML.Api.Hosting;

/// <summary>
/// Per-key request limits (<see cref="RateLimitOptions"/>) with ASP.NET Core rate limiting: a fixed one-minute window
/// per configured key (counted by the key's SHA-256, never the key itself), per client address for requests without
/// one. A request over the limit answers 429 problem details with <c>Retry-After</c> in seconds. Health checks and
/// metrics are not counted, so a probe never takes an instance out for a busy client.
/// </summary>
public static class RateLimits
{
    public static IServiceCollection AddRateLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<LeadMlOptions>>((limiter, options) =>
        {
            var permits = options.Value.RateLimit.PermitsPerMinute;
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context => Exempt(context.Request.Path)
                ? RateLimitPartition.GetNoLimiter("operations")
                : RateLimitPartition.GetFixedWindowLimiter(Partition(context), _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0, AutoReplenishment = true,
                }));
            limiter.OnRejected = (rejected, ct) => Reject(rejected.HttpContext, rejected.Lease, permits);
        });
        return services;
    }

    public static WebApplication UseRateLimits(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<LeadMlOptions>>().Value.RateLimit.PermitsPerMinute > 0) app.UseRateLimiter();
        return app;
    }

    private static bool Exempt(PathString path) => path.StartsWithSegments("/health") || path.StartsWithSegments("/metrics");

    private static string Partition(HttpContext context) =>
        context.RequestServices.GetRequiredService<ApiKeys>().Identify(context) is { } key
            ? "key:" + key
            : "address:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");

    private static async ValueTask Reject(HttpContext context, RateLimitLease lease, int permits)
    {
        var wait = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests",
            detail: $"this key may send {permits} requests a minute ({LeadMlOptions.Section}:RateLimit:PermitsPerMinute); try again in {seconds} s")
            .ExecuteAsync(context);
    }
}
