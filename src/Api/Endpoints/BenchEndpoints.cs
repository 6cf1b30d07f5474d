using System.Diagnostics;
using LeadML.Api.Hosting;
using LeadML.Api.Scoring;
using Microsoft.Extensions.Options;

namespace LeadML.Api.Endpoints;

/// <summary>
/// Reference endpoints for <c>scripts/bench-score.sh</c>, mapped only with <c>LeadML:Benchmark:Enabled=true</c>:
/// <c>POST /bench/bare</c> parses the same body as <c>/score</c> and returns a constant (the framework's ceiling), and
/// <c>POST /bench/inprocess</c> scores a batch body in process, without HTTP, and reports rows per second.
/// </summary>
public static class BenchEndpoints
{
    public static void Map(WebApplication app)
    {
        if (!app.Configuration.GetValue<bool>("LeadML:Benchmark:Enabled")) return;
        var bench = app.MapGroup("/bench").ExcludeFromDescription();
        bench.MapPost("/bare", (ScoreRequest request) => Results.Ok(new { score = 50.0, grade = "C", salesReady = false, leadId = request.LeadId }));
        bench.MapPost("/inprocess", (BatchScoreRequest request, ModelRegistry registry, IOptions<LeadMlOptions> options, TimeProvider clock, bool explain = false, int repeat = 10) =>
        {
            var leads = request.Leads ?? throw new RequestValidationException("$.leads", "is required");
            var now = clock.GetUtcNow().UtcDateTime;
            var scoreOptions = new ScoreOptions(explain, false, options.Value.BlendWeight, options.Value.TopContributions);
            var watch = Stopwatch.StartNew();
            for (var r = 0; r < repeat; r++)
            {
                // The same work as /score/batch: parse each item, score it, in parallel.
                Parallel.For(0, leads.Count, i => LeadScorer.Score(registry.Get(leads[i].Model ?? request.Model), LeadScorer.FromRequest(leads[i], now), scoreOptions));
            }
            var seconds = watch.Elapsed.TotalSeconds;
            return Results.Ok(new { rows = leads.Count * repeat, seconds, rowsPerSecond = leads.Count * repeat / seconds });
        });
    }
}
