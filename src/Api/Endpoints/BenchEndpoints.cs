using System.Diagnostics;
using LeadML.Api.Hosting;
using LeadML.Api.Scoring;
using Microsoft.Extensions.Options;

namespace LeadML.Api.Endpoints;

/// <summary>
/// Reference endpoints for <c>scripts/bench-score.sh</c>, mapped only with <c>LeadML:Benchmark:Enabled=true</c>:
/// <c>POST /bench/bare</c> parses the same body as <c>/score</c> and returns a constant (the framework's ceiling), and
/// <c>POST /bench/inprocess</c> scores a batch body in process, without HTTP, and reports rows per second: <c>repeat</c>
/// times, or with <c>seconds</c> for at least that long (as long as the HTTP run it is compared with).
/// </summary>
public static class BenchEndpoints
{
    public static void Map(WebApplication app)
    {
        if (!app.Configuration.GetValue<bool>("LeadML:Benchmark:Enabled")) return;
        var bench = app.MapGroup("/bench").ExcludeFromDescription();
        bench.MapPost("/bare", (ScoreRequest request) => Results.Ok(new { score = 50.0, grade = "C", salesReady = false, leadId = request.LeadId }));
        // The process's garbage collections so far, to compare two runs by the difference before and after each.
        bench.MapGet("/gc", () => Results.Ok(new
        {
            gen0 = GC.CollectionCount(0), gen1 = GC.CollectionCount(1), gen2 = GC.CollectionCount(2),
            allocatedBytes = GC.GetTotalAllocatedBytes(), pauseSeconds = GC.GetTotalPauseDuration().TotalSeconds,
        }));
        // The rows are read into the scorer's input once, before the clock starts, by the batch endpoint's reader (the
        // same input objects it scores): what is measured is scoring them.
        // With json=true each repeat also reads the body and writes the answers as /score/batch does (BatchReader,
        // BatchWriter), without HTTP. With concurrency=N, N batches are in flight at once, as N connections keep the
        // endpoint busy; the repeats (or seconds) are per batch in flight.
        bench.MapPost("/inprocess", async (HttpRequest http, ModelRegistry registry, IOptions<LeadMlOptions> options, TimeProvider clock,
            bool explain = false, int repeat = 10, double seconds = 0, int concurrency = 1, bool json = false) =>
        {
            using var buffer = new MemoryStream();
            await http.Body.CopyToAsync(buffer);
            var body = buffer.ToArray();
            var now = clock.GetUtcNow().UtcDateTime;
            var request = BatchReader.Read(body, options.Value.BatchLimit, now);
            var leads = Usable(request);
            var scoreOptions = new ScoreOptions(explain, false, options.Value.BlendWeight, options.Value.TopContributions);
            var watch = Stopwatch.StartNew();
            var totals = new Totals();
            await Task.WhenAll(Enumerable.Range(0, Math.Clamp(concurrency, 1, 64)).Select(_ => Task.Run(() =>
            {
                var output = new System.Buffers.ArrayBufferWriter<byte>(body.Length);
                TimeSpan parse = default, score = default, write = default;
                var rounds = 0;
                for (; rounds < repeat || watch.Elapsed.TotalSeconds < seconds; rounds++)
                {
                    var t0 = watch.Elapsed;
                    var batch = json ? Usable(BatchReader.Read(body, options.Value.BatchLimit, now)) : leads;
                    var t1 = watch.Elapsed;
                    // The same work as /score/batch: score each lead, in parallel.
                    var results = new ScoreResponse[batch.Length];
                    Parallel.For(0, batch.Length, i => results[i] = LeadScorer.Score(registry.Get(batch[i].Model ?? request.Model), batch[i].Lead!, scoreOptions));
                    var t2 = watch.Elapsed;
                    if (json)
                    {
                        var answer = new BatchScoreResponse(results.Length, 0, [.. results.Select((x, i) => new BatchItem(i, x, null))]);
                        output.ResetWrittenCount();
                        using var writer = new System.Text.Json.Utf8JsonWriter(output);
                        BatchWriter.Write(writer, answer);
                    }
                    (parse, score, write) = (parse + (t1 - t0), score + (t2 - t1), write + (watch.Elapsed - t2));
                }
                totals.Add(rounds, parse, score, write);
            })));
            var elapsed = watch.Elapsed.TotalSeconds;
            return Results.Ok(new
            {
                rows = leads.Length * totals.Rounds, seconds = elapsed, rowsPerSecond = leads.Length * totals.Rounds / elapsed,
                parseSeconds = totals.Parse.TotalSeconds, scoreSeconds = totals.Score.TotalSeconds, writeSeconds = totals.Write.TotalSeconds,
            });
        });
    }

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

    /// <summary>The leads of a batch read, every one of them usable (the benchmark measures scoring, not errors).</summary>
    private static BatchLead[] Usable(BatchBody batch) =>
        batch.Leads.FirstOrDefault(l => l.Error is not null).Error is { } e ? throw new RequestValidationException(e.Path, e.Message) : batch.Leads;
}
