using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using LeadML.Api.RuleSets;
using LeadML.Api.Scoring;
using LeadML.Api.Tests.Fixtures;
using LeadML.Api.Tests.Outcomes;
using LeadML.Features.Rules;

namespace LeadML.Api.Tests.Alerts;

/// <summary>What a webhook receiver gets: a post signed with a timestamp that its own check accepts (and refuses once
/// replayed late or altered), headers naming the event, the attempt and the sender, and a body saying why the alert was
/// raised; and what Prometheus counts of it.</summary>
[Collection(BundleCollection.Name)]
public sealed class WebhookTests(TrainedBundle bundle)
{
    private static readonly Dictionary<string, object?> HotLead = new()
    {
        ["industry"] = "Software", ["company_size"] = 500, ["country"] = "United States", ["job_title"] = "CEO", ["lead_source"] = "web", ["budget_known"] = true,
    };

    [Fact]
    public async Task AnAlert_IsSignedWithATimestamp_NamesItsEvent_AndCarriesTheCriteriaAndTheCauseOfItsScore()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        // The alert of lead "hot" is refused through its first round (a post and one retry): it goes out again later,
        // each post with a new signature and a new delivery id.
        receiver.Answer = (key, before) => key.Contains(":hot:", StringComparison.Ordinal) && before < 2 ? 500 : 200;
        using var api = new SqliteApi(bundle.CopyTo(), DateTimeOffset.UtcNow, ("LeadML:Webhooks:0:Url", receiver.Url),
            ("LeadML:Webhooks:0:Secret", WebhookReceiver.Secret), ("LeadML:Alerts:MaxRetries", "1"), ("LeadML:Alerts:RetryDelay", "00:00:00.050"),
            ("LeadML:Alerts:RedeliveryDelay", "00:00:01"));
        receiver.Now = api.Clock.GetUtcNow;
        var metrics = api.Factory.CreateClient();
        var before = await Metrics(metrics);

        // Every lead is sales-ready under v1: the first score of a lead raises an alert.
        Approve(api, new Thresholds(0, 0));
        await SqliteApi.Json(await api.Client.PutAsJsonAsync("/leads/hot", new { attributes = HotLead, createdAt = api.Now.AddDays(-20) }));
        var at = api.Now.AddHours(-1);
        await SqliteApi.Json(await api.Client.PostAsJsonAsync("/leads/active/events", new
        {
            events = new[]
            {
                new { eventId = "e1", type = "page_view", timestamp = at, detail = "/pricing" },
                new { eventId = "e2", type = "form_submit", timestamp = at.AddMinutes(5), detail = "/demo" },
            },
        }));
        await WaitUntil(() => receiver.Received.Count(r => r.AnsweredStatus == 500) == 2, "the first round of lead hot's alert, refused");
        // The redelivery is due a second later on the Api's clock.
        await WaitUntil(() =>
        {
            api.Clock.Advance(TimeSpan.FromMilliseconds(250));
            return receiver.Accepted().Count == 2;
        }, "both alerts accepted");

        var posts = receiver.Received.ToList();
        Assert.All(posts, p => Assert.True(p.SignatureValid, p.Headers["LeadML-Signature"]));
        Assert.All(posts, p => Assert.Matches(@"^t=\d+,v1=[0-9a-f]{64}$", p.Headers["LeadML-Signature"]));
        Assert.All(posts, p => Assert.Equal("lead.sales_ready", p.Headers["LeadML-Event"]));
        Assert.All(posts, p => Assert.StartsWith("LeadML-Webhooks/", p.Headers["User-Agent"], StringComparison.Ordinal));
        Assert.All(posts, p => Assert.True(Guid.TryParse(p.Headers["LeadML-Delivery"], out _)));
        Assert.Equal(posts.Count, posts.Select(p => p.Headers["LeadML-Delivery"]).Distinct().Count());
        var retried = posts.GroupBy(p => p.Key).Single(g => g.Count() == 3);
        Assert.Single(retried.Select(p => p.Body).Distinct());

        // The receiver's check refuses the same post replayed after the window, or with its body or timestamp altered.
        var post = posts.Last();
        var body = Encoding.UTF8.GetBytes(post.Body);
        var signature = post.Headers["LeadML-Signature"];
        var t = DateTimeOffset.FromUnixTimeSeconds(long.Parse(signature[2..signature.IndexOf(',', StringComparison.Ordinal)], CultureInfo.InvariantCulture));
        Assert.True(WebhookReceiver.Verify(WebhookReceiver.Secret, body, signature, t.AddMinutes(4), WebhookReceiver.Tolerance));
        Assert.False(WebhookReceiver.Verify(WebhookReceiver.Secret, body, signature, t.AddMinutes(6), WebhookReceiver.Tolerance));
        Assert.False(WebhookReceiver.Verify(WebhookReceiver.Secret, Encoding.UTF8.GetBytes(post.Body.Replace("sales-ready", "gone-cold", StringComparison.Ordinal)),
            signature, t, WebhookReceiver.Tolerance));
        Assert.False(WebhookReceiver.Verify(WebhookReceiver.Secret, body, signature.Replace($"t={t.ToUnixTimeSeconds()}", $"t={t.ToUnixTimeSeconds() + 1}",
            StringComparison.Ordinal), t, WebhookReceiver.Tolerance));

