using LeadML.Api.Hosting;
using LeadML.Api.Scoring;
using Microsoft.Extensions.Options;

namespace LeadML.Api.Endpoints;

/// <summary><c>POST /score</c>, <c>POST /score/batch</c>, <c>GET /models</c> and the admin reload.</summary>
public static class ScoringEndpoints
{
    public static void Map(WebApplication app)
    {
        var score = app.MapGroup("/score").WithTags("Scoring").RequireKey(KeyRole.Scoring);
        score.MapPost("", Score)
            .WithSummary("Score one lead")
            .WithDescription("Hybrid score 0–100 (approved rule points blended with the model's calibrated probability), grade, sales-ready flag and the explanation of every part. explain=false skips the explanation; features=true adds the feature values.");
        // The batch body is read and the answer written by hand (BatchReader, BatchWriter); the contracts document them.
        score.MapPost("/batch", Batch)
            .Accepts<BatchScoreRequest>("application/json")
            .Produces<BatchScoreResponse>()
            .WithSummary("Score many leads")
            .WithDescription("One answer per lead, in order; an unusable lead gets an error with its JSON path and does not fail the batch.");

        app.MapGet("/models", Models).WithTags("Scoring").RequireKey(KeyRole.Scoring).WithSummary("The scoring models in force");
        app.MapPost("/admin/models/{name}/reload", Reload).WithTags("Admin").RequireKey(KeyRole.Admin)
            .WithSummary("Load a model's bundle again and swap it in atomically");
    }

    private static ScoreResponse Score(ScoreRequest request, ModelRegistry registry, IOptions<LeadMlOptions> options, TimeProvider clock,
        bool explain = true, bool features = false)
    {
        var model = registry.Get(request.Model);
        var lead = LeadScorer.FromRequest(request, clock.GetUtcNow().UtcDateTime);
        var result = LeadScorer.Score(model, lead, Options(options.Value, explain, features));
        ApiMetrics.Scored(result);
        return result;
    }

    private static async Task Batch(HttpContext http, ModelRegistry registry, IOptions<LeadMlOptions> options, TimeProvider clock,
        bool explain = true, bool features = false)
    {
        if (!http.Request.HasJsonContentType())
        {
            // What the framework answers for a JSON body of another type.
            http.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var request = await BatchReader.ReadAsync(http.Request, options.Value.BatchLimit, now, http.RequestAborted);
        var leads = request.Leads;
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
                    : new BatchItem(i, LeadScorer.Score(registry.Get(model ?? request.Model), lead, scoreOptions), null);
            }
            catch (UnknownModelException e)
            {
                items[i] = new BatchItem(i, null, new BatchError($"$.leads[{i}].model", e.Message));
            }
        });
        var failed = 0;
        foreach (var item in items)
        {
            if (item.Error is not null) failed++;
        }
        ApiMetrics.Scored(items);
        await BatchWriter.WriteAsync(http.Response, new BatchScoreResponse(items.Length - failed, failed, items), http.RequestAborted);
    }

    private static IEnumerable<object> Models(ModelRegistry registry) => registry.All.OrderBy(m => m.Name, StringComparer.Ordinal).Select(m => new
    {
        name = m.Name,
        isDefault = m.Name == registry.DefaultName,
        modelVersion = m.ModelVersion,
        modelKind = m.Bundle.Manifest.ModelKind.ToString(),
        ruleSetVersion = m.RuleSetVersion,
        ruleSetSource = m.RuleSource == RuleSetSource.Approved ? "approved" : "suggested",
        salesReady = m.Rules.Thresholds.SalesReady,
        grades = m.Rules.Grades,
        testRocAuc = m.Bundle.Metrics.Test?.RocAuc,
    });

    private static IResult Reload(string name, ModelRegistry registry)
    {
        var (ok, message) = registry.Reload(name);
        return ok
            ? Results.Ok(new { reloaded = name, message })
            : Results.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Bundle refused", detail: message);
    }

    private static ScoreOptions Options(LeadMlOptions o, bool explain, bool features) =>
        new(explain, features, o.BlendWeight, o.TopContributions);
}
