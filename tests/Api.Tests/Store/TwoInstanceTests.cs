using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LeadML.Api.Store;
using LeadML.Api.Tests.Alerts;
using LeadML.Api.Tests.Fixtures;
using LeadML.Features.Randomness;
using LeadML.Features.Rules;
using Npgsql;
using Xunit.Abstractions;

namespace LeadML.Api.Tests.Store;

/// <summary>
/// Two Api processes on one PostgreSQL database behind a random "load balancer": 1,000 threshold crossings (100
/// leads toggled between a strong and a weak profile ten times, each request to either instance) make 1,000 alerts,
/// each delivered exactly once by key although both instances deliver the outbox; a rule set approved in the store
/// is adopted by both; a forced rescoring round rescores every lead exactly once.
/// </summary>
[Collection(BundleCollection.Name)]
public sealed class TwoInstanceTests(TrainedBundle bundle, PostgresServer server, ITestOutputHelper output) : IClassFixture<PostgresServer>, IDisposable
{
    private const int Leads = 100;
    private const int Toggles = 10;
    private readonly string _dir = Directory.CreateTempSubdirectory("leadml-two-").FullName;

    private static readonly Dictionary<string, object?> Strong = new()
    {
        ["industry"] = "Software", ["company_size"] = 500, ["country"] = "United States", ["job_title"] = "CEO", ["lead_source"] = "web", ["budget_known"] = true,
    };

    private static readonly Dictionary<string, object?> Weak = new()
    {
        ["industry"] = "Government", ["company_size"] = 3, ["country"] = "India", ["job_title"] = "Student", ["lead_source"] = "web", ["budget_known"] = false,
    };

