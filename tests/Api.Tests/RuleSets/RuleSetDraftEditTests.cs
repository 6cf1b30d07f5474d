using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using LeadML.Api.Tests.Fixtures;
using LeadML.Api.Tests.Outcomes;

namespace LeadML.Api.Tests.RuleSets;

/// <summary>Draft edits that never destroy by accident: PATCH merges criteria by id, PUT refuses a list that would drop
/// criteria unless told to, and DELETE discards drafts only.</summary>
[Collection(BundleCollection.Name)]
public sealed class RuleSetDraftEditTests(TrainedBundle bundle) : IDisposable
{
    private readonly ApiFactory _factory = ApiFactory.For(bundle.CopyTo());

    public void Dispose() => _factory.Dispose();

    private HttpClient Reviewer() => _factory.Client(ApiFactory.ReviewerKey);

    internal static StringContent MergePatch(object body) =>
        new(System.Text.Json.JsonSerializer.Serialize(body), Encoding.UTF8, "application/merge-patch+json");

    internal static async Task<JsonNode> Answer(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode} {text}");
        if (expected >= HttpStatusCode.BadRequest) Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!;
    }

    private static Task<HttpResponseMessage> Patch(HttpClient client, string url, object body) =>
        client.SendAsync(new HttpRequestMessage(HttpMethod.Patch, url) { Content = MergePatch(body) });

    private static JsonObject Criterion(JsonNode rules, string id) =>
        rules["criteria"]!.AsArray().Single(c => (string?)c!["id"] == id)!.AsObject();

    private async Task<JsonObject> NewDraft(HttpClient client) =>
        (await RuleSetEndpointsTests.Send(client, HttpMethod.Post, "/rulesets/sample/drafts", new { }, HttpStatusCode.Created))["rules"]!.AsObject();

    [Fact]
    public async Task Patch_ChangesEnablesAddsAndRemovesCriteriaById_AndKeepsEveryOther()
    {
        var client = Reviewer();
        var before = await NewDraft(client);
        var ids = before["criteria"]!.AsArray().Select(c => (string)c!["id"]!).ToList();
        var (changed, disabled, removed) = (ids[0], ids[1], ids[2]);
        var changedPoints = (int)Criterion(before, changed)["points"]! == 10 ? 11 : 10;

        var after = (await Answer(await Patch(client, "/rulesets/sample/1", new Dictionary<string, object?>
        {
            ["criteria"] = new Dictionary<string, object?>
            {
                [changed] = new { points = changedPoints },
                [disabled] = new { enabled = false },
                [removed] = null,
                ["big-company"] = new { label = "Big company", condition = new { feature = "attr.company_size", op = "gte", value = 1000 }, points = 12 },
            },
            ["editedBy"] = "Ann",
        })))["rules"]!;

        var afterIds = after["criteria"]!.AsArray().Select(c => (string)c!["id"]!).ToList();
        Assert.Equal([.. ids.Where(id => id != removed), "big-company"], afterIds);
        Assert.Equal(changedPoints, (int)Criterion(after, changed)["points"]!);
        Assert.Equal((string?)Criterion(before, changed)["label"], (string?)Criterion(after, changed)["label"]);
        Assert.False((bool)Criterion(after, disabled)["enabled"]!);
        Assert.Equal((int)Criterion(before, disabled)["points"]!, (int)Criterion(after, disabled)["points"]!);
        Assert.Equal(12, (int)Criterion(after, "big-company")["points"]!);
        foreach (var id in ids.Skip(3)) Assert.True(JsonNode.DeepEquals(Criterion(before, id), Criterion(after, id)), id);
        Assert.Equal((double)before["basePoints"]!, (double)after["basePoints"]!);
        var audit = await RuleSetEndpointsTests.Send(client, HttpMethod.Get, "/rulesets/sample/audit");
        Assert.Contains(audit.AsArray(), a => (string?)a!["action"] == "edited" && (string?)a["actor"] == "Ann");
    }

    [Theory]
    [InlineData("""{"criteria":{"ID":{"pionts":5}}}""", "$.criteria.ID.pionts", "did you mean 'points'?")]
    [InlineData("""{"criteria":{"ID":{"points":140}}}""", "$.criteria.ID.points", "points are whole numbers from -100 to 100")]
    [InlineData("""{"criteria":{"ID":{"points":1e400}}}""", "$.criteria.ID.points", "is not a finite number; points are whole numbers from -100 to 100")]
    [InlineData("""{"criteria":{"ID":{"id":"other"}}}""", "$.criteria.ID.id", "an id cannot change")]
    [InlineData("""{"criteria":{"no-such-criterion":null}}""", "$.criteria.no-such-criterion", "nothing to remove")]
    [InlineData("""{"criteria":{"brand-new":{"points":5}}}""", "$.criteria.brand-new.condition", "is required for a new criterion")]
    [InlineData("""{"criteria":null}""", "$.criteria", "cannot be null")]
    [InlineData("""{"criteria":[]}""", "$.criteria", "must be a JSON object of name: value")]
    [InlineData("""{"basePoints":null}""", "$.basePoints", "cannot be removed")]
    [InlineData("""{"thresholds":{"salesReady":"NaN"}}""", "$.thresholds.salesReady", "is not a finite number; the sales-ready threshold is a score from 0 to 100")]
    public async Task Patch_ThatCannotBeRight_IsRefusedAtThePathItWasSentAt_AndTheDraftIsUnchanged(string body, string path, string message)
    {
        var client = Reviewer();
        var before = await NewDraft(client);
        var id = (string)before["criteria"]![0]!["id"]!;

        var problem = await Answer(await client.SendAsync(new HttpRequestMessage(HttpMethod.Patch, "/rulesets/sample/1")
        {
            Content = new StringContent(body.Replace("ID", id), Encoding.UTF8, "application/merge-patch+json"),
        }), HttpStatusCode.BadRequest);

        var error = Assert.Single(problem["errors"]!.AsObject());
        Assert.Equal(path.Replace("ID", id), error.Key);
        Assert.Contains(message, (string?)error.Value![0], StringComparison.Ordinal);
        var after = (await RuleSetEndpointsTests.Send(client, HttpMethod.Get, "/rulesets/sample/1"))["rules"];
        Assert.True(JsonNode.DeepEquals(before, after), after!.ToJsonString());
    }

    [Theory]
    [InlineData("basePoints", "\"Infinity\"", "$.basePoints", "is not a finite number; base points must lie between 0 and 100")]
    [InlineData("points", "\"NaN\"", "$.criteria[0].points", "is not a finite number; points are whole numbers from -100 to 100")]
    [InlineData("points", "1e400", "$.criteria[0].points", "is not a finite number; points are whole numbers from -100 to 100")]
    [InlineData("points", "-101", "$.criteria[0].points", "is -101; points are whole numbers from -100 to 100")]
    [InlineData("points", "2.5", "$.criteria[0].points", "is 2.5; points are whole numbers from -100 to 100")]
    [InlineData("hysteresis", "1e400", "$.thresholds.hysteresis", "is not a finite number; the hysteresis is 0 to 50 points")]
    public async Task Put_PointsThatAreNotFiniteOrOutOfRange_AreRefusedAtTheirPath(string field, string value, string path, string message)
    {
        var client = Reviewer();
        var rules = await NewDraft(client);
        var body = rules.DeepClone().AsObject();
        switch (field)
        {
            case "basePoints": body["basePoints"] = JsonNode.Parse(value); break;
            case "points": body["criteria"]![0]!["points"] = JsonNode.Parse(value); break;
            default: body["thresholds"]!["hysteresis"] = JsonNode.Parse(value); break;
        }

        var problem = await Answer(await client.PutAsync("/rulesets/sample/1", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json")),
            HttpStatusCode.BadRequest);

        var error = Assert.Single(problem["errors"]!.AsObject());
        Assert.Equal(path, error.Key);
        Assert.Equal(message, (string?)error.Value![0]);
        Assert.True(JsonNode.DeepEquals(rules, (await RuleSetEndpointsTests.Send(client, HttpMethod.Get, "/rulesets/sample/1"))["rules"]));
    }

    [Fact]
    public async Task Put_ThatWouldDropCriteria_IsRefused_UnlessItSaysDropMissing()
    {
        var client = Reviewer();
        var rules = await NewDraft(client);
        var all = rules["criteria"]!.AsArray().Count;
        var shortList = rules.DeepClone().AsObject();
        var dropped = (string)shortList["criteria"]![1]!["id"]!;
        shortList["criteria"]!.AsArray().RemoveAt(1);

        var problem = await Answer(await client.PutAsJsonAsync("/rulesets/sample/1", shortList), HttpStatusCode.BadRequest);
        var error = Assert.Single(problem["errors"]!.AsObject());
        Assert.Equal("$.criteria", error.Key);
        Assert.Contains($"'{dropped}'", (string?)error.Value![0], StringComparison.Ordinal);
        Assert.Contains("dropMissing", (string?)error.Value![0], StringComparison.Ordinal);
        Assert.Equal(all, (await RuleSetEndpointsTests.Send(client, HttpMethod.Get, "/rulesets/sample/1"))["rules"]!["criteria"]!.AsArray().Count);

        // The whole list as GET answers it is accepted without the flag.
        await RuleSetEndpointsTests.Send(client, HttpMethod.Put, "/rulesets/sample/1", rules);

        shortList["dropMissing"] = true;
        var saved = await RuleSetEndpointsTests.Send(client, HttpMethod.Put, "/rulesets/sample/1", shortList);
        Assert.Equal(all - 1, saved["rules"]!["criteria"]!.AsArray().Count);
        Assert.DoesNotContain(saved["rules"]!["criteria"]!.AsArray(), c => (string?)c!["id"] == dropped);
    }

    [Fact]
    public async Task Delete_DiscardsADraft_ButNeverAnApprovedVersion()
    {
        var client = Reviewer();
        await NewDraft(client);
        await NewDraft(client);
        await RuleSetEndpointsTests.Send(client, HttpMethod.Post, "/rulesets/sample/1/approve", new { approvedBy = "Ann" });

        var refused = await Answer(await client.DeleteAsync("/rulesets/sample/1"), HttpStatusCode.Conflict);
        Assert.Contains("never deleted", (string?)refused["detail"], StringComparison.Ordinal);
        await Answer(await client.DeleteAsync("/rulesets/sample/0"), HttpStatusCode.Conflict);

        await Answer(await client.DeleteAsync("/rulesets/sample/2"), HttpStatusCode.NoContent);
        await Answer(await client.GetAsync("/rulesets/sample/2"), HttpStatusCode.NotFound);
        await Answer(await client.DeleteAsync("/rulesets/sample/2"), HttpStatusCode.NotFound);
        var list = await RuleSetEndpointsTests.Send(client, HttpMethod.Get, "/rulesets/sample");
        Assert.Equal([1], list["versions"]!.AsArray().Select(v => (int)v!["version"]!).ToArray());
        var audit = await RuleSetEndpointsTests.Send(client, HttpMethod.Get, "/rulesets/sample/audit");
        Assert.Contains(audit.AsArray(), a => (string?)a!["action"] == "discarded" && (int)a["version"]! == 2);

        // A discarded draft's number is not given again.
        var next = await RuleSetEndpointsTests.Send(client, HttpMethod.Post, "/rulesets/sample/drafts", new { }, HttpStatusCode.Created);
        Assert.Equal(3, (int)next["summary"]!["version"]!);
    }

    [Fact]
    public async Task Delete_OnTheStore_DiscardsTheDraft_AndItsNumberIsNotGivenAgain()
    {
        using var api = new SqliteApi(bundle.CopyTo(), DateTimeOffset.UtcNow);
        var client = api.Factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiFactory.ReviewerKey);
        await NewDraft(client);

        await Answer(await client.DeleteAsync("/rulesets/sample/1"), HttpStatusCode.NoContent);

        await Answer(await client.GetAsync("/rulesets/sample/1"), HttpStatusCode.NotFound);
        var next = await RuleSetEndpointsTests.Send(client, HttpMethod.Post, "/rulesets/sample/drafts", new { }, HttpStatusCode.Created);
        Assert.Equal(2, (int)next["summary"]!["version"]!);
    }
}
