using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using LeadML.Api.RuleSets;
using LeadML.Api.Scoring;
using LeadML.Api.Store;
using LeadML.Api.Tests.Fixtures;
using static LeadML.Api.Tests.Fixtures.Answers;
using LeadML.Features.Rules;
using Microsoft.Extensions.DependencyInjection;
using static LeadML.Api.Tests.Leads.LeadBodies;

namespace LeadML.Api.Tests.Leads;

/// <summary>
/// Why each score changed, on each store (run by a subclass: SQLite file, throwaway PostgreSQL): the history names
/// the events, the attributes, the rule set, the time passed and the conversion behind each change, in words; entries
/// kept before causes were recorded stay readable; and an administrator's rescoring as of a later time shows a lead
/// going cold after some weeks without waiting, as a rescoring round then would (history and alerts), for one model
/// only.
/// </summary>
public abstract class LeadHistorySuite(TrainedBundle bundle, TestStore store) : StoreSuite(bundle, store)
{
    private DateTimeOffset Now => Clock.GetUtcNow();

    /// <summary>Two models on the same bundle ("sample", "other"), rescoring and alerts polled often.</summary>
    protected override IEnumerable<(string Key, string? Value)> MoreSettings(string bundleFolder) =>
        [("LeadML:Models:other:Bundle", bundleFolder), ("LeadML:Rescoring:PollInterval", "00:00:00.100"), ("LeadML:Alerts:PollInterval", "00:00:00.100")];

    private HttpClient Client() => Client(ApiFactory.ScoringKey);

    private static async Task<JsonArray> History(HttpClient client, string lead, string model = "sample") =>
        (await Json(await client.GetAsync($"/leads/{lead}/history?model={model}")))["changes"]!.AsArray();

    private static object Event(string id, string type, DateTimeOffset at, string? detail = null) => new { eventId = id, type, detail, timestamp = at };

    [Fact]
    public async Task History_NamesTheEventsAttributesRuleSetTimeAndConversion_BehindEachChange()
    {
        var client = Client();
        await Json(await client.PutAsJsonAsync("/leads/why", new { attributes = ColdLead, createdAt = Now.AddDays(-20) }));
        var patch = new HttpRequestMessage(HttpMethod.Patch, "/leads/why")
        {
            Content = new StringContent("""{"attributes": {"job_title": "CEO", "industry": "Software", "lead_source": null, "budget_known": true}}""",
                Encoding.UTF8, "application/merge-patch+json"),
        };
        await Json(await client.SendAsync(patch));
        await Json(await client.PostAsJsonAsync("/leads/why/events", new
        {
            events = new[] { Event("d1", "demo_request", Now.AddHours(-3)), Event("p1", "page_view", Now.AddHours(-2), "/pricing"), Event("p2", "page_view", Now.AddHours(-1), "/pricing") },
        }));
        var scoredAt = Now;
        Clock.Advance(TimeSpan.FromDays(60));
        await WaitUntil(async () => (await History(client, "why")).Any(h => (string?)h!["reason"] == "rescoring"), "the scheduled rescoring");

        // A rule set approved over HTTP, the same points as the suggestion under a new version: the round scores the lead with it.
        using var admin = Client(ApiFactory.AdminKey);
        var draft = await Json(await admin.PostAsJsonAsync("/rulesets/sample/drafts", new { from = (int?)null, createdBy = "Ann" }), HttpStatusCode.Created);
        var version = (int)draft["summary"]!["version"]!;
        await Json(await admin.PostAsJsonAsync($"/rulesets/sample/{version}/approve", new { approvedBy = "Ann", comment = "same points, reviewed" }));
        await WaitUntil(async () => (await History(client, "why")).Any(h => (string?)h!["reason"] == "new rule set"), "the rescoring with the approved rule set");
        var convertedAt = Now.AddDays(-1);
        await Json(await client.PostAsJsonAsync("/leads/why/conversion", new { at = convertedAt, value = 1200 }));

        var history = await History(client, "why");
        Assert.Equal(["attributes", "attributes", "event", "rescoring", "new rule set", "conversion"], history.Select(h => (string)h!["reason"]!).ToArray());

        var created = history[0]!;
        Assert.True((bool)created["cause"]!["newLead"]!);
        Assert.Equal("New lead: Budget known, Company size, Country, Industry, Job title and Lead source given", (string?)created["description"]);

        var changed = history[1]!["cause"]!["attributes"]!.AsArray();
        Assert.Equal(["budget_known:changed", "industry:changed", "job_title:changed", "lead_source:removed"],
            changed.Select(a => $"{a!["name"]}:{a["change"]}").ToArray());
        Assert.Equal("Budget known, Industry and Job title changed; Lead source removed", (string?)history[1]!["description"]);

        var events = history[2]!["cause"]!["events"]!.AsArray();
        Assert.Equal(["d1", "p1", "p2"], events.Select(e => (string)e!["eventId"]!).ToArray());
        Assert.Equal(["demo_request", "page_view", "page_view"], events.Select(e => (string)e!["type"]!).ToArray());
        Assert.Equal("/pricing", (string?)events[1]!["detail"]);
        Assert.Equal(3, (int)history[2]!["cause"]!["eventCount"]!);
        Assert.Equal("Requested a demo; Viewed /pricing (3 new events)", (string?)history[2]!["description"]);

        var rescoring = history[3]!;
        Assert.Equal(scoredAt.ToUnixTimeMilliseconds(), ((DateTimeOffset)rescoring["cause"]!["previouslyScoredAt"]!).ToUnixTimeMilliseconds());
        Assert.Equal("Time passed: scored again 60 days after its last score, as its events aged", (string?)rescoring["description"]);

        var ruleSet = history[4]!;
        Assert.Equal($"v{version}", (string?)ruleSet["ruleSetVersion"]);
        Assert.Equal("suggested", (string?)ruleSet["cause"]!["previousRuleSetVersion"]);
        Assert.Equal($"Rule set v{version} put in force, replacing the suggested points", (string?)ruleSet["description"]);

        var conversion = history[5]!;
        Assert.Equal(convertedAt.ToUnixTimeMilliseconds(), ((DateTimeOffset)conversion["cause"]!["convertedAt"]!).ToUnixTimeMilliseconds());
        Assert.StartsWith($"Converted on {convertedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC", (string?)conversion["description"], StringComparison.Ordinal);
        for (var i = 1; i < history.Count; i++) Assert.Equal((double)history[i - 1]!["score"]!, (double?)history[i]!["previousScore"]);
    }

