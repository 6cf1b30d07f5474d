using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LeadML.Api.Tests.Fixtures;
using LeadML.Features.Featurization;

namespace LeadML.Api.Tests.RuleSets;

/// <summary>Knock-outs (disqualifiers) through the Api: drafts carry them (PATCH by id, PUT as a list, the GET answer
/// sent back unchanged), edits are checked like criteria with the problem at its JSON path, the diff and the what-if
/// count them, and a score answer names the knock-out that fired.</summary>
[Collection(BundleCollection.Name)]
public sealed class KnockOutTests(TrainedBundle bundle) : IDisposable
{
    private const string Id = "test-unsubscribed";
    private static readonly string Unsubscribe = FeatureNames.Ever("unsubscribe");

    private readonly ApiFactory _factory = ApiFactory.For(bundle.CopyTo());

    public void Dispose() => _factory.Dispose();

    private HttpClient Reviewer() => _factory.Client(ApiFactory.ReviewerKey);

    private static Task<HttpResponseMessage> Patch(HttpClient client, object body) =>
        client.SendAsync(new HttpRequestMessage(HttpMethod.Patch, "/rulesets/sample/1") { Content = RuleSetDraftEditTests.MergePatch(body) });

    private static JsonObject? KnockOut(JsonNode rules, string id) =>
        rules["knockOuts"]!.AsArray().SingleOrDefault(k => (string?)k!["id"] == id)?.AsObject();

    private async Task<JsonNode> DraftWithKnockOut(HttpClient client)
    {
        await RuleSetEndpointsTests.Send(client, HttpMethod.Post, "/rulesets/sample/drafts", new { }, HttpStatusCode.Created);
        return (await RuleSetDraftEditTests.Answer(await Patch(client, new Dictionary<string, object?>
        {
            ["knockOuts"] = new Dictionary<string, object?> { [Id] = new { condition = new { feature = Unsubscribe, op = "eq", value = 1 } } },
            ["editedBy"] = "Ann",
        })))["rules"]!;
    }

    [Fact]
    public async Task Patch_AddsAKnockOutLabelledInWords_AndTheGetAnswerPutsBackUnchanged()
    {
        var client = Reviewer();
        var rules = await DraftWithKnockOut(client);

        var added = KnockOut(rules, Id);
        Assert.NotNull(added);
        Assert.Equal("Unsubscribed at some time", (string?)added["label"]);
        Assert.True((bool)added["enabled"]!);

        // A GET answer is valid draft input: sent back whole, nothing changes.
        var got = (await RuleSetEndpointsTests.Send(client, HttpMethod.Get, "/rulesets/sample/1"))["rules"]!;
        var put = (await RuleSetEndpointsTests.Send(client, HttpMethod.Put, "/rulesets/sample/1", got))["rules"]!;
        Assert.True(JsonNode.DeepEquals(got["knockOuts"], put["knockOuts"]), put["knockOuts"]!.ToJsonString());
        Assert.True(JsonNode.DeepEquals(got["criteria"], put["criteria"]));

        // Disabled, then removed, by id; the others stay.
        var disabled = (await RuleSetDraftEditTests.Answer(await Patch(client, new { knockOuts = new Dictionary<string, object?> { [Id] = new { enabled = false } } })))["rules"]!;
        Assert.False((bool)KnockOut(disabled, Id)!["enabled"]!);
        var removed = (await RuleSetDraftEditTests.Answer(await Patch(client, new { knockOuts = new Dictionary<string, object?> { [Id] = null } })))["rules"]!;
        Assert.Null(KnockOut(removed, Id));
        Assert.Equal(got["knockOuts"]!.AsArray().Count - 1, removed["knockOuts"]!.AsArray().Count);
    }

    [Fact]
    public async Task Diff_AndSummary_NameTheKnockOutAdded()
    {
        var client = Reviewer();
        await DraftWithKnockOut(client);

        var diff = await RuleSetEndpointsTests.Send(client, HttpMethod.Get, "/rulesets/sample/diff?from=0&to=1");

        var entry = Assert.Single(diff["knockOutsAdded"]!.AsArray());
        Assert.Equal(Id, (string?)entry!["id"]);
        Assert.Equal("Unsubscribed at some time", (string?)entry["condition"]);
        Assert.False((bool)diff["same"]!);
        var list = await RuleSetEndpointsTests.Send(client, HttpMethod.Get, "/rulesets/sample");
        var summary = list["versions"]!.AsArray().Single(v => (int)v!["version"]! == 1)!;
        Assert.Equal((int)list["suggestion"]!["knockOuts"]! + 1, (int)summary["knockOuts"]!);
    }

