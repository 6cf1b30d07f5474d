using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using LeadML.Api.Alerts;
using LeadML.Api.RuleSets;
using LeadML.Api.Scoring;
using LeadML.Api.Tests.Alerts;
using LeadML.Api.Tests.Fixtures;
using LeadML.Features.Rules;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace LeadML.Api.Tests.Store;

/// <summary>
/// The lead store's behaviour through the real Api, run against each backend by a subclass (SQLite file,
/// throwaway PostgreSQL): idempotent events, history reasons, erasure, alerts with hysteresis, the per-change cap,
/// rule sets that survive a restart, and signed webhook delivery with retries.
/// </summary>
public abstract class LeadStoreSuite(TrainedBundle bundle)
{
    protected static readonly Dictionary<string, object?> HotLead = new()
    {
        ["industry"] = "Software", ["company_size"] = 500, ["country"] = "United States", ["job_title"] = "CEO", ["lead_source"] = "web", ["budget_known"] = true,
    };

    protected readonly ManualClock Clock = new(DateTimeOffset.UtcNow);

    /// <summary>The settings that point the Api at a fresh store of this backend.</summary>
    protected abstract (string Key, string? Value)[] StoreSettings();

    /// <summary>A running Api on the backend with a hand-moved clock.</summary>
    protected sealed class Api(WebApplicationFactory<Program> factory) : IDisposable
    {
        public WebApplicationFactory<Program> Factory { get; } = factory;
        public HttpClient Client { get; } = Make(factory, ApiFactory.ScoringKey);
        public HttpClient Admin { get; } = Make(factory, ApiFactory.AdminKey);
        public T Get<T>() where T : notnull => Factory.Services.GetRequiredService<T>();

        private static HttpClient Make(WebApplicationFactory<Program> f, string key)
        {
            var c = f.CreateClient();
            c.DefaultRequestHeaders.Add("X-Api-Key", key);
            return c;
        }

        public void Dispose() => Factory.Dispose();
    }

