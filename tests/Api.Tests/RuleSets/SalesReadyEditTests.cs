using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using LeadML.Api.Tests.Fixtures;

namespace LeadML.Api.Tests.RuleSets;

/// <summary>One meaning of sales-ready in draft edits and scores: the threshold is the top grade's lower bound, an
/// edit of one moves the other, and both sent different is refused.</summary>
[Collection(BundleCollection.Name)]
public sealed class SalesReadyEditTests(TrainedBundle bundle) : IDisposable
{
    private readonly ApiFactory _factory = ApiFactory.For(bundle.CopyTo());

    public void Dispose() => _factory.Dispose();

    private HttpClient Admin() => _factory.Client(ApiFactory.AdminKey);

    private static Task<HttpResponseMessage> Patch(HttpClient client, object body) =>
        client.SendAsync(new HttpRequestMessage(HttpMethod.Patch, "/rulesets/sample/1") { Content = RuleSetDraftEditTests.MergePatch(body) });

    private static async Task<JsonObject> NewDraft(HttpClient client) =>
        (await RuleSetEndpointsTests.Send(client, HttpMethod.Post, "/rulesets/sample/drafts", new { }, HttpStatusCode.Created))["rules"]!.AsObject();

    private static double SalesReady(JsonNode rules) => (double)rules["thresholds"]!["salesReady"]!;

    private static double[] Mins(JsonNode rules) => [.. rules["grades"]!.AsArray().Select(g => (double)g!["minScore"]!)];

    private static object Grades(JsonNode rules, double[] mins) =>
        rules["grades"]!.AsArray().Select((g, i) => new { grade = (string)g!["grade"]!, minScore = mins[i] }).ToArray();

    [Fact]
    public async Task TheThresholdAlone_MovesTheTopGradeWithIt()
    {
        var client = Admin();
        var draft = await NewDraft(client);
        Assert.Equal(SalesReady(draft), Mins(draft)[0]);
        var mins = Mins(draft);
        var moved = Math.Round((mins[0] + mins[1]) / 2, 1);
        Assert.NotEqual(mins[0], moved);

        var after = (await RuleSetDraftEditTests.Answer(await Patch(client, new { thresholds = new { salesReady = moved } })))["rules"]!;

        Assert.Equal(moved, SalesReady(after));
        Assert.Equal([moved, .. mins.Skip(1)], Mins(after));
        Assert.Equal((double)draft["thresholds"]!["hysteresis"]!, (double)after["thresholds"]!["hysteresis"]!);
    }

    [Fact]
    public async Task TheTopGradeAlone_MovesTheThresholdWithIt()
    {
        var client = Admin();
        var draft = await NewDraft(client);
        var mins = Mins(draft);
        mins[0] = Math.Min(100, mins[0] + 3);

        var after = (await RuleSetDraftEditTests.Answer(await Patch(client, new { grades = Grades(draft, mins) })))["rules"]!;

        Assert.Equal(mins[0], SalesReady(after));
        Assert.Equal(mins, Mins(after));
    }

    [Fact]
    public async Task BothSentDifferent_IsRefusedAtTheTopGrade_AndTheDraftIsUnchanged()
    {
        var client = Admin();
        var draft = await NewDraft(client);
        var mins = Mins(draft);
        var threshold = mins[0] - 1;

        var problem = await RuleSetDraftEditTests.Answer(
            await Patch(client, new { thresholds = new { salesReady = threshold }, grades = Grades(draft, mins) }), HttpStatusCode.BadRequest);

        var error = Assert.Single(problem["errors"]!.AsObject());
        Assert.Equal("$.grades[0].minScore", error.Key);
        Assert.Contains("the top grade starts where sales-ready starts", (string)error.Value![0]!);
        var stored = (await RuleSetEndpointsTests.Send(client, HttpMethod.Get, "/rulesets/sample/1"))["rules"]!;
        Assert.Equal(SalesReady(draft), SalesReady(stored));
        Assert.Equal(Mins(draft), Mins(stored));
    }