    [Fact]
    public async Task HistoryKeptBeforeCausesWereRecorded_StaysReadable_FromItsReasonAlone()
    {
        var client = Client();
        await Json(await client.PutAsJsonAsync("/leads/old", new { attributes = HotLead, createdAt = Now.AddDays(-20) }));
        var store = Api().Services.GetRequiredService<LeadStore>();
        var at = Now.UtcDateTime;
        // Rows as the store held them before causes were kept: the cause column is empty.
        await store.InTransactionAsync(async (c, tx) =>
        {
            await store.AddHistoryAsync(c, tx, "sample", "old", new ScoreChange(at, 61, 55, "B", false, "m1", "v1", "event"), default);
            await store.AddHistoryAsync(c, tx, "sample", "old", new ScoreChange(at, 58, 61, "B", false, "m1", "v2", "new rule set"), default);
            await store.AddHistoryAsync(c, tx, "sample", "old", new ScoreChange(at, 52, 58, "C", false, "m1", "v2", "rescoring"), default);
            return 0;
        });

        var history = await History(client, "old");
        Assert.Equal(4, history.Count);
        Assert.All(history.Skip(1), h => Assert.Null(h!["cause"]));
        Assert.Equal(["New events", "Rule set v2 put in force", "Time passed: scored again as its events aged"],
            history.Skip(1).Select(h => (string)h!["description"]!).ToArray());
        Assert.Equal([61.0, 58, 52], history.Skip(1).Select(h => (double)h!["score"]!).ToArray());
    }

