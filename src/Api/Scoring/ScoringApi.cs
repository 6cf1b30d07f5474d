using LeadML.Api.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace LeadML.Api.Scoring;

/// <summary><c>POST /score</c>, <c>POST /score/batch</c>, <c>GET /models</c> and the admin reload.</summary>
public static class ScoringApi
{
    /// <summary>Maps the scoring endpoints; returns the <c>/score</c> group.</summary>
    public static RouteGroupBuilder MapScoringApi(this IEndpointRouteBuilder app)
    {
        var score = app.MapGroup("/score").WithTags("Scoring").RequireKey(KeyRole.Scoring).WithMetadata(Utf8Body.ReadByHandler);
        // Both bodies are read by the one lead reader (LeadReader), which checks they are UTF-8 itself, rather than bound: the contracts document them. Answers
        // are written with the scoring contracts' own source-generated serializer (ScoringJson), whose generated writing
        // code the Api's shared JSON options would bypass.
        score.MapPost("", Score)
            .Accepts<ScoreRequest>("application/json")
            .Produces<ScoreResponse>()
            .WithSummary("Score one lead")
            .WithDescription("Hybrid score 0–100 (approved rule points blended with the model's calibrated probability), grade, sales-ready flag and the explanation of every part. explain=false skips the explanation; features=true adds the feature values.");
        score.MapPost("/batch", Batch)
            .Accepts<BatchScoreRequest>("application/json")
            .Produces<BatchScoreResponse>()
            .WithSummary("Score many leads")
            .WithDescription("One answer per lead, in order; an unusable lead gets an error with its JSON path and does not fail the batch.");

        app.MapGet("/models", Models).WithTags("Scoring").RequireKey(KeyRole.Scoring).WithSummary("The scoring models in force");
        app.MapPost("/admin/models/{name}/reload", Reload).WithTags("Admin").RequireKey(KeyRole.Admin)
            .WithSummary("Load a model's bundle again and swap it in atomically")
            .WithProblem(StatusCodes.Status422UnprocessableEntity, "the bundle does not load (a file missing or invalid); the bundle in force stays");
        return score;
    }

    private static async Task<Results<JsonHttpResult<ScoreResponse>, ValidationProblem, StatusCodeHttpResult>> Score(HttpRequest http, ModelRegistry registry,
        IOptions<LeadMlOptions> options, TimeProvider clock, bool explain = true, bool features = false)
    {
        if (!http.HasJsonContentType()) return UnsupportedMediaType();
        var read = await LeadReader.ReadLeadAsync(http, clock.GetUtcNow().UtcDateTime, http.HttpContext.RequestAborted);
        if (read.Problem is { } problem) return Problems.Invalid(problem.Path, problem.Message);
        var result = LeadScorer.Score(registry.Get(read.Model), read.Lead!, Options(options.Value, explain, features));
        ApiMetrics.Scored(result);
        return TypedResults.Json(result, ScoringJson.Default.ScoreResponse);
    }

    private static async Task<Results<BatchAnswer, ValidationProblem, StatusCodeHttpResult>> Batch(HttpRequest http, ModelRegistry registry,
        IOptions<LeadMlOptions> options, TimeProvider clock, ILogger<BatchAnswer> log, bool explain = true, bool features = false)
    {
        if (!http.HasJsonContentType()) return UnsupportedMediaType();
        var batch = await LeadReader.ReadBatchAsync(http, options.Value.BatchLimit, clock.GetUtcNow().UtcDateTime, http.HttpContext.RequestAborted);
        if (batch.Problem is { } problem) return Problems.Invalid(problem.Path, problem.Message);
        var leads = batch.Leads;
        var scoreOptions = Options(options.Value, explain, features);
        var items = new BatchItem[leads.Length];
        Parallel.For(0, leads.Length, i =>
        {
            var (lead, model, error) = leads[i];
            // A scored lead's input is garbage at once, not held (and copied by each collection) to the batch's end.
            leads[i] = default;
            try
            {
                items[i] = lead is null
                    ? new BatchItem(i, null, error)
                    : new BatchItem(i, LeadScorer.Score(registry.Get(model ?? batch.Model), lead, scoreOptions, i), null);
            }
            catch (UnknownModelException e)
            {
                items[i] = new BatchItem(i, null, new BatchError($"$.leads[{i}].model", e.Message));
            }
        });
        ApiMetrics.Scored(items);
        // Each item is written on its own, so an item whose answer cannot be written becomes its error (BatchAnswer).
        return BatchAnswer.Of(items, ScoringJson.Default.BatchItem, log);
    }

    /// <summary>What the framework answers for a JSON body of another type.</summary>
    private static StatusCodeHttpResult UnsupportedMediaType() => TypedResults.StatusCode(StatusCodes.Status415UnsupportedMediaType);

    private static IEnumerable<ModelSummary> Models(ModelRegistry registry) => registry.All.OrderBy(m => m.Name, StringComparer.Ordinal).Select(m =>
        new ModelSummary(m.Name, m.Name == registry.DefaultName, m.ModelVersion, m.Bundle.Manifest.ModelKind.ToString(), m.RuleSetVersion,
            m.RuleSource == RuleSetSource.Approved ? "approved" : "suggested", m.Rules.Thresholds.SalesReady, m.Rules.Grades, m.Bundle.Metrics.Test?.RocAuc,
            m.Bundle.Metrics.Leaks.Where(l => !l.Handled).Select(l => l.Message).ToArray()));

    private static Results<Ok<ReloadResponse>, ProblemHttpResult> Reload(string name, ModelRegistry registry)
    {
        var (ok, message) = registry.Reload(name);
        return ok
            ? TypedResults.Ok(new ReloadResponse(name, message))
            : TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Bundle refused", detail: message);
    }

    private static ScoreOptions Options(LeadMlOptions o, bool explain, bool features) =>
        new(explain, features, o.BlendWeight, o.TopContributions);
}
