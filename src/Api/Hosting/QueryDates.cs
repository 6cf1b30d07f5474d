using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;

namespace LeadML.Api.Hosting;

/// <summary>
/// Reads every date a query sends (<c>GET /alerts?since=…</c>, <c>GET /outcomes?cutoff=…</c>) by the rule bodies are
/// read by (<see cref="StrictDate"/>): a value without a time zone, a date alone or a year before 1900 is a 400 problem
/// naming the parameter, before the endpoint runs. The framework would read <c>since=2026-12-01T10:00:00</c> in the
/// server's zone and <c>since=2026-12-01</c> as its midnight. The date parameters are found from each endpoint's
/// handler, so an endpoint added later is covered.
/// </summary>
public sealed class QueryDates(RequestDelegate next)
{
    private static readonly ConcurrentDictionary<Endpoint, string[]> Names = new();

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.QueryString.HasValue && context.GetEndpoint() is { } endpoint)
        {
            foreach (var name in Names.GetOrAdd(endpoint, DateParameters))
            {
                foreach (var text in context.Request.Query[name])
                {
                    if (text is null || StrictDate.Check(text) is not { } problem) continue;
                    // A value that is no date at all is worded as any unparsable query value is.
                    var message = problem == StrictDate.Expected ? $"query parameter '{name}' is '{text}'; it {problem}" : $"query parameter '{name}': {problem}";
                    await Problems.Invalid(name, message).ExecuteAsync(context);
                    return;
                }
            }
        }
        await next(context);
    }

    /// <summary>The query names of the endpoint's handler parameters that take a date.</summary>
    private static string[] DateParameters(Endpoint endpoint)
    {
        if (endpoint.Metadata.GetMetadata<MethodInfo>() is not { } handler) return [];
        var route = (endpoint as RouteEndpoint)?.RoutePattern;
        var names = new List<string>();
        foreach (var p in handler.GetParameters())
        {
            var type = Nullable.GetUnderlyingType(p.ParameterType) ?? p.ParameterType;
            if ((type != typeof(DateTimeOffset) && type != typeof(DateTime)) || p.Name is null) continue;
            if (p.GetCustomAttributes().Any(a => a is IFromBodyMetadata or IFromRouteMetadata or IFromHeaderMetadata or IFromFormMetadata or IFromServiceMetadata)) continue;
            var fromQuery = p.GetCustomAttributes().OfType<IFromQueryMetadata>().FirstOrDefault();
            if (fromQuery is null && route?.GetParameter(p.Name) is not null) continue;
            names.Add(fromQuery?.Name ?? p.Name);
        }
        return [.. names];
    }
}