    [Fact]
    public async Task RescoringAsOfLaterWeeks_ShowsALeadGoingCold_WithHistoryAndAlert_OnlyForThatModel()
    {
        var client = Client();
        using var admin = Client(ApiFactory.AdminKey);
        (string Id, string Type, string? Detail, DateTimeOffset At)[] sent =
        [
            ("a1", "demo_request", null, Now.AddHours(-5)), ("a2", "form_submit", "/demo", Now.AddHours(-4)), ("a3", "page_view", "/pricing", Now.AddHours(-3)),
            ("a4", "quote_request", null, Now.AddHours(-2)), ("a5", "webinar", null, Now.AddHours(-1)),
        ];
        var events = sent.Select(e => Event(e.Id, e.Type, e.At, e.Detail)).ToArray();
        foreach (var model in new[] { "sample", "other" })
        {
            await Json(await client.PutAsJsonAsync($"/leads/decay?model={model}", new { attributes = HotLead, createdAt = Now.AddDays(-30) }));
            await Json(await client.PostAsJsonAsync($"/leads/decay/events?model={model}", new { events }));
        }

        // The lead's score week by week, as /score computes it: the line sits just under today's score, and the lead goes
        // cold in the first week its score falls below the line minus the hysteresis.
        var lead = await Json(await client.GetAsync("/leads/decay"));
        var weekly = new List<double>();
        for (var week = 0; week <= 26; week++)
        {
            var score = await Json(await client.PostAsJsonAsync("/score", new
            {
                attributes = HotLead, createdAt = Now.AddDays(-30), asOf = Now.AddDays(7 * week),
                events = sent.Select(e => new { type = e.Type, detail = e.Detail, timestamp = e.At }),
            }));
            weekly.Add((double)score["score"]!);
        }
        Assert.Equal((double)lead["stored"]!["score"]!, weekly[0]);
        const double hysteresis = 1;
        var line = weekly[0] - 0.5;
        var weeks = weekly.FindIndex(s => s < line - hysteresis);
        Assert.True(weeks >= 2, $"the lead's score falls too fast or not at all: {string.Join(", ", weekly)}");
        Assert.True(weekly.Take(weeks).All(s => s >= line - hysteresis), "the score stays above the cold line until then");

        var registry = Api().Services.GetRequiredService<ModelRegistry>();
        var repository = Api().Services.GetRequiredService<IRuleSetRepository>();
        foreach (var model in new[] { "sample", "other" })
        {
            var rules = registry.Get(model).Rules with { Thresholds = new Thresholds(line, hysteresis) };
            var draft = await repository.CreateDraftAsync(model, rules, null, "test", Now.UtcDateTime);
            var approved = await repository.ApproveAsync(model, draft.Version, "tester", "a line just under the lead", Now.UtcDateTime);
            registry.ApplyRuleSet(model, approved.Rules, RuleSetSource.Approved);
            await WaitUntil(async () => (bool)(await Json(await client.GetAsync($"/leads/decay?model={model}")))["stored"]!["salesReady"]!, $"the lead sales-ready in {model}");
        }

        // A week before it goes cold, it is still sales-ready; in that week it goes cold.
        var before = await Json(await admin.PostAsJsonAsync("/admin/models/sample/rescore", new { asOf = Now.AddDays(7 * (weeks - 1)) }));
        Assert.Equal(1, (int)before["rescored"]!);
        Assert.Equal(0, (int)before["wentCold"]!);
        var asOf = Now.AddDays(7 * weeks);
        var cold = await Json(await admin.PostAsJsonAsync("/admin/models/sample/rescore", new { asOf }));
        Assert.Equal("sample", (string?)cold["model"]);
        Assert.Equal(asOf.ToUnixTimeMilliseconds(), ((DateTimeOffset)cold["asOf"]!).ToUnixTimeMilliseconds());
        Assert.Equal(1, (int)cold["rescored"]!);
        Assert.Equal(1, (int)cold["changed"]!);
        Assert.Equal(1, (int)cold["wentCold"]!);
        Assert.Equal(0, (int)cold["becameSalesReady"]!);
        Assert.Equal(1, (int)cold["alerts"]!);

        var last = (await History(client, "decay"))[^1]!;
        Assert.Equal("rescoring as of", (string?)last["reason"]);
        Assert.Equal(asOf.ToUnixTimeMilliseconds(), ((DateTimeOffset)last["at"]!).ToUnixTimeMilliseconds());
        Assert.Equal(Now.ToUnixTimeMilliseconds(), ((DateTimeOffset)last["cause"]!["requestedAt"]!).ToUnixTimeMilliseconds());
        Assert.Equal(weekly[weeks], (double)last["score"]!, 6);
        Assert.False((bool)last["salesReady"]!);
        Assert.StartsWith($"Time moved forward for a test: an administrator rescored it as of {asOf.UtcDateTime:yyyy-MM-dd HH:mm} UTC", (string?)last["description"], StringComparison.Ordinal);
        var alert = (await Json(await client.GetAsync("/alerts?leadId=decay&kind=gone-cold"))).AsArray().Single()!;
        Assert.Equal("rescoring as of", (string?)alert["reason"]);
        Assert.Equal("sample", (string?)alert["model"]);

        // The other model's lead was not touched: still sales-ready, no as-of entry.
        Assert.True((bool)(await Json(await client.GetAsync("/leads/decay?model=other")))["stored"]!["salesReady"]!);
        Assert.DoesNotContain(await History(client, "decay", "other"), h => (string?)h!["reason"] == "rescoring as of");

        // Nothing is due again by the same time: a repeat rescores nothing.
        var again = await Json(await admin.PostAsJsonAsync("/admin/models/sample/rescore", new { asOf }));
        Assert.Equal(0, (int)again["rescored"]!);
    }

