using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LeadML.Api.Tests.Fixtures;
using LeadML.Api.Tests.Leads;
using LeadML.Api.Tests.Outcomes;

namespace LeadML.Api.Tests.RuleSets;

/// <summary>The impact of a draft or a restore on the stored open leads, before it is put in force: what it says is what
/// the approval then does (grades, sales-ready, alerts and those the cap holds back).</summary>
[Collection(BundleCollection.Name)]
public sealed class RuleSetImpactTests(TrainedBundle bundle) : IDisposable
{
    private readonly SqliteApi _api = new(bundle.CopyTo(), DateTimeOffset.UtcNow, ("LeadML:Alerts:MaxPerRuleSetChange", "2"));

    public void Dispose() => _api.Dispose();

    [Fact]
    public async Task TheImpactOfADraft_IsWhatApprovingItThenDoesToTheStoredLeads()
    {
        var created = _api.Now.AddDays(-20);
        string[] hot = ["H1", "H2", "H3"], cold = ["C1", "C2", "C3"];
        foreach (var id in hot) await _api.PutLead(id, LeadBodies.HotLead, created);
        foreach (var id in cold) await _api.PutLead(id, LeadBodies.ColdLead, created);
        await _api.PutLead("X1", LeadBodies.HotLead, created);
        await SqliteApi.Json(await _api.Client.PostAsJsonAsync("/leads/X1/conversion", new { at = _api.Now.AddHours(-1) }));
        var stored = await Leads([.. hot, .. cold]);
        var low = stored.Values.Min(s => (double)s["score"]!);

        // A draft whose threshold lies below every stored score, its knock-outs switched off: every open lead not yet
        // sales-ready becomes so.
        var draft = await SqliteApi.Json(await _api.Admin.PostAsJsonAsync("/rulesets/sample/drafts", new { }), HttpStatusCode.Created);
        var version = (int)draft["summary"]!["version"]!;
        await Threshold(version, Math.Floor(low) - 1, draft["rules"]!["grades"]!.AsArray(), draft["rules"]!["knockOuts"]?.AsArray() ?? []);

        var impact = await SqliteApi.Json(await _api.Admin.GetAsync($"/rulesets/sample/{version}/impact"));
        Assert.True((bool)impact["leadStore"]!);
        Assert.Equal("draft", (string?)impact["ruleSet"]);
        Assert.Equal("suggested", (string?)impact["inForce"]);
        Assert.Equal(6, (int)impact["openLeads"]!);
        var becoming = stored.Values.Count(s => !(bool)s["salesReady"]!);
        Assert.True(becoming >= 3, $"{becoming} leads not sales-ready before");
        Assert.Equal(becoming, (int)impact["becomeSalesReady"]!);
        Assert.Equal(0, (int)impact["stopBeingSalesReady"]!);
        Assert.Equal(6, (int)impact["salesReadyAfter"]!);
        Assert.Equal(2, (int)impact["alerts"]!);
        Assert.Equal(becoming - 2, (int)impact["alertsHeldBack"]!);
        Assert.Equal(2, (int)impact["maxPerRuleSetChange"]!);
        // The same rule set sent whole weighs the same.
        var rules = (await SqliteApi.Json(await _api.Admin.GetAsync($"/rulesets/sample/{version}")))["rules"]!;
        var sent = await SqliteApi.Json(await _api.Admin.PostAsJsonAsync("/rulesets/sample/impact", rules));
        Assert.Equal(impact["gradeChanges"]!.ToJsonString(), sent["gradeChanges"]!.ToJsonString());
        Assert.Equal(impact["becomeSalesReady"]!.ToJsonString(), sent["becomeSalesReady"]!.ToJsonString());

        await SqliteApi.Json(await _api.Admin.PostAsJsonAsync($"/rulesets/sample/{version}/approve", new { approvedBy = "Ann" }));
        var after = await Leads([.. hot, .. cold], $"v{version}");
        Assert.Equal((int)impact["gradeChanges"]!, after.Count(a => (string?)a.Value["grade"] != (string?)stored[a.Key]["grade"]));
        Assert.Equal((int)impact["salesReadyAfter"]!, after.Values.Count(a => (bool)a["salesReady"]!));
        var moves = after.Where(a => (string?)a.Value["grade"] != (string?)stored[a.Key]["grade"])
            .GroupBy(a => ((string?)stored[a.Key]["grade"], (string?)a.Value["grade"])).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(moves.Count, impact["gradeMoves"]!.AsArray().Count);
        foreach (var m in impact["gradeMoves"]!.AsArray()) Assert.Equal(moves[((string?)m!["from"], (string?)m["to"])], (int)m["leads"]!);
        var alerts = (await SqliteApi.Json(await _api.Client.GetAsync("/alerts?model=sample"))).AsArray().Where(a => (string?)a!["reason"] == "new rule set").ToList();
        Assert.Equal((int)impact["alerts"]!, alerts.Count);

        // Restoring the suggestion would take back what the approval gave: leads stop being sales-ready, grades move back.
        var restore = await SqliteApi.Json(await _api.Admin.GetAsync("/rulesets/sample/0/impact"));
        Assert.Equal("suggested", (string?)restore["ruleSet"]);
        Assert.Equal($"v{version}", (string?)restore["inForce"]);
        Assert.True((int)restore["stopBeingSalesReady"]! >= 1);
        Assert.Equal(0, (int)restore["becomeSalesReady"]!);
    }