    protected Api Start(string? bundlePath = null, params (string Key, string? Value)[] extra)
    {
        var settings = StoreSettings().Concat([("LeadML:Rescoring:PollInterval", "00:00:00.100"), ("LeadML:Alerts:PollInterval", "00:00:00.100")]).Concat(extra).ToArray();
        var factory = ApiFactory.For(bundlePath ?? bundle.CopyTo(), settings)
            .WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(Clock)));
        return new Api(factory);
    }

    protected DateTimeOffset Now => Clock.GetUtcNow();

    protected static async Task<JsonNode> Json(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    protected async Task<JsonNode> PutLead(Api api, string id, object? attributes = null, DateTimeOffset? createdAt = null) =>
        await Json(await api.Client.PutAsJsonAsync($"/leads/{id}", new { attributes = attributes ?? HotLead, createdAt = createdAt ?? Now.AddDays(-20) }));

    protected static object Event(string id, string type, DateTimeOffset at, string? detail = null, string? leadId = null) =>
        new { leadId, eventId = id, type, detail, timestamp = at };

    protected static async Task WaitUntil(Func<Task<bool>> done, string what, int seconds = 20)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (!await done())
        {
            Assert.True(DateTime.UtcNow < until, $"timed out after {seconds} s waiting for {what}");
            await Task.Delay(50);
        }
    }

    /// <summary>Approves a rule set equal to the one in force but with other thresholds, puts it in force, and waits
    /// until the lead was rescored with it.</summary>
    protected async Task<string> ApproveThresholds(Api api, double salesReady, double hysteresis, params string[] leads)
    {
        var registry = api.Get<ModelRegistry>();
        var repository = api.Get<IRuleSetRepository>();
        var rules = registry.Get("sample").Rules with { Thresholds = new Thresholds(salesReady, hysteresis) };
        return await Approve(api, rules, leads);
    }

    protected async Task<string> Approve(Api api, RuleSet rules, params string[] leads)
    {
        var registry = api.Get<ModelRegistry>();
        var repository = api.Get<IRuleSetRepository>();
        var draft = await repository.CreateDraftAsync("sample", rules, null, "test", Now.UtcDateTime);
        var approved = await repository.ApproveAsync("sample", draft.Version, "tester", "thresholds for a test", Now.UtcDateTime);
        registry.ApplyRuleSet("sample", approved.Rules, RuleSetSource.Approved);
        var version = $"v{approved.Version}";
        foreach (var lead in leads)
        {
            await WaitUntil(async () => (await Json(await api.Client.GetAsync($"/leads/{lead}")))["stored"]!["ruleSetVersion"]!.GetValue<string>() == version,
                $"lead {lead} rescored with rule set {version}");
        }
        return version;
    }

    protected static async Task<List<string>> AlertKinds(Api api, string lead)
    {
        var alerts = (await Json(await api.Client.GetAsync($"/alerts?leadId={lead}"))).AsArray();
        return [.. alerts.Reverse().Select(a => a!["kind"]!.GetValue<string>())];
    }

    [Fact]
    public async Task ResentEvents_AreStoredAndCountedOnce()
    {
        using var api = Start();
        await PutLead(api, "idem");
        var first = await Json(await api.Client.PostAsJsonAsync("/leads/idem/events", new
        {
            events = new[] { Event("e1", "page_view", Now.AddHours(-3), "/pricing"), Event("e2", "email_open", Now.AddHours(-2), "newsletter"), Event("e3", "webinar", Now.AddHours(-1)) },
        }));
        Assert.Equal(3, first["accepted"]!.GetValue<int>());
        Assert.Equal(0, first["duplicate"]!.GetValue<int>());

        // The bulk endpoint resends two of them (and one twice in the same request) with one new event.
        var again = await Json(await api.Client.PostAsJsonAsync("/events", new
        {
            events = new[]
            {
                Event("e1", "page_view", Now.AddHours(-3), "/pricing", "idem"), Event("e3", "webinar", Now.AddHours(-1), null, "idem"),
                Event("e4", "quote_request", Now.AddMinutes(-30), null, "idem"), Event("e4", "quote_request", Now.AddMinutes(-30), null, "idem"),
            },
        }));
        Assert.Equal(1, again["accepted"]!.GetValue<int>());
        Assert.Equal(3, again["duplicate"]!.GetValue<int>());

        // A single event in the body's own fields, resent: a duplicate, and the lead is not rescored for it.
        var single = await Json(await api.Client.PostAsJsonAsync("/leads/idem/events", Event("e2", "email_open", Now.AddHours(-2), "newsletter")));
        Assert.Equal(0, single["accepted"]!.GetValue<int>());
        Assert.Empty(single["leads"]!.AsArray());

        var lead = await Json(await api.Client.GetAsync("/leads/idem"));
        Assert.Equal(4, lead["eventCount"]!.GetValue<int>());
        var history = (await Json(await api.Client.GetAsync("/leads/idem/history")))["changes"]!.AsArray();
        Assert.True(history.Count(h => h!["reason"]!.GetValue<string>() == "event") <= 2, "only the two requests with new events may change the score");
    }

    [Theory]
    [InlineData("type")]
    [InlineData("timestamp")]
    [InlineData("detail")]
    public async Task ResentEventId_WithOtherContent_Is409NamingTheId_AndNothingOfTheRequestIsStored(string changed)
    {
        using var api = Start();
        await PutLead(api, "clash");
        var at = Now.AddHours(-2);
        await Json(await api.Client.PostAsJsonAsync("/leads/clash/events", new { events = new[] { Event("c1", "page_view", at, "/pricing") } }));
        var before = await Json(await api.Client.GetAsync("/leads/clash/history"));

        var other = changed switch
        {
            "type" => Event("c1", "form_submit", at, "/pricing", "clash"),
            "timestamp" => Event("c1", "page_view", at.AddSeconds(1), "/pricing", "clash"),
            _ => Event("c1", "page_view", at, "/demo", "clash"),
        };
        var response = await api.Client.PostAsJsonAsync("/events", new { events = new[] { Event("c2", "webinar", Now.AddHours(-1), null, "clash"), other } });

        var problem = await Json(response, HttpStatusCode.Conflict);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var error = Assert.Single(problem["errors"]!.AsObject());
        Assert.Equal("$.events[1].eventId", error.Key);
        Assert.Contains("'c1'", (string?)error.Value![0], StringComparison.Ordinal);
        var lead = await Json(await api.Client.GetAsync("/leads/clash"));
        Assert.Equal(1, lead["eventCount"]!.GetValue<int>());
        Assert.True(JsonNode.DeepEquals(before, await Json(await api.Client.GetAsync("/leads/clash/history"))), "a refused request changes no score");

        // The same content again stays an idempotent duplicate, and the event refused with it can be sent alone.
        var again = await Json(await api.Client.PostAsJsonAsync("/leads/clash/events", new { events = new[] { Event("c1", "page_view", at, "/pricing"), Event("c2", "webinar", Now.AddHours(-1)) } }));
        Assert.Equal(1, again["accepted"]!.GetValue<int>());
        Assert.Equal(1, again["duplicate"]!.GetValue<int>());
    }

    [Fact]
    public async Task SameEventIdTwiceInOneRequest_WithOtherContent_Is409()
    {
        using var api = Start();
        var problem = await Json(await api.Client.PostAsJsonAsync("/leads/twice/events",
            new { events = new[] { Event("t1", "page_view", Now.AddHours(-2)), Event("t1", "email_open", Now.AddHours(-2)) } }), HttpStatusCode.Conflict);
        Assert.NotNull(problem["errors"]!["$.events[1].eventId"]);
        Assert.Equal(HttpStatusCode.NotFound, (await api.Client.GetAsync("/leads/twice")).StatusCode);
    }

    [Fact]
    public async Task BulkEvents_OfMixedLeads_StoreEachOnce_AndRescoreEachLeadOncePerRequest()
    {
        using var api = Start();
        await PutLead(api, "known");
        await Json(await api.Client.PostAsJsonAsync("/leads/known/events", new { events = new[] { Event("k1", "page_view", Now.AddHours(-5), "/pricing") } }));

        // A known lead and two new ones, their events interleaved; one event sent twice in the request, one resent from before.
        var first = await Json(await api.Client.PostAsJsonAsync("/events", new
        {
            events = new[]
            {
                Event("n1", "page_view", Now.AddHours(-4), "/pricing", "new-b"), Event("k1", "page_view", Now.AddHours(-5), "/pricing", "known"),
                Event("n1", "email_open", Now.AddHours(-3), null, "new-a"), Event("k2", "webinar", Now.AddHours(-2), null, "known"),
                Event("n2", "webinar", Now.AddHours(-2), null, "new-b"), Event("n1", "page_view", Now.AddHours(-4), "/pricing", "new-b"),
            },
        }));
        Assert.Equal(4, first["accepted"]!.GetValue<int>());
        Assert.Equal(2, first["duplicate"]!.GetValue<int>());
        Assert.Equal(["known", "new-a", "new-b"], first["leads"]!.AsArray().Select(l => l!["leadId"]!.GetValue<string>()).Order(StringComparer.Ordinal));

        // The same request again: every event a duplicate, no lead rescored.
        var again = await Json(await api.Client.PostAsJsonAsync("/events", new
        {
            events = new[] { Event("n1", "email_open", Now.AddHours(-3), null, "new-a"), Event("n2", "webinar", Now.AddHours(-2), null, "new-b") },
        }));
        Assert.Equal(0, again["accepted"]!.GetValue<int>());
        Assert.Equal(2, again["duplicate"]!.GetValue<int>());
        Assert.Empty(again["leads"]!.AsArray());

        foreach (var (id, count, created) in new[] { ("known", 2, Now.AddDays(-20)), ("new-a", 1, Now.AddHours(-3)), ("new-b", 2, Now.AddHours(-4)) })
        {
            var lead = await Json(await api.Client.GetAsync($"/leads/{id}"));
            Assert.Equal(count, lead["eventCount"]!.GetValue<int>());
            Assert.Equal(created.ToUnixTimeMilliseconds(), lead["createdAt"]!.GetValue<DateTimeOffset>().ToUnixTimeMilliseconds());
            var events = await Json(await api.Client.GetAsync($"/leads/{id}/history"));
            var changes = events["changes"]!.AsArray().Where(h => h!["reason"]!.GetValue<string>() == "event").ToList();
            Assert.True(changes.Count <= (id == "known" ? 2 : 1), $"lead {id} is rescored at most once per request with new events");
            if (id != "known") Assert.Equal(count, changes.Single()!["cause"]!["eventCount"]!.GetValue<int>());
        }
    }

    [Fact]
    public async Task BulkEvents_AConflictOrABadEvent_RefusesTheRequest_WithItsPath_AndStoresNothing()
    {
        using var api = Start();
        await PutLead(api, "first");
        await Json(await api.Client.PostAsJsonAsync("/leads/first/events", new { events = new[] { Event("f1", "page_view", Now.AddHours(-5), "/pricing") } }));

        var conflict = await Json(await api.Client.PostAsJsonAsync("/events", new
        {
            events = new[] { Event("x1", "webinar", Now.AddHours(-1), null, "other"), Event("f2", "webinar", Now.AddHours(-1), null, "first"), Event("f1", "page_view", Now.AddHours(-5), "/demo", "first") },
        }), HttpStatusCode.Conflict);
        Assert.Equal("$.events[2].eventId", Assert.Single(conflict["errors"]!.AsObject()).Key);

        var bad = await Json(await api.Client.PostAsJsonAsync("/events", new
        {
            events = new object[] { Event("x1", "webinar", Now.AddHours(-1), null, "other"), new { leadId = "first", eventId = "f3", timestamp = Now.AddHours(-1) } },
        }), HttpStatusCode.BadRequest);
        Assert.Equal("$.events[1].type", Assert.Single(bad["errors"]!.AsObject()).Key);

        Assert.Equal(HttpStatusCode.NotFound, (await api.Client.GetAsync("/leads/other")).StatusCode);
        Assert.Equal(1, (await Json(await api.Client.GetAsync("/leads/first")))["eventCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task ARescoringClaim_KeepsItsLeadsFromOtherClaims_UntilItsLeaseEnds()
    {
        using var api = Start();
        foreach (var id in new[] { "due-a", "due-b", "due-c" }) await PutLead(api, id);
        var store = api.Get<LeadML.Api.Store.LeadStore>();
        // Later than every lead's next rescoring time (an hour after its scoring), on a clock the Api's own rounds do not reach.
        var at = Now.UtcDateTime.AddHours(2);
        var lease = TimeSpan.FromMinutes(10);
        Task<List<LeadML.Api.Store.StoredLead>> Claim(DateTime now) =>
            store.InTransactionAsync((c, tx) => store.LeaseDueAsync(c, tx, "sample", now, now + lease, 100, default));

        var first = await Claim(at);
        Assert.Equal(["due-a", "due-b", "due-c"], first.Select(l => l.Id).Order(StringComparer.Ordinal));
        Assert.Empty(await Claim(at.AddMinutes(1)));
        Assert.Equal(3, (await Claim(at + lease + TimeSpan.FromMinutes(1))).Count);
    }

    [Fact]
    public async Task ARoundAtASmallShareOfTheTime_StillRescoresEveryDueLead()
    {
        // Batches of two: the round waits after every write, nine times as long as the write took.
        using var api = Start(null, ("LeadML:Rescoring:Share", "0.1"), ("LeadML:Rescoring:BatchSize", "2"));
        var ids = Enumerable.Range(0, 7).Select(i => $"paced-{i}").ToArray();
        foreach (var id in ids) await PutLead(api, id);

        Clock.Advance(TimeSpan.FromHours(2));

        var due = Now;
        foreach (var id in ids) await WaitUntil(async () => await ScoredAt(api, id) >= due, $"the rescoring of {id}");
    }

    [Fact]
    public async Task StoredLead_ScoresLikeScoreEndpoint_WithExplanation()
    {
        using var api = Start();
        await PutLead(api, "same", createdAt: Now.AddDays(-40));
        var events = new[] { Event("a", "page_view", Now.AddDays(-2), "/pricing"), Event("b", "form_submit", Now.AddDays(-1), "/demo") };
        await Json(await api.Client.PostAsJsonAsync("/leads/same/events", new { events }));
        var stored = await Json(await api.Client.GetAsync("/leads/same"));
        var direct = await Json(await api.Client.PostAsJsonAsync("/score", new
        {
            attributes = HotLead, createdAt = Now.AddDays(-40), asOf = Now,
            events = new[] { new { type = "page_view", detail = "/pricing", timestamp = Now.AddDays(-2) }, new { type = "form_submit", detail = "/demo", timestamp = Now.AddDays(-1) } },
        }));
        Assert.Equal(direct["score"]!.GetValue<double>(), stored["current"]!["score"]!.GetValue<double>());
        Assert.Equal(direct["score"]!.GetValue<double>(), stored["stored"]!["score"]!.GetValue<double>());
        Assert.NotEmpty(stored["current"]!["modelPoints"]!["contributions"]!.AsArray());
        Assert.Equal(2, stored["eventCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task History_RecordsEveryChangeWithItsReason()
    {
        var modelCopy = bundle.CopyTo("sample-next");
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(modelCopy, "manifest.json")))!;
        manifest["modelVersion"] = manifest["modelVersion"]!.GetValue<string>() + "-next";
        File.WriteAllText(Path.Combine(modelCopy, "manifest.json"), manifest.ToJsonString());

        using var api = Start();
        await PutLead(api, "h1");
        await Json(await api.Client.PostAsJsonAsync("/leads/h1/events", new
        {
            events = new[] { Event("q", "quote_request", Now.AddHours(-5)), Event("d", "form_submit", Now.AddHours(-4), "/demo"), Event("p", "page_view", Now.AddHours(-3), "/pricing") },
        }));

        // Two months without activity: the scheduled rescoring lowers engagement.
        Clock.Advance(TimeSpan.FromDays(60));
        await WaitUntil(async () => (await Reasons(api, "h1")).Contains("rescoring"), "a rescoring entry");

        var rules = api.Get<ModelRegistry>().Get("sample").Rules;
        var version = await Approve(api, rules with { BasePoints = rules.BasePoints + 5 }, "h1");

        var (ok, message) = api.Get<ModelRegistry>().Promote("sample", modelCopy);
        Assert.True(ok, message);
        await WaitUntil(async () => (await Reasons(api, "h1")).Contains("new model"), "a new-model entry");

        var history = (await Json(await api.Client.GetAsync("/leads/h1/history")))["changes"]!.AsArray();
        Assert.Equal(["attributes", "event", "rescoring", "new rule set", "new model"], history.Select(h => h!["reason"]!.GetValue<string>()).ToArray());
        Assert.Equal(version, history[3]!["ruleSetVersion"]!.GetValue<string>());
        Assert.EndsWith("-next", history[4]!["modelVersion"]!.GetValue<string>());
        Assert.Equal("suggested", history[0]!["ruleSetVersion"]!.GetValue<string>());
        for (var i = 1; i < history.Count; i++)
        {
            Assert.Equal(history[i - 1]!["score"]!.GetValue<double>(), history[i]!["previousScore"]!.GetValue<double>());
        }
    }

    private static async Task<DateTimeOffset> ScoredAt(Api api, string lead) =>
        (await Json(await api.Client.GetAsync($"/leads/{lead}")))["stored"]!["scoredAt"]!.GetValue<DateTimeOffset>();

    private static async Task<List<string>> Reasons(Api api, string lead) =>
        [.. (await Json(await api.Client.GetAsync($"/leads/{lead}/history")))["changes"]!.AsArray().Select(h => h!["reason"]!.GetValue<string>())];

    [Fact]
    public async Task Delete_ErasesTheLeadAndItsEvents_AdminOnly()
    {
        using var api = Start();
        await PutLead(api, "gone");
        await Json(await api.Client.PostAsJsonAsync("/leads/gone/events", Event("x1", "page_view", Now.AddHours(-1), "/pricing")));

        var forbidden = await api.Client.DeleteAsync("/leads/gone");
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal("application/problem+json", forbidden.Content.Headers.ContentType?.MediaType);

        Assert.Equal(HttpStatusCode.NoContent, (await api.Admin.DeleteAsync("/leads/gone")).StatusCode);
        var missing = await Json(await api.Client.GetAsync("/leads/gone"), HttpStatusCode.NotFound);
        Assert.NotNull(missing["errors"]!["$.leadId"]);
        await Json(await api.Client.GetAsync("/leads/gone/history"), HttpStatusCode.NotFound);
        await Json(await api.Admin.DeleteAsync("/leads/gone"), HttpStatusCode.NotFound);

        // The events went too: the same event id is new again.
        var again = await Json(await api.Client.PostAsJsonAsync("/leads/gone/events", Event("x1", "page_view", Now.AddHours(-1), "/pricing")));
        Assert.Equal(1, again["accepted"]!.GetValue<int>());
        Assert.Equal(1, (await Json(await api.Client.GetAsync("/leads/gone")))["eventCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task BadInput_AnswersProblemWithThePath()
    {
        using var api = Start();
        var noId = await Json(await api.Client.PostAsJsonAsync("/events", new { events = new[] { Event("ok", "page_view", Now, null, "l1"), Event("", "page_view", Now, null, "l1") } }),
            HttpStatusCode.BadRequest);
        Assert.NotNull(noId["errors"]!["$.events[1].eventId"]);
        var noLead = await Json(await api.Client.PostAsJsonAsync("/events", new { events = new[] { new { eventId = "a", type = "x", timestamp = Now } } }), HttpStatusCode.BadRequest);
        Assert.NotNull(noLead["errors"]!["$.events[0].leadId"]);
        var noTime = await Json(await api.Client.PostAsJsonAsync("/leads/l1/events", new { eventId = "a", type = "page_view" }), HttpStatusCode.BadRequest);
        Assert.NotNull(noTime["errors"]!["$.timestamp"]);
        var model = await Json(await api.Client.PutAsJsonAsync("/leads/l1", new { model = "nope", attributes = HotLead }), HttpStatusCode.NotFound);
        Assert.NotNull(model["errors"]!["$.model"]);
        var kind = await Json(await api.Client.GetAsync("/alerts?kind=lukewarm"), HttpStatusCode.BadRequest);
        Assert.NotNull(kind["errors"]!["$.kind"]);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Factory.CreateClient().GetAsync("/leads/l1")).StatusCode);
    }

    [Fact]
    public async Task Alerts_GoUpAndDownWithHysteresis_NotWhileHovering()
    {
        using var api = Start();
        await ApproveThresholds(api, 100.5, 5);
        var s = (await PutLead(api, "hover"))["score"]!.GetValue<double>();

        await ApproveThresholds(api, s - 1, 5, "hover");   // crosses upward: sales-ready
        await ApproveThresholds(api, s + 3, 5, "hover");   // below the line but within the margin: holds
        await ApproveThresholds(api, s + 1, 5, "hover");
        await ApproveThresholds(api, s - 2, 5, "hover");
        Assert.Equal(["sales-ready"], await AlertKinds(api, "hover"));
        Assert.True((await Json(await api.Client.GetAsync("/leads/hover")))["stored"]!["salesReady"]!.GetValue<bool>());

        await ApproveThresholds(api, s + 6, 5, "hover");   // below threshold − hysteresis: gone cold
        await ApproveThresholds(api, s + 0.5, 5, "hover"); // just under the line, not ready: holds
        await ApproveThresholds(api, s, 5, "hover");       // reaches it again
        Assert.Equal(["sales-ready", "gone-cold", "sales-ready"], await AlertKinds(api, "hover"));

        var alerts = (await Json(await api.Client.GetAsync("/alerts?leadId=hover&kind=gone-cold"))).AsArray();
        var cold = Assert.Single(alerts);
        Assert.Equal("new rule set", cold!["reason"]!.GetValue<string>());
        Assert.Equal(s + 6, cold["threshold"]!.GetValue<double>(), 6);
        Assert.Equal(5, cold["hysteresis"]!.GetValue<double>());
    }

    [Fact]
    public async Task AKnockOut_TakesASalesReadyLeadColdAtOnce_WhateverTheHysteresis()
    {
        using var api = Start();
        await ApproveThresholds(api, 100.5, 5);
        var s = (await PutLead(api, "ko"))["score"]!.GetValue<double>();
        // Sales-ready just under its score with the widest hysteresis, so that no fall of the score could take it cold.
        var knockOut = new KnockOut
        {
            Id = "unsubscribed", Label = "Unsubscribed at some time",
            Condition = new Condition(LeadML.Features.Featurization.FeatureNames.Ever("unsubscribe"), ConditionOp.Eq, 1),
        };
        await Approve(api, api.Get<ModelRegistry>().Get("sample").Rules with { Thresholds = new Thresholds(s - 1, 50), KnockOuts = [knockOut] }, "ko");
        Assert.Equal(["sales-ready"], await AlertKinds(api, "ko"));

        var answer = await Json(await api.Client.PostAsJsonAsync("/leads/ko/events", Event("u1", "unsubscribe", Now.AddMinutes(-5))));

        var summary = answer["leads"]![0]!;
        Assert.Equal("gone-cold", summary["alert"]!.GetValue<string>());
        Assert.False(summary["salesReady"]!.GetValue<bool>());
        Assert.Equal("unsubscribed", summary["knockOuts"]![0]!["id"]!.GetValue<string>());
        Assert.Equal(["sales-ready", "gone-cold"], await AlertKinds(api, "ko"));
        var lead = await Json(await api.Client.GetAsync("/leads/ko"));
        Assert.False(lead["stored"]!["salesReady"]!.GetValue<bool>());
        Assert.True(lead["current"]!["disqualified"]!.GetValue<bool>());
        Assert.Equal("Unsubscribed at some time", lead["current"]!["knockOuts"]![0]!["label"]!.GetValue<string>());
        Assert.Equal(api.Get<ModelRegistry>().Get("sample").Rules.Grades[^1].Grade, lead["current"]!["grade"]!.GetValue<string>());

        // Still disqualified: more activity raises nothing.
        await Json(await api.Client.PostAsJsonAsync("/leads/ko/events", Event("p1", "page_view", Now.AddMinutes(-1), "/pricing")));
        Assert.Equal(["sales-ready", "gone-cold"], await AlertKinds(api, "ko"));
    }

    [Fact]
    public async Task RuleSetChange_RaisesAtMostTheConfiguredNumberOfAlerts()
    {
        using var api = Start(null, ("LeadML:Alerts:MaxPerRuleSetChange", "2"));
        await ApproveThresholds(api, 100.5, 5);
        var leads = Enumerable.Range(0, 5).Select(i => $"cap{i}").ToArray();
        var scores = new List<double>();
        foreach (var id in leads) scores.Add((await PutLead(api, id))["score"]!.GetValue<double>());

        var version = await ApproveThresholds(api, scores.Min() - 1, 5, leads);
        var alerts = (await Json(await api.Client.GetAsync("/alerts?kind=sales-ready"))).AsArray();
        Assert.Equal(2, alerts.Count);
        Assert.All(alerts, a => Assert.Equal(version, a!["ruleSetVersion"]!.GetValue<string>()));
        foreach (var id in leads)
        {
            Assert.True((await Json(await api.Client.GetAsync($"/leads/{id}")))["stored"]!["salesReady"]!.GetValue<bool>(), $"{id} is sales-ready without an alert");
        }
    }

    [Fact]
    public async Task ManyLeadsWrittenTogether_RaiseAlertsUpToTheCap_AndSuppressTheRest_AcrossWrites()
    {
        // No round but the one a rule-set change wakes: a round would rescore these leads back with the rules in force.
        using var api = Start(null, ("LeadML:Rescoring:PollInterval", "00:30:00"));
        var leads = Enumerable.Range(0, 5).Select(i => $"many{i}").ToArray();
        var scores = new List<double>();
        foreach (var id in leads) scores.Add((await PutLead(api, id))["score"]!.GetValue<double>());
        await ApproveThresholds(api, 100.5, 5, leads);
        var store = api.Get<LeadML.Api.Store.LeadStore>();
        var rescorer = api.Get<LeadML.Api.Leads.LeadRescorer>();
        var current = api.Get<ModelRegistry>().Get("sample");
        // Every lead crosses the line under rules of another version; the Api's own rounds never see these rules.
        var low = current.WithRules(current.Rules with { Thresholds = new Thresholds(scores.Min() - 1, 5), Version = 90 }, RuleSetSource.Approved);
        var cap = new LeadML.Api.Leads.AlertCap("test-cause", 2);
        var at = Now.UtcDateTime.AddMinutes(1);
        Task<List<LeadML.Api.Leads.Rescored>> Write(string[] ids) => store.InTransactionAsync(async (c, tx) =>
        {
            var stored = await store.LockLeadsAsync(c, tx, "sample", ids, default);
            var events = await store.EventsOfAsync(c, tx, "sample", ids, default);
            var plans = ids.Select(id => rescorer.Plan(stored[id], low, events[id], at)).ToList();
            return await rescorer.WriteManyAsync(c, tx, plans, low, LeadML.Api.Store.ScoreReasons.NewRuleSet, cap, default);
        });

        var first = await Write(leads[..3]);
        var second = await Write(leads[3..]);

        Assert.Equal(["sales-ready", "sales-ready", "none"], first.Select(r => r.Alert ?? "none").ToArray());
        Assert.Equal([false, false, true], first.Select(r => r.Suppressed).ToArray());
        Assert.All(second, r => Assert.True(r.Suppressed && r.Alert is null, $"{r.Lead.Id} raised {r.Alert} past the cap"));
        var raised = (await Json(await api.Client.GetAsync("/alerts?kind=sales-ready"))).AsArray().Where(a => (string?)a!["ruleSetVersion"] == "v90");
        Assert.Equal(["many0", "many1"], raised.Select(a => (string)a!["leadId"]!).Order(StringComparer.Ordinal));
        foreach (var id in leads)
        {
            var lead = await Json(await api.Client.GetAsync($"/leads/{id}?explain=false"));
            Assert.True(lead["stored"]!["salesReady"]!.GetValue<bool>(), $"{id} is not sales-ready");
            Assert.Equal("v90", (string?)lead["stored"]!["ruleSetVersion"]);
            var history = (await Json(await api.Client.GetAsync($"/leads/{id}/history")))["changes"]!.AsArray();
            Assert.Equal("new rule set", (string?)history[^1]!["reason"]);
            Assert.True(history[^1]!["salesReady"]!.GetValue<bool>());
        }
    }

    [Fact]
    public async Task ApprovedRuleSets_PersistInTheStore_AcrossRestarts()
    {
        var path = bundle.CopyTo();
        string version;
        using (var api = Start(path))
        {
            version = await ApproveThresholds(api, 77, 4);
        }
        using var again = Start(path);
        var model = again.Get<ModelRegistry>().Get("sample");
        Assert.Equal(version, model.RuleSetVersion);
        Assert.Equal(77, model.Rules.Thresholds.SalesReady);
        var audit = await again.Get<IRuleSetRepository>().AuditAsync("sample");
        Assert.Equal(["created", "approved"], audit.Select(a => a.Action).ToArray());
    }

    [Fact]
    public async Task Webhook_GetsSignedAlert_AfterRetryingServerErrors()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer = (_, before) => before < 2 ? 500 : 200;
        using var api = Start(null, ("LeadML:Webhooks:0:Url", receiver.Url), ("LeadML:Webhooks:0:Secret", WebhookReceiver.Secret),
            ("LeadML:Alerts:RetryDelay", "00:00:00.050"), ("LeadML:Alerts:MaxRetries", "4"));
        await ApproveThresholds(api, 100.5, 5);
        var s = (await PutLead(api, "hook"))["score"]!.GetValue<double>();
        await ApproveThresholds(api, s - 1, 5, "hook");

        await WaitUntil(() => Task.FromResult(receiver.Accepted().Count == 1), "the webhook to accept the alert");
        var alert = Assert.Single((await Json(await api.Client.GetAsync("/alerts?leadId=hook"))).AsArray())!;
        var key = alert["key"]!.GetValue<string>();
        Assert.All(receiver.Received, r => Assert.True(r.SignatureValid));
        Assert.Equal([key, key, key], receiver.Received.Select(r => r.Key!).ToArray());
        Assert.Single(receiver.Received.Select(r => r.Body).Distinct());
        var body = JsonNode.Parse(receiver.Received.First().Body)!;
        Assert.Equal("sales-ready", body["kind"]!.GetValue<string>());
        Assert.Equal("hook", body["leadId"]!.GetValue<string>());

        await WaitUntil(async () => (await Json(await api.Client.GetAsync("/alerts?leadId=hook&delivered=true"))).AsArray().Count == 1, "the alert marked delivered");
        var attempts = (await Json(await api.Client.GetAsync($"/alerts/deliveries?alertKey={Uri.EscapeDataString(key)}"))).AsArray().Reverse().ToList();
        Assert.Equal([500, 500, 200], attempts.Select(a => a!["statusCode"]!.GetValue<int>()).ToArray());
        Assert.Equal([1, 2, 3], attempts.Select(a => a!["attempt"]!.GetValue<int>()).ToArray());
        Assert.Equal([false, false, true], attempts.Select(a => a!["succeeded"]!.GetValue<bool>()).ToArray());
    }
}