    [Fact]
    public async Task RescoringAsOf_RefusesAZonelessPastOrMissingTime_AnUnknownModel_AndANonAdminKey_ChangingNothing()
    {
        var client = Client();
        using var admin = Client(ApiFactory.AdminKey);
        await Json(await client.PutAsJsonAsync("/leads/keep", new { attributes = HotLead, createdAt = Now.AddDays(-5) }));
        await Json(await client.PostAsJsonAsync("/leads/keep/events", new { events = new[] { Event("k1", "demo_request", Now.AddHours(-1)) } }));
        var before = await History(client, "keep");

        var zoneless = await Refused(await admin.PostAsync("/admin/models/sample/rescore", Body("""{"asOf": "2030-01-04T09:00:00"}""")));
        Assert.Equal("$.asOf", zoneless.Key);
        Assert.Contains("no time zone", (string?)zoneless.Value![0], StringComparison.Ordinal);
        var dateOnly = await Refused(await admin.PostAsync("/admin/models/sample/rescore", Body("""{"asOf": "2030-01-04"}""")));
        Assert.Equal("$.asOf", dateOnly.Key);
        var missing = await Refused(await admin.PostAsync("/admin/models/sample/rescore", Body("{}")));
        Assert.Equal("$.asOf", missing.Key);
        Assert.Contains("is required", (string?)missing.Value![0], StringComparison.Ordinal);
        var past = await Refused(await admin.PostAsJsonAsync("/admin/models/sample/rescore", new { asOf = Now.AddDays(-1) }));
        Assert.Contains("before now", (string?)past.Value![0], StringComparison.Ordinal);
        var far = await Refused(await admin.PostAsJsonAsync("/admin/models/sample/rescore", new { asOf = Now.AddYears(11) }));
        Assert.Contains("10 years ahead", (string?)far.Value![0], StringComparison.Ordinal);
        var unknown = await Json(await admin.PostAsJsonAsync("/admin/models/nope/rescore", new { asOf = Now.AddDays(7) }), HttpStatusCode.NotFound);
        Assert.NotNull(unknown["errors"]!["$.model"]);
        var forbidden = await Json(await client.PostAsJsonAsync("/admin/models/sample/rescore", new { asOf = Now.AddDays(7) }), HttpStatusCode.Forbidden);
        Assert.Contains("admin key", (string?)forbidden["detail"], StringComparison.Ordinal);

        Assert.True(JsonNode.DeepEquals(before, await History(client, "keep")), "a refused rescoring changes no score");
    }
}

/// <summary>The suite on a SQLite file.</summary>
[Collection(BundleCollection.Name)]
public sealed class SqliteLeadHistoryTests(TrainedBundle bundle) : LeadHistorySuite(bundle, TestStore.Sqlite());

/// <summary>The suite on a throwaway PostgreSQL server.</summary>
[Collection(BundleCollection.Name)]
public sealed class PostgresLeadHistoryTests(TrainedBundle bundle, PostgresServer server)
    : LeadHistorySuite(bundle, TestStore.Postgres(server)), IClassFixture<PostgresServer>;
