using System.Collections.Concurrent;
using System.Net.Http.Json;
using LeadML.Api.Alerts;
using LeadML.Api.Tests.Alerts;
using LeadML.Api.Tests.Fixtures;
using LeadML.Features.Bundles;
using LeadML.Features.Randomness;
using LeadML.Features.Rules;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace LeadML.Api.Tests.Store;

/// <summary>
/// The Api as a real process on a SQLite store, 10,000 events streamed in by four senders while the process is
/// killed with SIGKILL three times at random moments and started again. Afterwards every acknowledged event is
/// stored once, every alert in the outbox reached the webhook (duplicates only under the same key and body), and
/// the alerts are exactly the transitions the stored score history implies.
/// </summary>
[Collection(BundleCollection.Name)]
public sealed class StoreCrashTests(TrainedBundle bundle, ITestOutputHelper output) : IDisposable
{
    private const int Events = 10_000;
    private const int Leads = 200;
    private const int BatchSize = 25;
    private readonly string _dir = Directory.CreateTempSubdirectory("leadml-crash-").FullName;

    [Fact]
    public async Task KilledWhileIngesting_LosesNoAcknowledgedEventAndNoAlert()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var failures = 0;
        receiver.Answer = (_, before) => before == 0 && Interlocked.Increment(ref failures) % 7 == 0 ? 500 : 200;
        var bundlePath = bundle.CopyTo();
        var db = Path.Combine(_dir, "leadml.db");
        using var api = new ApiProcess(new Dictionary<string, string>
        {
            ["LeadML__Models__sample__Bundle"] = bundlePath,
            ["LeadML__DefaultModel"] = "sample",
            ["LeadML__WatchBundles"] = "false",
            ["LeadML__Keys__Scoring__0"] = ApiFactory.ScoringKey,
            ["LeadML__Store__Provider"] = "sqlite",
            ["LeadML__Store__Path"] = db,
            ["LeadML__Webhooks__0__Url"] = receiver.Url,
            ["LeadML__Webhooks__0__Secret"] = WebhookReceiver.Secret,
            ["LeadML__Alerts__PollInterval"] = "00:00:00.200",
            ["LeadML__Alerts__RetryDelay"] = "00:00:00.050",
        }, _dir);
        await api.StartAsync();

        var batches = new ConcurrentQueue<SentEvent[]>(MakeEvents().Chunk(BatchSize));
        var total = batches.Count;
        var acked = new ConcurrentBag<string>();
        var ackedBatches = 0;
        var duplicates = 0;
        var rng = new Xoshiro256(20250707);
        var killAt = new[] { rng.NextInt(total / 4), total / 4 + rng.NextInt(total / 4), total / 2 + rng.NextInt(total / 3) }.Order().ToArray();

