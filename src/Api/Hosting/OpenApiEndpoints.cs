namespace LeadML.Api.Hosting;

/// <summary>What an endpoint declares for its OpenAPI document beyond its handler's types: an error status it can
/// answer and when (<c>.WithProblem(409, "…")</c>), so that the document says it with the problem+json schema, and a
/// header its answers carry (<c>.WithResponseHeader("ETag", "…")</c>).</summary>
public static class OpenApiEndpoints
{
    public static RouteHandlerBuilder WithProblem(this RouteHandlerBuilder builder, int status, string when) =>
        builder.ProducesProblem(status).WithMetadata(new ProblemNote(status, when));

    /// <summary>A header the endpoint's success answers carry, e.g. <c>ETag</c>.</summary>
    public static RouteHandlerBuilder WithResponseHeader(this RouteHandlerBuilder builder, string name, string description) =>
        builder.WithMetadata(new ResponseHeader(name, description));
}

/// <summary>Endpoint metadata: a header its success answers carry.</summary>
public sealed record ResponseHeader(string Name, string Description);

/// <summary>Endpoint metadata: an error status the endpoint answers, and when.</summary>
public sealed record ProblemNote(int Status, string When);
