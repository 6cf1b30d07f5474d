using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LeadML.Api.Tests.Fixtures;
using LeadML.Api.Tests.Leads;
using LeadML.Api.Tests.Outcomes;

namespace LeadML.Api.Tests.RuleSets;

/// <summary>One lead tried under a draft beside the rule set in force: each side is what <c>/score</c> answers, the lead
/// sent as <c>/score</c> takes it or read from the store; a lead or rule set that cannot be used is refused at its JSON path.</summary>
[Collection(BundleCollection.Name)]
public sealed class LeadTrialTests(TrainedBundle bundle) : IDisposable
{
    private readonly SqliteApi _api = new(bundle.CopyTo(), DateTimeOffset.UtcNow);

    public void Dispose() => _api.Dispose();

    private static JsonObject Lead(DateTimeOffset now) => JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(new
    {
        leadId = "T1",
        attributes = LeadBodies.HotLead,
        createdAt = now.AddDays(-10),
        asOf = now,
        events = new[] { new { type = "page_view", detail = (string?)"/pricing", timestamp = now.AddDays(-2) } },
    }, System.Text.Json.JsonSerializerOptions.Web))!.AsObject();

    [Fact]
    public async Task APastedLead_IsScoredUnderTheDraftAndTheRuleSetInForce_AsScoreWouldScoreIt()
    {
        var lead = Lead(_api.Now);
        var suggestion = (await SqliteApi.Json(await _api.Admin.GetAsync("/rulesets/sample/0")))["rules"]!;
        var inForceAnswer = await SqliteApi.Json(await _api.Client.PostAsJsonAsync("/score", lead));
        var fired = inForceAnswer["rulePoints"]!["criteria"]!.AsArray();
        Assert.NotEmpty(fired);
        // The draft takes the points of every criterion that fired for the lead away.
        var draft = suggestion.DeepClone();
        var ids = fired.Select(f => (string?)f!["id"]).ToHashSet();
        foreach (var c in draft["criteria"]!.AsArray().Where(c => ids.Contains((string?)c!["id"]))) c!["points"] = 0;

        var trial = await SqliteApi.Json(await _api.Admin.PostAsJsonAsync("/rulesets/sample/whatif/lead", new { rules = draft, lead }));
        Assert.Equal("T1", (string?)trial["leadId"]);
        Assert.False((bool)trial["stored"]!);
        Assert.Equal(inForceAnswer.ToJsonString(), trial["inForce"]!.ToJsonString());
        var candidate = trial["candidate"]!;
        Assert.Equal("draft", (string?)candidate["ruleSetVersion"]);
        Assert.Equal("draft", (string?)candidate["ruleSetSource"]);
        Assert.Equal(inForceAnswer["modelPoints"]!["score"]!.ToJsonString(), candidate["modelPoints"]!["score"]!.ToJsonString());
        Assert.True((double)candidate["rulePoints"]!["score"]! < (double)inForceAnswer["rulePoints"]!["score"]!);
        Assert.All(candidate["rulePoints"]!["criteria"]!.AsArray(), c => Assert.Equal(0, (int)c!["countedPoints"]!));
        Assert.All(candidate["rulePoints"]!["criteria"]!.AsArray(), c => Assert.False(string.IsNullOrWhiteSpace((string?)c!["label"])));
        Assert.Contains("× rule points", (string?)candidate["blend"]!["formula"]);

        // Approved, the draft scores the lead as the trial said.
        var created = await SqliteApi.Json(await _api.Admin.PostAsJsonAsync("/rulesets/sample/drafts", new { }), HttpStatusCode.Created);
        var version = (int)created["summary"]!["version"]!;
        await SqliteApi.Json(await _api.Admin.PutAsJsonAsync($"/rulesets/sample/{version}", draft));
        await SqliteApi.Json(await _api.Admin.PostAsJsonAsync($"/rulesets/sample/{version}/approve", new { approvedBy = "Ann" }));
        var approved = await SqliteApi.Json(await _api.Client.PostAsJsonAsync("/score", lead));
        foreach (var part in new[] { "score", "grade", "salesReady", "rulePoints", "modelPoints", "blend" })
        {
            Assert.Equal(candidate[part]!.ToJsonString(), approved[part]!.ToJsonString());
        }
    }

    [Fact]
    public async Task AStoredLead_IsTriedByItsId_AsOfNow()
    {
        await _api.PutLead("S1", LeadBodies.HotLead, _api.Now.AddDays(-5));
        var trial = await SqliteApi.Json(await _api.Admin.PostAsJsonAsync("/rulesets/sample/whatif/lead", new { rules = new { version = 0 }, leadId = "S1" }));
        Assert.True((bool)trial["stored"]!);
        Assert.Equal("S1", (string?)trial["leadId"]);
        Assert.Equal("suggested", (string?)trial["candidate"]!["ruleSetVersion"]);
        var current = (await SqliteApi.Json(await _api.Client.GetAsync("/leads/S1")))["current"]!;
        Assert.Equal(current.ToJsonString(), trial["inForce"]!.ToJsonString());
        Assert.Equal(current["score"]!.ToJsonString(), trial["candidate"]!["score"]!.ToJsonString());

        var unknown = await _api.Admin.PostAsJsonAsync("/rulesets/sample/whatif/lead", new { rules = new { version = 0 }, leadId = "nobody" });
        var problem = await SqliteApi.Json(unknown, HttpStatusCode.NotFound);
        Assert.Contains("no lead 'nobody'", (string?)problem["errors"]!["$.leadId"]![0]);
    }

    public static TheoryData<string, string, string> BadBodies() => new()
    {
        // body, path, part of the message
        { """{"rules":{"version":0},"lead":{"attributes":{"industry":["Software"]}}}""", "$.lead.attributes.industry", "string, number, boolean or null" },
        { """{"rules":{"version":0},"lead":{"atributes":{}}}""", "$.lead.atributes", "did you mean 'attributes'?" },
        { """{"rules":{"version":0},"lead":{"createdAt":"2025-13-01"}}""", "$.lead.createdAt", "ISO 8601" },
        { """{"rules":{"version":0},"lead":{"events":[{"type":"page_view"}]}}""", "$.lead.events[0].timestamp", "" },
        { """{"rules":{"basePoints":400},"lead":{}}""", "$.rules.basePoints", "" },
        { """{"rules":{"criteria":[{"id":"x","pionts":3}]},"lead":{}}""", "$.rules.criteria[0].pionts", "did you mean 'points'?" },
        { """{"rules":{"version":-2},"lead":{}}""", "$.rules.version", "" },
        { """{"rules":{"version":0},"leed":{}}""", "$.leed", "did you mean 'lead'?" },
        { """{"rules":{"version":0}}""", "$.lead", "either leadId" },
        { """{"rules":{"version":0},"leadId":"S1","lead":{}}""", "$.leadId", "not both" },
        { """{"lead":{}}""", "$.rules", "is required" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task ABadBody_IsRefusedAtItsJsonPath_InWords(string body, string path, string words)
    {
        var (key, messages) = await LeadBodies.Refused(await _api.Admin.PostAsync("/rulesets/sample/whatif/lead", LeadBodies.Body(body)));
        Assert.Equal(path, key);
        Assert.Contains(words, (string?)messages![0]);
    }
}
