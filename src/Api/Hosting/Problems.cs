using System.Text.Json;
using LeadML.Api.Scoring;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace LeadML.Api.Hosting;

/// <summary>
/// Turns failures into RFC 7807 <c>application/problem+json</c>: an unreadable body or a field that cannot be used
/// answers 400 with the offending field's JSON path in <c>errors</c> (a property the contract lacks with the known name
/// closest to it); an unknown model or rule-set version 404; a
/// change the rule-set life cycle forbids 409; anything else 500 without internals (a missing dictionary key included:
/// that is a bug, not an unknown resource).
/// </summary>
public sealed partial class Problems(IProblemDetailsService problems, ILogger<Problems> log) : IExceptionHandler
{
    /// <summary>The answer to a request field that cannot be used: 400 problem+json with the field's JSON path in
    /// <c>errors</c>, the same body as a <see cref="RequestValidationException"/> gets, returned without throwing.</summary>
    public static ValidationProblem Invalid(string path, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [path] = [message] }, detail: message, title: "Invalid request");

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, path, detail) = Unknown(context, exception) ?? WrongType(context, exception) ?? Unparsable(context, exception) ?? Describe(exception);
        if (status >= 500) Log.UnhandledError(log, exception, context.Request.Path);
        context.Response.StatusCode = status;
        var problem = new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = status, Title = title, Detail = detail };
        if (path is not null) problem.Extensions["errors"] = new Dictionary<string, string[]> { [path] = [detail] };
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }

    /// <summary>Completes every problem the Api writes: its <c>instance</c> is the request's path (RFC 9457), so an error
    /// that is not about one body field (an unknown lead, a conflict, a body too large) still says what it is about;
    /// not for a URL too long, whose path would be echoed whole. A problem the framework writes with only a status, a
    /// body of another content type (415, from routing or a handler), is told to send JSON.</summary>
    public static void Explain(ProblemDetailsContext context)
    {
        if (context.ProblemDetails.Status != StatusCodes.Status414UriTooLong)
        {
            context.ProblemDetails.Instance ??= context.HttpContext.Request.PathBase + context.HttpContext.Request.Path;
        }
        if (context.ProblemDetails.Status != StatusCodes.Status415UnsupportedMediaType || context.ProblemDetails.Detail is not null) return;
        var sent = context.HttpContext.Request.ContentType is { Length: > 0 } type ? $"the body was sent as '{type}'" : "the body was sent without a Content-Type";
        context.ProblemDetails.Detail = $"{sent}; send it as JSON with Content-Type: application/json";
    }

    internal static (int Status, string Title, string? Path, string Detail) Describe(Exception e) => e switch
    {
        RequestValidationException v => (400, "Invalid request", v.Path, v.Message),
        UnknownModelException u => (404, "Unknown model", "$.model", u.Message),
        RuleSets.RuleSetConflictException c => (409, "Conflict", null, c.Message),
        RuleSets.RuleSetChangedException c => (412, "Precondition failed", null, c.Message),
        Outcomes.ConversionConflictException c => (409, "Conflict", "$.at", c.Message),
        Leads.EventConflictException c => (409, "Conflict", c.Path, c.Message),
        RuleSets.UnknownRuleSetException u => (404, "Not found", null, u.Message),
        BadHttpRequestException { InnerException: InvalidDateException d } => (400, "Invalid request", d.Path ?? "$", d.Message),
        InvalidDateException d => (400, "Invalid request", d.Path ?? "$", d.Message),
        BadHttpRequestException { InnerException: JsonException j } => (400, "Unreadable JSON", j.Path ?? "$", Clean(j.Message)),
        // The framework names no code for a body that is missing, empty or JSON null, only its message (and the handler's
        // parameter type, which the client never sees).
        BadHttpRequestException { InnerException: null, StatusCode: 400 } b when IsNoBody(b.Message) =>
            (400, "Invalid request", "$", NoBody),
        BadHttpRequestException b when b.StatusCode == 413 => (413, "Request too large", null, b.Message),
        BadHttpRequestException b => (b.StatusCode, "Bad request", null, b.Message),
        JsonException j => (400, "Unreadable JSON", j.Path ?? "$", Clean(j.Message)),
        _ => (500, "Internal error", null, "the request could not be completed; the error is logged"),
    };

    /// <summary>A body property the contract lacks, which the serializer refuses (<see cref="ApiJson"/>): 400 at its
    /// path, with the closest known name of the type the endpoint reads. Null for any other failure.</summary>
    private static (int Status, string Title, string? Path, string Detail)? Unknown(HttpContext context, Exception e)
    {
        if (BodyFailure(context, e) is not var (json, body, options) || UnknownProperty.Find(options, body, json.Path!) is not { } unknown) return null;
        return (400, "Invalid request", json.Path, UnknownProperty.Message(unknown.Name, unknown.Known));
    }

    /// <summary>The serializer's failure at a path of the body an endpoint reads: the failure, the body's type and the
    /// options it was read with; null for any other failure.</summary>
    private static (JsonException Json, Type Body, JsonSerializerOptions Options)? BodyFailure(HttpContext context, Exception e)
    {
        var json = e as JsonException ?? (e as BadHttpRequestException)?.InnerException as JsonException;
        // The exception handler clears the endpoint before it runs; the failed one is in its feature.
        var endpoint = context.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? context.GetEndpoint();
        if (json?.Path is null || endpoint?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType is not { } body) return null;
        return (json, body, context.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions);
    }

    /// <summary>Why the serializer could not read a value of type <paramref name="body"/> that a request holds at
    /// <paramref name="at"/> (an item of a bulk request, read on its own): the failure's path under <paramref name="at"/>
    /// and the message a whole body failing so would get.</summary>
    internal static (string Path, string Message) Explain(JsonException e, Type body, JsonSerializerOptions options, string at)
    {
        var path = e.Path ?? "$";
        var message = e is InvalidDateException ? e.Message
            : UnknownProperty.Find(options, body, path) is { } unknown ? UnknownProperty.Message(unknown.Name, unknown.Known)
            : e.Message.StartsWith("The JSON value could not be converted to", StringComparison.Ordinal)
              || e.Message.StartsWith(AttributeTextConverter.NotAnObject, StringComparison.Ordinal) ? Expected(UnknownProperty.At(options, body, path))
            : Clean(e.Message);
        return (at + path[1..], message);
    }

    /// <summary>What a request that needs a body and sent none (or JSON null) is told.</summary>
    internal const string NoBody = "the body is empty or null; send a JSON object with Content-Type: application/json";

    private static bool IsNoBody(string message) =>
        message.StartsWith("Implicit body inferred for parameter", StringComparison.Ordinal) || message.Contains("was not provided from body", StringComparison.Ordinal);

    /// <summary>A body value of the wrong JSON type (an array where an object is expected, an object for a list), which
    /// the serializer words with the .NET type it wanted: 400 at its path, saying what JSON goes there. Null for any
    /// other failure.</summary>
    private static (int Status, string Title, string? Path, string Detail)? WrongType(HttpContext context, Exception e)
    {
        if (BodyFailure(context, e) is not var (json, body, options)
            || !(json.Message.StartsWith("The JSON value could not be converted to", StringComparison.Ordinal)
                || json.Message.StartsWith(AttributeTextConverter.NotAnObject, StringComparison.Ordinal))) return null;
        return (400, "Invalid request", json.Path, Expected(UnknownProperty.At(options, body, json.Path!)));
    }

    /// <summary>A query (or route) value the framework could not parse, which it words with the handler's .NET parameter
    /// type (<c>Failed to bind parameter "Nullable&lt;DateTimeOffset&gt; since" from "garbage"</c>): 400 naming the
    /// parameter, its value and what it takes. Null for any other failure.</summary>
    private static (int Status, string Title, string? Path, string Detail)? Unparsable(HttpContext context, Exception e)
    {
        if (e is not BadHttpRequestException { InnerException: null } b || FailedBinding().Match(b.Message) is not { Success: true } m) return null;
        var name = m.Groups["name"].Value;
        var where = context.Request.Query.ContainsKey(name) ? "query parameter" : "parameter";
        return (400, "Invalid request", name, $"{where} '{name}' is '{m.Groups["value"].Value}'; it must be {Takes(m.Groups["type"].Value)}");
    }

    [System.Text.RegularExpressions.GeneratedRegex("""^Failed to bind parameter "(?<type>.+) (?<name>[^ ]+)" from "(?<value>.*)"\.$""", System.Text.RegularExpressions.RegexOptions.Singleline)]
    private static partial System.Text.RegularExpressions.Regex FailedBinding();

    /// <summary>What a parameter of the .NET type the framework names takes, in the sender's words.</summary>
    private static string Takes(string type) => type.Replace("Nullable<", "", StringComparison.Ordinal).TrimEnd('>') switch
    {
        "bool" or "Boolean" => "true or false",
        "DateTimeOffset" or "DateTime" => StrictDate.Form,
        "int" or "long" or "Int32" or "Int64" => "a whole number",
        "double" or "float" or "decimal" or "Double" or "Single" or "Decimal" => "a number",
        _ => "a valid value",
    };

    /// <summary>What JSON a value of <paramref name="info"/>'s type is, in the sender's words.</summary>
    internal static string Expected(JsonTypeInfo? info)
    {
        var type = info is null ? null : Nullable.GetUnderlyingType(info.Type) ?? info.Type;
        return info?.Kind switch
        {
            JsonTypeInfoKind.Object => "must be a JSON object",
            JsonTypeInfoKind.Dictionary => "must be a JSON object of name: value",
            JsonTypeInfoKind.Enumerable => "must be a JSON array",
            _ when type == typeof(string) => "must be a string",
            _ when type == typeof(bool) => "must be true or false",
            _ when type == typeof(DateTimeOffset) || type == typeof(DateTime) => StrictDate.Expected,
            _ when type is not null && (type.IsPrimitive || type == typeof(decimal)) => "must be a number",
            _ when type is { IsEnum: true } => $"must be one of {string.Join(", ", Enum.GetNames(type).Select(n => $"'{n}'"))}",
            _ => "is not of the type this field takes",
        };
    }

    private static string Clean(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