        using var http = new HttpClient { BaseAddress = api.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add("X-Api-Key", ApiFactory.ScoringKey);
        var restarting = new SemaphoreSlim(1, 1);
        async Task Send()
        {
            while (batches.TryDequeue(out var batch))
            {
                while (true)
                {
                    try
                    {
                        var response = await http.PostAsJsonAsync("/events", new { events = batch });
                        response.EnsureSuccessStatusCode();
                        var body = (await response.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonNode>())!;
                        Interlocked.Add(ref duplicates, body["duplicate"]!.GetValue<int>());
                        foreach (var e in batch) acked.Add(Key(e.LeadId, e.EventId));
                        Interlocked.Increment(ref ackedBatches);
                        break;
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                    {
                        // killed under us: the batch is sent again once the Api is back (it may be stored already)
                        await Task.Delay(100);
                    }
                }
            }
        }
        var kills = 0;
        async Task Kill()
        {
            var killer = new Xoshiro256(99);
            foreach (var at in killAt)
            {
                while (Volatile.Read(ref ackedBatches) < at) await Task.Delay(5);
                await Task.Delay(killer.NextInt(150));
                api.Kill();
                kills++;
                await api.StartAsync();
            }
        }
        await Task.WhenAll(Send(), Send(), Send(), Send(), Kill());

        // Every acknowledged event is stored exactly once, and the lead rows count them right.
        var stored = Query(db, "SELECT lead_id, event_id FROM events", r => Key(r.GetString(0), r.GetString(1)));
        Assert.Equal(Events, acked.Count);
        Assert.Equal(Events, stored.Count);
        Assert.True(acked.ToHashSet().SetEquals(stored), "stored events differ from the acknowledged ones");
        Assert.Equal(0, Query(db, "SELECT COUNT(*) FROM leads l WHERE event_count <> (SELECT COUNT(*) FROM events e WHERE e.model = l.model AND e.lead_id = l.id)", r => r.GetInt64(0))[0]);

        // Every alert in the outbox gets delivered.
        var until = DateTime.UtcNow.AddSeconds(60);
        while (Query(db, "SELECT COUNT(*) FROM alerts WHERE delivered_at IS NULL", r => r.GetInt64(0))[0] > 0)
        {
            Assert.True(DateTime.UtcNow < until, $"alerts still undelivered after 60 s:\n{api.Log}");
            await Task.Delay(200);
        }
        var alerts = Query(db, "SELECT alert_key, lead_id, kind FROM alerts ORDER BY seq", r => (Key: r.GetString(0), Lead: r.GetString(1), Kind: r.GetString(2)));
        Assert.NotEmpty(alerts);
        var accepted = receiver.Accepted();
        Assert.True(accepted.Keys.ToHashSet().SetEquals(alerts.Select(a => a.Key)), "webhook keys differ from the outbox");
        Assert.All(receiver.Received, r => Assert.True(r.SignatureValid));
        Assert.All(receiver.Received.GroupBy(r => r.Key), g => Assert.Single(g.Select(r => r.Body).Distinct()));

        // The alerts are exactly the transitions of the stored score history (no lost, no extra alert): each entry's
        // sales-ready state against the one before (a knock-out may end it below the hysteresis, so the state, not the
        // score, is what is compared), and its score agrees with that state.
        var thresholds = ModelBundle.Load(bundlePath).ReadOptional<RuleSet>(ModelBundle.SuggestedRuleSetFile)!.Thresholds;
        var history = Query(db, "SELECT lead_id, score, sales_ready FROM score_history ORDER BY seq", r => (Lead: r.GetString(0), Score: r.GetDouble(1), Ready: r.GetInt64(2) != 0));
        foreach (var lead in history.Select(h => h.Lead).Distinct())
        {
            var ready = false;
            var expected = new List<string>();
            foreach (var (_, score, now) in history.Where(h => h.Lead == lead))
            {
                if (now) Assert.True(score >= thresholds.SalesReady - thresholds.Hysteresis, $"{lead} sales-ready at {score}");
                if (now != ready) expected.Add(now ? AlertRule.SalesReady : AlertRule.GoneCold);
                ready = now;
            }
            Assert.Equal(expected, alerts.Where(a => a.Lead == lead).Select(a => a.Kind).ToList());
        }
        Assert.Contains(alerts, a => a.Kind == AlertRule.SalesReady);
        Assert.Equal(3, kills);
        output.WriteLine($"{kills} kills at acknowledged batches {string.Join(", ", killAt)} of {total}; {duplicates} events resent as duplicates; " +
            $"{alerts.Count} alerts ({alerts.Count(a => a.Kind == AlertRule.SalesReady)} sales-ready, {alerts.Count(a => a.Kind == AlertRule.GoneCold)} gone-cold); " +
            $"{receiver.Received.Count} posts received, {accepted.Values.Sum() - accepted.Count} duplicate deliveries");
    }

    private sealed record SentEvent(string LeadId, string EventId, string Type, string? Detail, DateTimeOffset Timestamp);

    private static string Key(string lead, string eventId) => $"{lead}/{eventId}";

    /// <summary>Leads of three kinds: warming up (intent events), staying cold, and warming up then going cold
    /// (unsubscribe, bounces), events in time order over the last two days.</summary>
    private static IEnumerable<SentEvent> MakeEvents()
    {
        var rng = new Xoshiro256(42);
        var start = DateTimeOffset.UtcNow.AddDays(-2);
        string[] hot = ["quote_request", "form_submit:/demo", "form_submit:/contact", "page_view:/pricing", "webinar", "email_click:pricing-offer"];
        string[] cold = ["page_view:/blog/crm-checklist", "email_open:newsletter", "page_view:/careers", "social_share"];
        string[] fading = ["unsubscribe", "email_bounce", "page_view:/careers"];
        for (var i = 0; i < Events; i++)
        {
            var lead = rng.NextInt(Leads);
            var profile = lead % 3;
            var late = i > Events / 2;
            var pick = profile switch
            {
                0 => rng.NextBool(0.7) ? hot : cold,
                1 => cold,
                _ => late && rng.NextBool(0.5) ? fading : rng.NextBool(0.7) ? hot : cold,
            };
            var t = pick[rng.NextInt(pick.Length)].Split(':');
            yield return new SentEvent($"lead-{lead:D3}", $"ev-{i:D5}", t[0], t.Length > 1 ? t[1] : null, start.AddSeconds(i * 15));
        }
    }

    private static List<T> Query<T>(string db, string sql, Func<SqliteDataReader, T> read)
    {
        using var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = db, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        using var r = cmd.ExecuteReader();
        var list = new List<T>();
        while (r.Read()) list.Add(read(r));
        return list;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, true);
    }
}