    [Fact]
    public async Task TwoInstances_DeliverEveryAlertOnce_AndRescoreEachLeadOnce()
    {
        var connectionString = server.CreateDatabase();
        await using var receiver = await WebhookReceiver.StartAsync();
        var bundlePath = bundle.CopyTo();
        Dictionary<string, string> Settings() => new()
        {
            ["LeadML__Models__sample__Bundle"] = bundlePath,
            ["LeadML__DefaultModel"] = "sample",
            ["LeadML__WatchBundles"] = "false",
            ["LeadML__Keys__Scoring__0"] = ApiFactory.ScoringKey,
            ["LeadML__Store__Provider"] = "postgres",
            ["LeadML__Store__ConnectionString"] = connectionString,
            ["LeadML__Webhooks__0__Url"] = receiver.Url,
            ["LeadML__Webhooks__0__Secret"] = WebhookReceiver.Secret,
            ["LeadML__Alerts__PollInterval"] = "00:00:00.100",
            ["LeadML__Alerts__MaxPerRuleSetChange"] = "0",
            ["LeadML__Rescoring__PollInterval"] = "00:00:00.200",
        };
        using var a = new ApiProcess(Settings(), _dir);
        using var b = new ApiProcess(Settings(), _dir);
        await Task.WhenAll(a.StartAsync(), b.StartAsync());
        var clients = new[] { a, b }.Select(p =>
        {
            var c = new HttpClient { BaseAddress = p.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
            c.DefaultRequestHeaders.Add("X-Api-Key", ApiFactory.ScoringKey);
            return c;
        }).ToArray();

        // Both profiles with the same recent activity, scored now; the sales-ready line goes halfway between them.
        var createdAt = DateTimeOffset.UtcNow.AddDays(-30);
        var events = new[]
        {
            new { eventId = "q", type = "quote_request", detail = (string?)null, timestamp = DateTimeOffset.UtcNow.AddDays(-1) },
            new { eventId = "d", type = "form_submit", detail = (string?)"/demo", timestamp = DateTimeOffset.UtcNow.AddDays(-2) },
            new { eventId = "p", type = "page_view", detail = (string?)"/pricing", timestamp = DateTimeOffset.UtcNow.AddDays(-3) },
        };
        async Task<double> Probe(Dictionary<string, object?> attributes) =>
            (await Json(await clients[0].PostAsJsonAsync("/score", new
            {
                attributes, createdAt, events = events.Select(e => new { e.type, e.detail, e.timestamp }), asOf = DateTimeOffset.UtcNow,
            })))["score"]!.GetValue<double>();
        var (high, low) = (await Probe(Strong), await Probe(Weak));
        Assert.True(high - low > 4, $"the profiles score {high} and {low}: too close to cross a line with hysteresis");
        var threshold = (high + low) / 2;
        var hysteresis = (high - low) / 4;

        // Approve the rule set in the store from outside: both instances adopt it.
        using (var store = LeadStore.Postgres(connectionString))
        {
            var repository = new StoreRuleSetRepository(store);
            var suggested = Features.Bundles.ModelBundle.Load(bundlePath).ReadOptional<RuleSet>(Features.Bundles.ModelBundle.SuggestedRuleSetFile)!;
            var draft = await repository.CreateDraftAsync("sample", suggested with { Thresholds = new Thresholds(threshold, hysteresis) }, null, "test", DateTime.UtcNow);
            await repository.ApproveAsync("sample", draft.Version, "tester", null, DateTime.UtcNow);
        }
        foreach (var c in clients)
        {
            await WaitUntil(async () => (await Json(await c.GetAsync("/models"))).AsArray()[0]!["ruleSetVersion"]!.GetValue<string>() == "v1", "both instances on rule set v1");
        }

        var rng = new Xoshiro256(7);
        var routes = Enumerable.Range(0, Leads * (Toggles + 2)).Select(_ => rng.NextInt(2)).ToArray();
        var next = -1;
        HttpClient Any() => clients[routes[Interlocked.Increment(ref next) % routes.Length]];
        var started = DateTime.UtcNow;
        await Parallel.ForEachAsync(Enumerable.Range(0, Leads), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            var id = $"two-{i:D3}";
            await Json(await Any().PutAsJsonAsync($"/leads/{id}", new { attributes = Weak, createdAt }));
            await Json(await Any().PostAsJsonAsync($"/leads/{id}/events", new { events }));
            for (var t = 0; t < Toggles; t++)
            {
                var r = await Json(await Any().PutAsJsonAsync($"/leads/{id}", new { attributes = t % 2 == 0 ? Strong : Weak, createdAt }));
                Assert.Equal(t % 2 == 0 ? "sales-ready" : "gone-cold", r["alert"]?.GetValue<string>());
            }
        });
        var ingest = DateTime.UtcNow - started;

        var expected = Leads * Toggles;
        await WaitUntil(() => Task.FromResult(receiver.Received.Count >= expected), $"{expected} deliveries", 120);
        await Task.Delay(1000); // a late duplicate would arrive now
        var perKey = receiver.Received.GroupBy(r => r.Key!).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(expected, perKey.Count);
        Assert.All(perKey, kv => Assert.Equal(1, kv.Value));
        Assert.All(receiver.Received, r => Assert.True(r.SignatureValid));

        await using var db = new NpgsqlConnection(connectionString);
        await db.OpenAsync();
        var outbox = await Scalar(db, "SELECT COUNT(*) FROM alerts");
        Assert.Equal(expected, outbox);
        // The receiver has every post; an instance records the delivery just after its post returns.
        await WaitUntil(async () => await Scalar(db, "SELECT COUNT(*) FROM alerts WHERE delivered_at IS NULL") == 0, "every delivery recorded");
        var instances = await Scalar(db, "SELECT COUNT(DISTINCT instance) FROM deliveries");

        // Force one rescoring round: every lead due now; both instances poll; each lead is rescored once.
        var before = await Scalar(db, "SELECT SUM(rescore_count) FROM leads");
        await Scalar(db, "UPDATE leads SET next_rescore_at = 0 RETURNING 1");
        await WaitUntil(async () => await Scalar(db, $"SELECT COUNT(*) FROM leads WHERE next_rescore_at <= {DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}") == 0,
            "every due lead rescored");
        await Task.Delay(1000);
        Assert.Equal(before + Leads, await Scalar(db, "SELECT SUM(rescore_count) FROM leads"));
        Assert.Equal(0, await Scalar(db, "SELECT COUNT(*) FROM leads WHERE rescore_count <> 1"));

        output.WriteLine($"{expected} transitions through two instances in {ingest.TotalSeconds:F1} s ({Leads * (Toggles + 2) / ingest.TotalSeconds:F0} requests/s); " +
            $"{outbox} alerts, {receiver.Received.Count} posts, delivered by {instances} instance(s); threshold {threshold:F2} ± {hysteresis:F2} between {low} and {high}");
    }

    private static async Task<long> Scalar(NpgsqlConnection c, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, c);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync() ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<JsonNode> Json(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    private static async Task WaitUntil(Func<Task<bool>> done, string what, int seconds = 30)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (!await done())
        {
            Assert.True(DateTime.UtcNow < until, $"timed out after {seconds} s waiting for {what}");
            await Task.Delay(100);
        }
    }

    public void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        Directory.Delete(_dir, true);
    }
}
