using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using LeadML.Api.Scoring;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace LeadML.Api.Hosting;

/// <summary>
/// Lists every error an operation can answer, each as <c>application/problem+json</c> with the <c>Problem</c> schema
/// (RFC 9457 with <c>errors</c> keyed by JSON path, as <see cref="Problems"/> writes it) and an example. What every
/// endpoint can get follows from what it is: 400 when it reads a body or a parameter that can fail to parse; 401 when
/// it needs a key, 403 when a lesser key exists; 404 when it selects a model; 413 and 415 when it reads a body; 414,
/// 429 and 500 always. Statuses only the handler knows (404 of a lead, 409, 412, 422) come from its declared results
/// and <see cref="OpenApiEndpoints.WithProblem"/>; 412 from an <c>If-Match</c> header the handler reads. Response headers
/// an endpoint declares (<see cref="OpenApiEndpoints.WithResponseHeader"/>) are added to its success answers.
/// </summary>
internal sealed class OpenApiProblems(IOptions<LeadMlOptions> options) : IOperationFilter
{
    public const string Schema = "Problem";
    public const string MediaType = "application/problem+json";

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var description = context.ApiDescription;
        var metadata = description.ActionDescriptor.EndpointMetadata;
        var handler = metadata.OfType<MethodInfo>().FirstOrDefault();
        var notes = metadata.OfType<ProblemNote>().ToDictionary(n => n.Status, n => n.When);
        var body = operation.RequestBody is not null;
        var parsed = description.ParameterDescriptions.Any(p => p.Source != BindingSource.Body && p.Source != BindingSource.Services
            && p.Type is { } t && (Nullable.GetUnderlyingType(t) ?? t) != typeof(string));
        var roles = metadata.OfType<RequiredKey>().Select(r => r.Role).ToList();
        var statuses = new SortedSet<int>((operation.Responses ?? []).Keys.Select(k => int.TryParse(k, out var s) ? s : 0).Where(s => s >= 400));
        if (body || parsed) statuses.Add(400);
        if (roles.Count > 0) statuses.Add(401);
        if (roles.Count > 0 && roles.Max() > KeyRole.Scoring) statuses.Add(403);
        // A handler that looks a model up answers 404 for one the request names that is not configured.
        var selects = body || operation.Parameters?.Any(p => p.Name is "model" or "name") == true;
        if (selects && handler?.GetParameters().Any(p => p.ParameterType == typeof(ModelRegistry)) == true) statuses.Add(404);
        if (body) { statuses.Add(413); statuses.Add(415); }
        var ifMatch = operation.Parameters?.Any(p => p.In == ParameterLocation.Header && string.Equals(p.Name, "If-Match", StringComparison.OrdinalIgnoreCase)) == true;
        if (ifMatch) statuses.Add(412);
        else if (statuses.Contains(412))
        {
            // A handler that reads If-Match itself declares its 412; the header it reads is a parameter of the operation.
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = "If-Match",
                In = ParameterLocation.Header,
                Description = OpenApiParameters.IfMatch,
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                Example = "\"3-1764496800\"",
            });
        }
        statuses.UnionWith([414, 429, 500]);

        operation.Responses ??= [];
        foreach (var header in metadata.OfType<ResponseHeader>())
        {
            foreach (var (_, success) in operation.Responses.Where(r => r.Key.StartsWith('2')))
            {
                if (success is not OpenApiResponse r) continue;
                r.Headers ??= new Dictionary<string, IOpenApiHeader>();
                r.Headers[header.Name] = new OpenApiHeader { Description = header.Description, Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
            }
        }
        var reference = new OpenApiSchemaReference(Schema, context.Document);
        Register(context);
        foreach (var status in statuses)
        {
            var key = status.ToString(CultureInfo.InvariantCulture);
            var response = new OpenApiResponse
            {
                Description = notes.TryGetValue(status, out var when) ? $"{Title(status)}: {when}" : Describe(status, roles),
                Content = new Dictionary<string, IOpenApiMediaType> { [MediaType] = new OpenApiMediaType { Schema = reference, Example = Example(status, notes.GetValueOrDefault(status)) } },
            };
            if (status == 429)
            {
                response.Headers = new Dictionary<string, IOpenApiHeader>
                {
                    ["Retry-After"] = new OpenApiHeader
                    {
                        Description = "Seconds to wait before the next request.",
                        Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "1" },
                        Example = 12,
                    },
                };
            }
            operation.Responses[key] = response;
        }
    }

    private string Describe(int status, List<KeyRole> roles) => status switch
    {
        400 => "The request cannot be used: the body is missing, not JSON, or has a property the contract lacks, a value of the wrong type, "
            + "a non-finite number, a date without a time zone; or a parameter cannot be parsed. `errors` names each offending field by its JSON "
            + "path or the parameter by its name. Nothing is stored.",
        401 => "No key in `X-Api-Key`, or a key that is not configured.",
        403 => roles.Max() == KeyRole.Admin ? "The key is not an admin key." : "The key is a scoring key; this needs a reviewer or admin key.",
        404 => "The model named (in the path, the `model` parameter or the body) is not configured, or what the path names does not exist.",
        409 => "The request conflicts with what is stored; nothing of it is stored.",
        412 => "`If-Match` names a version that is no longer current: someone else changed it. Read it again (its `ETag`) and retry.",
        413 => string.Create(CultureInfo.InvariantCulture, $"The body is larger than {options.Value.MaxRequestBytes:N0} bytes (`LeadML:MaxRequestBytes`)."),
        414 => "The URL is longer than the server accepts.",
        415 => "The body was not sent as JSON; send it with `Content-Type: application/json`.",
        422 => "The bundle named cannot be used.",
        429 => "This key (or, without one, this address) sent more requests in a minute than `LeadML:RateLimit:PermitsPerMinute` allows (only when a limit is configured); wait the seconds in `Retry-After`.",
        500 => "The request could not be completed; the error is logged and nothing of the request is stored.",
        _ => Title(status),
    };

    private static string Title(int status) => status switch
    {
        400 => "Invalid request",
        401 => "API key required",
        403 => "Forbidden",
        404 => "Not found",
        409 => "Conflict",
        412 => "Precondition failed",
        413 => "Request too large",
        414 => "URL too long",
        415 => "Unsupported media type",
        422 => "Unprocessable",
        429 => "Too many requests",
        500 => "Internal error",
        _ => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status),
    };

    /// <summary>A problem as the Api writes it for <paramref name="status"/>.</summary>
    private JsonNode Example(int status, string? when)
    {
        var (detail, path) = status switch
        {
            400 => ("'timestamp' must be an ISO 8601 date and time with a time zone, e.g. 2025-11-20T10:00:00Z", "$.events[0].timestamp"),
            401 => ($"send your key in the {ApiKeys.Header} header", null),
            403 => ("this scoring key may not administer; use an admin key", null),
            404 => ("model sample has no lead 'L000123'", "$.leadId"),
            409 => (when ?? "the request conflicts with what is stored", null),
            412 => ("version 3 was changed since the ETag sent in If-Match; read it again and retry", null),
            413 => (string.Create(CultureInfo.InvariantCulture, $"the body has 40,000,000 bytes; the limit is {options.Value.MaxRequestBytes:N0} (LeadML:MaxRequestBytes)"), null),
            414 => ("the URL is longer than the server accepts", null),
            415 => ("the body was sent as 'text/plain'; send it as JSON with Content-Type: application/json", null),
            422 => ("the bundle's model file is missing", null),
            429 => ("this key may send 600 requests a minute (LeadML:RateLimit:PermitsPerMinute); try again in 12 s", null),
            _ => ("the request could not be completed; the error is logged", null),
        };
        var problem = new JsonObject
        {
            ["type"] = Type(status),
            ["title"] = Title(status),
            ["status"] = status,
            ["detail"] = detail,
        };
        if (path is not null) problem["errors"] = new JsonObject { [path] = new JsonArray(detail) };
        problem["traceId"] = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00";
        return problem;
    }

    /// <summary>The <c>type</c> the framework gives a status: the section of RFC 9110 defining it.</summary>
    private static string Type(int status) => status switch
    {
        400 => "https://tools.ietf.org/html/rfc9110#section-15.5.1",
        401 => "https://tools.ietf.org/html/rfc9110#section-15.5.2",
        403 => "https://tools.ietf.org/html/rfc9110#section-15.5.4",
        404 => "https://tools.ietf.org/html/rfc9110#section-15.5.5",
        409 => "https://tools.ietf.org/html/rfc9110#section-15.5.10",
        412 => "https://tools.ietf.org/html/rfc9110#section-15.5.13",
        413 => "https://tools.ietf.org/html/rfc9110#section-15.5.14",
        414 => "https://tools.ietf.org/html/rfc9110#section-15.5.15",
        415 => "https://tools.ietf.org/html/rfc9110#section-15.5.16",
        422 => "https://tools.ietf.org/html/rfc9110#section-15.5.21",
        429 => "https://tools.ietf.org/html/rfc6585#section-4",
        _ => "https://tools.ietf.org/html/rfc9110#section-15.6.1",
    };

    /// <summary>Adds the <c>Problem</c> schema to the document's components once.</summary>
    private static void Register(OperationFilterContext context)
    {
        if (context.SchemaRepository.Schemas.ContainsKey(Schema)) return;
        var text = new OpenApiSchema { Type = JsonSchemaType.String };
        context.SchemaRepository.AddDefinition(Schema, new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "An error (RFC 9457 problem details, `application/problem+json`).",
            Required = new HashSet<string> { "title", "status" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri-reference", Description = "A URI naming the kind of problem (the status's section of RFC 9110)." },
                ["title"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The kind of problem in a few words, e.g. `Invalid request`." },
                ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "400", Maximum = "599", Description = "The HTTP status code." },
                ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "What was wrong with this request, with the offending value, in plain words." },
                ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The request the problem occurred in, when known." },
                ["errors"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Description = "Each offending field by its JSON path in the body (`$.events[2].timestamp`, `$.leads[0].attributes.country`, "
                        + "`$.model`) or a parameter by its name (`limit`), with what is wrong with it. Present when a field or parameter is at fault.",
                    AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = text, MinItems = 1 },
                },
                ["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The request's trace id, to quote when asking about it." },
            },
        });
    }
}