    [Fact]
    public async Task ImpactRefusals_NameTheFieldAtFault()
    {
        var bad = await LeadBodies.Refused(await _api.Admin.PostAsJsonAsync("/rulesets/sample/impact", new { basePoints = 300 }));
        Assert.Equal("$.basePoints", bad.Key);
        var misspelled = await LeadBodies.Refused(await _api.Admin.PostAsJsonAsync("/rulesets/sample/impact", new { basePionts = 3 }));
        Assert.Equal("$.basePionts", misspelled.Key);
        Assert.Contains("did you mean 'basePoints'?", (string?)misspelled.Value![0]);
        var negative = await LeadBodies.Refused(await _api.Admin.GetAsync("/rulesets/sample/-1/impact"));
        Assert.Equal("$.version", negative.Key);
        var missing = await _api.Admin.GetAsync("/rulesets/sample/9/impact");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Forbidden, (await _api.Client.GetAsync("/rulesets/sample/0/impact")).StatusCode);
    }

    [Fact]
    public async Task WithoutALeadStore_TheImpactSaysSoAndCountsNothing()
    {
        using var api = ApiFactory.For(bundle.CopyTo());
        var impact = await SqliteApi.Json(await api.Client(ApiFactory.ReviewerKey).GetAsync("/rulesets/sample/0/impact"));
        Assert.False((bool)impact["leadStore"]!);
        Assert.Equal(0, (int)impact["openLeads"]!);
    }

    /// <summary>Sets a draft's sales-ready threshold (the top grade starts there and lower grades stay below it) and switches
    /// off its knock-outs.</summary>
    private async Task Threshold(int version, double threshold, JsonArray grades, JsonArray knockOuts)
    {
        var floor = threshold + 1;
        var bands = grades.Select((g, i) =>
        {
            floor = i == 0 ? threshold : Math.Max(0, Math.Min((double)g!["minScore"]!, floor - 1));
            return new { grade = (string)g!["grade"]!, minScore = floor, label = (string?)g["label"] };
        }).ToArray();
        var patch = new HttpRequestMessage(HttpMethod.Patch, $"/rulesets/sample/{version}")
        {
            Content = JsonContent.Create(new
            {
                thresholds = new { salesReady = threshold, hysteresis = 0 }, grades = bands,
                knockOuts = knockOuts.ToDictionary(k => (string)k!["id"]!, _ => new { enabled = false }),
            }),
        };
        await SqliteApi.Json(await _api.Admin.SendAsync(patch));
    }

    /// <summary>The stored state of each lead, once every one was scored by <paramref name="ruleSet"/> (any, when null).</summary>
    private async Task<Dictionary<string, JsonNode>> Leads(string[] ids, string? ruleSet = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var result = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
            foreach (var id in ids) result[id] = (await SqliteApi.Json(await _api.Client.GetAsync($"/leads/{id}")))["stored"]!;
            if (ruleSet is null || result.Values.All(s => (string?)s["ruleSetVersion"] == ruleSet)) return result;
            Assert.True(DateTime.UtcNow < deadline, $"the leads were not rescored with {ruleSet}: {string.Join(", ", result.Select(r => $"{r.Key} {r.Value["ruleSetVersion"]}"))}");
            await Task.Delay(100);
        }
    }
}