        // Why "hot" is sales-ready: its attributes were sent, and these criteria fired (the same the lead's explanation lists).
        var hot = Body(posts, "hot");
        Assert.Equal("lead.sales_ready", (string?)hot["event"]);
        Assert.Equal("sales-ready", (string?)hot["kind"]);
        Assert.Equal("attributes", (string?)hot["cause"]!["reason"]);
        Assert.Equal("the lead's attributes were sent", (string?)hot["cause"]!["description"]);
        var explained = (await SqliteApi.Json(await api.Client.GetAsync("/leads/hot")))["current"]!["rulePoints"]!["criteria"]!.AsArray();
        var fired = hot["criteria"]!.AsArray();
        Assert.NotEmpty(fired);
        Assert.Equal(explained.Select(c => ((string?)c!["id"], (string?)c["label"], (int)c["points"]!)),
            fired.Select(c => ((string?)c!["id"], (string?)c["label"], (int)c["points"]!)));

        // Why "active" is: two new events, listed.
        var active = Body(posts, "active");
        Assert.Equal("event", (string?)active["cause"]!["reason"]);
        Assert.Equal("2 new events: page_view, form_submit", (string?)active["cause"]!["description"]);
        Assert.Equal(["e1", "e2"], active["cause"]!["events"]!.AsArray().Select(e => (string)e!["eventId"]!).ToArray());
        Assert.Equal("/demo", (string?)active["cause"]!["events"]![1]!["detail"]);

        // A new rule set makes both go cold: the cause names the rule set it replaced.
        receiver.Answer = (_, _) => 200;
        Approve(api, new Thresholds(100, 0));
        await WaitUntil(() => receiver.Accepted().Count == 4, "both gone-cold alerts accepted");
        await WaitUntil(async () => (await SqliteApi.Json(await api.Client.GetAsync("/alerts?delivered=true"))).AsArray().Count == 4,
            "all four alerts marked delivered");
        var cold = receiver.Received.Where(p => p.Headers["LeadML-Event"] == "lead.gone_cold").Select(p => JsonNode.Parse(p.Body)!).ToList();
        Assert.Equal(2, cold.Count);
        Assert.All(cold, c => Assert.Equal("new rule set", (string?)c["cause"]!["reason"]));
        Assert.All(cold, c => Assert.Equal("rule set v2 replaced v1", (string?)c["cause"]!["description"]));
        Assert.All(cold, c => Assert.Equal("v1", (string?)c["cause"]!["previousRuleSetVersion"]));

        var after = await Metrics(metrics);
        Assert.Equal(2, Delta(before, after, "leadml_alerts_raised_total{kind=\"sales-ready\"}"));
        Assert.Equal(2, Delta(before, after, "leadml_alerts_raised_total{kind=\"gone-cold\"}"));
        Assert.Equal(2, Delta(before, after, "leadml_alerts_delivered_total{kind=\"sales-ready\"}"));
        Assert.Equal(1, Delta(before, after, "leadml_alerts_failed_total{kind=\"sales-ready\"}"));
        Assert.Equal(4, Delta(before, after, "leadml_webhook_request_duration_seconds_count{outcome=\"accepted\"}"));
        Assert.Equal(2, Delta(before, after, "leadml_webhook_request_duration_seconds_count{outcome=\"failed\"}"));
        Assert.True(Delta(before, after, "leadml_rescoring_rounds_total{outcome=\"completed\"}") >= 1);
        Assert.True(Delta(before, after, "leadml_leads_rescored_total") >= 2, "the two leads rescored for the new rule set");
    }

    /// <summary>Approves a rule set like the one in force with other thresholds and puts it in force.</summary>
    private static void Approve(SqliteApi api, Thresholds thresholds)
    {
        var registry = api.Get<ModelRegistry>();
        var repository = api.Get<IRuleSetRepository>();
        var rules = registry.Get("sample").Rules with { Thresholds = thresholds };
        var draft = repository.CreateDraftAsync("sample", rules, null, "test", api.Now.UtcDateTime).GetAwaiter().GetResult();
        var approved = repository.ApproveAsync("sample", draft.Version, "tester", "thresholds for a test", api.Now.UtcDateTime).GetAwaiter().GetResult();
        registry.ApplyRuleSet("sample", approved.Rules, RuleSetSource.Approved);
    }

    private static JsonNode Body(List<ReceivedAlert> posts, string lead) =>
        posts.Select(p => JsonNode.Parse(p.Body)!).First(b => (string?)b["leadId"] == lead);

    private static Task WaitUntil(Func<bool> done, string what) => WaitUntil(() => Task.FromResult(done()), what);

    private static async Task WaitUntil(Func<Task<bool>> done, string what)
    {
        var until = DateTime.UtcNow.AddSeconds(20);
        while (!await done())
        {
            Assert.True(DateTime.UtcNow < until, $"timed out waiting for {what}");
            await Task.Delay(50);
        }
    }

    /// <summary>Every sample of <c>/metrics</c> by its name and labels.</summary>
    private static async Task<Dictionary<string, double>> Metrics(HttpClient client) =>
        (await client.GetStringAsync("/metrics")).Split('\n').Where(l => l.StartsWith("leadml_", StringComparison.Ordinal))
            .ToDictionary(l => l[..l.LastIndexOf(' ')], l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));

    private static double Delta(Dictionary<string, double> before, Dictionary<string, double> after, string sample) =>
        after.GetValueOrDefault(sample) - before.GetValueOrDefault(sample);
}
