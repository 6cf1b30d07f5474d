using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using LeadML.Api.Hosting;
using LeadML.Api.Scoring;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LeadML.Api.Bench;

/// <summary>
/// The references <c>scripts/bench-score.sh</c> sets the Api against, served after the Api's own pipeline.
/// <c>/bench/inprocess</c> reads the batch body once with the Api's reader, before the clock starts, and then scores
/// those leads as <c>/score/batch</c> does (in parallel), <c>repeat</c> times or for at least <c>seconds</c>; with
/// <c>json=true</c> each repeat also reads the body and writes the answer with the serializer <c>/score/batch</c> uses;
/// with <c>concurrency=N</c>, N batches are in flight at once, as N connections keep the endpoint busy.
/// </summary>
internal sealed class ReferenceEndpoints : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        next(app);
        app.Run(context => context.Request.Path.Value switch
        {
            "/bench/bare" => Bare(context),
            "/bench/inprocess" => InProcess(context),
            "/bench/gc" => Gc(context),
            _ => NotFound(context),
        });
    };

    private static Task NotFound(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }

    private static async Task Bare(HttpContext context)
    {
        var read = await LeadReader.ReadLeadAsync(context.Request, DateTime.UtcNow, context.RequestAborted);
        await context.Response.WriteAsJsonAsync(new BareAnswer(50.0, "C", false, read.Lead?.LeadId), BenchJson.Default.BareAnswer);
    }

    /// <summary>The process's garbage collections so far, to compare two runs by the difference before and after each.</summary>
    private static Task Gc(HttpContext context) => context.Response.WriteAsJsonAsync(new GcState(GC.CollectionCount(0), GC.CollectionCount(1),
        GC.CollectionCount(2), GC.GetTotalAllocatedBytes(), GC.GetTotalPauseDuration().TotalSeconds), BenchJson.Default.GcState);

    private static async Task InProcess(HttpContext context)
    {
        var query = context.Request.Query;
        var explain = bool.TryParse(query["explain"], out var e) && e;
        var json = bool.TryParse(query["json"], out var j) && j;
        var repeat = int.TryParse(query["repeat"], out var r) ? r : 10;
        var seconds = double.TryParse(query["seconds"], System.Globalization.CultureInfo.InvariantCulture, out var s) ? s : 0;
        var concurrency = Math.Clamp(int.TryParse(query["concurrency"], out var c) ? c : 1, 1, 64);
        var services = context.RequestServices;
        var registry = services.GetRequiredService<ModelRegistry>();
        var options = services.GetRequiredService<IOptions<LeadMlOptions>>().Value;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;

        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var body = buffer.ToArray();
        var batch = Usable(LeadReader.ReadBatch(body, options.BatchLimit, now));
        var scoreOptions = new ScoreOptions(explain, false, options.BlendWeight, options.TopContributions);
        var watch = Stopwatch.StartNew();
        var totals = new Totals();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(() =>
        {
            var output = new ArrayBufferWriter<byte>(body.Length);
            TimeSpan parse = default, score = default, write = default;
            var rounds = 0;
            for (; rounds < repeat || watch.Elapsed.TotalSeconds < seconds; rounds++)
            {
                var t0 = watch.Elapsed;
                var leads = json ? Usable(LeadReader.ReadBatch(body, options.BatchLimit, now)).Leads : batch.Leads;
                var t1 = watch.Elapsed;
                // The same work as /score/batch: score each lead, in parallel.
                var results = new ScoreResponse[leads.Length];
                Parallel.For(0, leads.Length, i => results[i] = LeadScorer.Score(registry.Get(leads[i].Model ?? batch.Model), leads[i].Lead!, scoreOptions));
                var t2 = watch.Elapsed;
                if (json)
                {
                    var answer = new BatchScoreResponse(results.Length, 0, [.. results.Select((x, i) => new BatchItem(i, x, null))]);
                    output.ResetWrittenCount();
                    using var writer = new Utf8JsonWriter(output);
                    JsonSerializer.Serialize(writer, answer, ScoringJson.Default.BatchScoreResponse);
                }
                (parse, score, write) = (parse + (t1 - t0), score + (t2 - t1), write + (watch.Elapsed - t2));
            }
            totals.Add(rounds, parse, score, write);
        })));
        var elapsed = watch.Elapsed.TotalSeconds;
        var rows = (long)batch.Leads.Length * totals.Rounds;
        await context.Response.WriteAsJsonAsync(new InProcessAnswer(rows, elapsed, rows / elapsed, totals.Parse.TotalSeconds,
            totals.Score.TotalSeconds, totals.Write.TotalSeconds), BenchJson.Default.InProcessAnswer);
    }

    /// <summary>A batch read, every lead of it usable (the benchmark measures scoring, not errors).</summary>
    private static BatchRead Usable(BatchRead batch) =>
        (batch.Problem ?? batch.Leads.FirstOrDefault(l => l.Problem is not null).Problem) is { } p
            ? throw new InvalidOperationException($"the benchmark's batch is not usable: {p.Path} {p.Message}")
            : batch;

    /// <summary>What the batches in flight did, summed.</summary>
    private sealed class Totals
    {
        private readonly Lock _lock = new();
        public int Rounds { get; private set; }
        public TimeSpan Parse { get; private set; }
        public TimeSpan Score { get; private set; }
        public TimeSpan Write { get; private set; }

        public void Add(int rounds, TimeSpan parse, TimeSpan score, TimeSpan write)
        {
            lock (_lock) (Rounds, Parse, Score, Write) = (Rounds + rounds, Parse + parse, Score + score, Write + write);
        }
    }
}
