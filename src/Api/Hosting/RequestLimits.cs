using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace LeadML.Api.Hosting;

/// <summary>
/// Refuses a URL longer than <see cref="LeadMlOptions.MaxUrlBytes"/> with 414 problem details, and bodies larger than <see cref="LeadMlOptions.MaxRequestBytes"/> with 413 problem details: by the declared
/// length before reading, and through the server's own limit for streamed bodies.
/// </summary>
public sealed class RequestLimits(RequestDelegate next, IOptions<LeadMlOptions> options)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (UrlBytes(context) is var url && url > options.Value.MaxUrlBytes)
        {
            await Results.Problem(statusCode: StatusCodes.Status414UriTooLong, title: "URL too long",
                detail: $"the URL has {url:N0} bytes; the limit is {options.Value.MaxUrlBytes:N0} (LeadML:MaxUrlBytes); send long values in a JSON body").ExecuteAsync(context);
            return;
        }
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

    /// <summary>The URL's length as sent (path and query), in bytes.</summary>
    private static int UrlBytes(HttpContext context)
    {
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(target)) target = context.Request.PathBase + context.Request.Path + context.Request.QueryString;
        return System.Text.Encoding.UTF8.GetByteCount(target);
    }
}
