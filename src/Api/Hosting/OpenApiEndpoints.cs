namespace LeadML.Api.Hosting;

/// <summary>What an endpoint declares for its OpenAPI document beyond its handler's types: an error status it can
/// answer and when (<c>.WithProblem(409, "…")</c>), so that the document says it with the problem+json schema.</summary>
public static class OpenApiEndpoints
{
    public static RouteHandlerBuilder WithProblem(this RouteHandlerBuilder builder, int status, string when) =>
        builder.ProducesProblem(status).WithMetadata(new ProblemNote(status, when));
}

/// <summary>Endpoint metadata: an error status the endpoint answers, and when.</summary>
public sealed record ProblemNote(int Status, string When);