    [Theory]
    [InlineData("""{"knockOuts":{"K":{"condition":{"feature":"attr.planet=Mars","op":"eq","value":1}}}}""", "$.knockOuts.K.condition.feature", "is not a feature of this model")]
    [InlineData("""{"knockOuts":{"K":{"label":"no condition"}}}""", "$.knockOuts.K.condition", "is required for a new knock-out")]
    [InlineData("""{"knockOuts":{"K":{"condition":{"feature":"evt.unsubscribe.ever","op":"between","value":1}}}}""", "$.knockOuts.K.condition.upper", "must be a number above value")]
    [InlineData("""{"knockOuts":{"no-such-knock-out":null}}""", "$.knockOuts.no-such-knock-out", "nothing to remove")]
    [InlineData("""{"knockOuts":null}""", "$.knockOuts", "cannot be null")]
    public async Task Patch_BadKnockOut_IsRefusedAtItsPath_AndTheDraftIsUnchanged(string body, string path, string message)
    {
        var client = Reviewer();
        var before = await DraftWithKnockOut(client);

        var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Patch, "/rulesets/sample/1") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/merge-patch+json") });
        var problem = await RuleSetDraftEditTests.Answer(response, HttpStatusCode.BadRequest);

        var error = Assert.Single(problem["errors"]!.AsObject());
        Assert.Equal(path, error.Key);
        Assert.Contains(message, (string)error.Value![0]!);
        var stored = (await RuleSetEndpointsTests.Send(client, HttpMethod.Get, "/rulesets/sample/1"))["rules"]!;
        Assert.True(JsonNode.DeepEquals(before["knockOuts"], stored["knockOuts"]));
    }

    [Fact]
    public async Task Put_AListThatLeavesOutAKnockOut_IsRefused_AndDuplicateIdsNameTheirPath()
    {
        var client = Reviewer();
        await DraftWithKnockOut(client);

        var dropped = await RuleSetDraftEditTests.Answer(await client.PutAsJsonAsync("/rulesets/sample/1", new { knockOuts = Array.Empty<object>() }), HttpStatusCode.BadRequest);
        Assert.Contains(Id, (string)dropped["errors"]!["$.knockOuts"]![0]!);

        var twice = new[] { new { id = Id }, new { id = Id } };
        var duplicate = await RuleSetDraftEditTests.Answer(await client.PutAsJsonAsync("/rulesets/sample/1", new { knockOuts = twice }), HttpStatusCode.BadRequest);
        Assert.Contains("already used by $.knockOuts[0]", (string)duplicate["errors"]!["$.knockOuts[1].id"]![0]!);
    }

    [Fact]
    public async Task Score_OfAnUnsubscribedHotLead_IsDisqualified_NamingTheKnockOut_AndTheWhatIfCountsIt()
    {
        var client = Reviewer();
        var rules = await DraftWithKnockOut(client);
        // The sales-ready threshold below the hot lead's score, so that only the knock-out can keep it from sales.
        var hot = await RuleSetEndpointsTests.Send(_factory.Client(), HttpMethod.Post, "/score", RuleSetEndpointsTests.Lead());
        var threshold = Math.Max(1, Math.Floor((double)hot["score"]! - 1));
        var grades = rules["grades"]!.AsArray().Select((g, i) => new { grade = (string)g!["grade"]!, minScore = i == 0 ? threshold : Math.Min((double)g["minScore"]!, threshold - i) }).ToArray();
        await RuleSetDraftEditTests.Answer(await Patch(client, new { grades }));

        var whatIf = await RuleSetEndpointsTests.Send(client, HttpMethod.Post, "/rulesets/sample/whatif", new { version = 1 });
        var disqualified = whatIf["candidate"]!["disqualified"]!;
        Assert.True((int)disqualified["leads"]! > 0, disqualified.ToJsonString());
        var mine = (int)disqualified["knockOuts"]!.AsArray().Single(k => (string?)k!["id"] == Id)!["leads"]!;
        Assert.InRange(mine, 1, (int)disqualified["leads"]!);
        // Disqualified leads are in the lowest grade: it holds at least them.
        Assert.True((int)whatIf["candidate"]!["grades"]!.AsArray()[^1]!["leads"]! >= (int)disqualified["leads"]!);

        await RuleSetEndpointsTests.Send(client, HttpMethod.Post, "/rulesets/sample/1/approve", new { approvedBy = "Ann" });
        var ready = await RuleSetEndpointsTests.Send(_factory.Client(), HttpMethod.Post, "/score", RuleSetEndpointsTests.Lead());
        Assert.True((bool)ready["salesReady"]!);
        Assert.False((bool)ready["disqualified"]!);
        Assert.Null(ready["knockOuts"]);

        var lead = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(RuleSetEndpointsTests.Lead()))!.AsObject();
        lead["events"]!.AsArray().Add(new JsonObject { ["type"] = "unsubscribe", ["timestamp"] = DateTimeOffset.UtcNow.AddHours(-2).ToString("O") });
        var knocked = await RuleSetEndpointsTests.Send(_factory.Client(), HttpMethod.Post, "/score?explain=false", lead);

        Assert.False((bool)knocked["salesReady"]!);
        Assert.True((bool)knocked["disqualified"]!);
        Assert.Equal((string?)rules["grades"]!.AsArray()[^1]!["grade"], (string?)knocked["grade"]);
        // The suggestion may hold the same condition under its own id: both fire, each named.
        var fired = knocked["knockOuts"]!.AsArray().Single(k => (string?)k!["id"] == Id)!;
        Assert.Equal("Unsubscribed at some time", (string?)fired["label"]);
        Assert.Equal(1, (double?)fired["value"]);
        Assert.Contains("“Unsubscribed at some time”", (string?)knocked["disqualifiedBecause"]);
    }
}