    [Fact]
    public async Task AThresholdAtOrBelowTheNextGrade_IsRefused_WithWhy()
    {
        var client = Admin();
        var draft = await NewDraft(client);
        var next = Mins(draft)[1];

        var problem = await RuleSetDraftEditTests.Answer(await Patch(client, new { thresholds = new { salesReady = next } }), HttpStatusCode.BadRequest);

        var error = Assert.Single(problem["errors"]!.AsObject());
        Assert.Equal("$.thresholds.salesReady", error.Key);
        Assert.Contains("must stay above grade", (string)error.Value![0]!);
    }

    /// <summary>Leads from no activity at all to very engaged.</summary>
    private static IEnumerable<object> Leads()
    {
        var now = DateTimeOffset.UtcNow;
        var events = new[]
        {
            Array.Empty<object>(),
            [new { type = "page_view", detail = (string?)"/blog", timestamp = now.AddDays(-40) }],
            [new { type = "page_view", detail = (string?)"/pricing", timestamp = now.AddDays(-2) }],
            [new { type = "page_view", detail = (string?)"/pricing", timestamp = now.AddDays(-3) }, new { type = "quote_request", detail = (string?)null, timestamp = now.AddDays(-1) }],
            [.. Enumerable.Range(1, 6).Select(d => (object)new { type = "page_view", detail = (string?)"/pricing", timestamp = now.AddDays(-d) }),
                new { type = "quote_request", detail = (string?)null, timestamp = now.AddDays(-1) }, new { type = "demo_request", detail = (string?)null, timestamp = now.AddHours(-5) }],
        };
        string[] industries = ["Software", "Retail"];
        var k = 0;
        foreach (var industry in industries)
        {
            foreach (var e in events)
            {
                yield return new
                {
                    leadId = "L" + (k++).ToString(CultureInfo.InvariantCulture),
                    attributes = new Dictionary<string, object?> { ["industry"] = industry, ["company_size"] = 250, ["country"] = "United States", ["job_title"] = "Marketing Manager", ["lead_source"] = "web", ["budget_known"] = "yes" },
                    events = e,
                };
            }
        }
    }

    [Fact]
    public async Task TheScoreAnswer_IsSalesReadyExactlyWhenItHasTheTopGrade()
    {
        var client = Admin();
        var draft = await NewDraft(client);
        var leads = Leads().ToList();
        var before = new List<double>();
        foreach (var lead in leads) before.Add((double)(await RuleSetEndpointsTests.Send(client, HttpMethod.Post, "/score", lead))["score"]!);
        var sorted = before.Distinct().Order().ToList();
        Assert.True(sorted.Count >= 3, string.Join(", ", sorted));
        // A threshold between the scores, so that leads fall on both sides; the grades alone are sent (the threshold follows).
        var threshold = Math.Round((sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2, 2);
        Assert.True(threshold > 4, $"threshold {threshold}");
        double[] mins = [threshold, Math.Round(threshold / 2, 2), Math.Round(threshold / 4, 2), 0];
        await RuleSetDraftEditTests.Answer(await Patch(client, new { grades = Grades(draft, mins[..draft["grades"]!.AsArray().Count]) }));
        await RuleSetEndpointsTests.Send(client, HttpMethod.Post, "/rulesets/sample/1/approve", new { approvedBy = "Ann" });
        var top = (string)draft["grades"]![0]!["grade"]!;

        int ready = 0, notReady = 0;
        foreach (var lead in leads)
        {
            var answer = await RuleSetEndpointsTests.Send(_factory.Client(), HttpMethod.Post, "/score", lead);
            Assert.Equal("v1", (string?)answer["ruleSetVersion"]);
            var salesReady = (bool)answer["salesReady"]!;
            var grade = (string)answer["grade"]!;
            Assert.True(salesReady == (grade == top), $"score {answer["score"]}: grade {grade}, salesReady {salesReady}");
            Assert.Equal((double)answer["score"]! >= threshold, salesReady);
            if (salesReady) ready++;
            else notReady++;
        }
        Assert.True(ready > 0 && notReady > 0, $"{ready} sales-ready, {notReady} not");
    }
}
