using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace LeadML.Api.Hosting;

/// <summary>
/// Refuses bodies larger than <see cref="LeadMlOptions.MaxRequestBytes"/> with 413 problem details: by the declared
/// length before reading, and through the server's own limit for streamed bodies.
/// </summary>
public sealed class RequestLimits(RequestDelegate next, IOptions<LeadMlOptions> options)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var limit = options.Value.MaxRequestBytes;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature) feature.MaxRequestBodySize = limit;
        if (context.Request.ContentLength > limit)
        {
            await Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request too large",
                detail: $"the body has {context.Request.ContentLength:N0} bytes; the limit is {limit:N0} (LeadML:MaxRequestBytes)").ExecuteAsync(context);
            return;
        }
        await next(context);
    }
}
