using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LeadML.Api.Tests.Fixtures;
using LeadML.Api.Tests.Outcomes;
using static LeadML.Api.Tests.Leads.LeadBodies;

namespace LeadML.Api.Tests.Leads;

/// <summary><c>POST /leads/bulk</c>: each lead answered on its own; the valid ones stored together, a bad one never
/// costs what is stored.</summary>
[Collection(BundleCollection.Name)]
public sealed class LeadBulkTests(TrainedBundle bundle)
{
    [Fact]
    public async Task Bulk_AnswersEveryLeadOnItsOwn_StoresTheValidOnes_AndLeavesTheRefusedOnesAsStored()
    {
        using var api = new SqliteApi(bundle.CopyTo(), DateTimeOffset.UtcNow);
        var created = api.Now.AddDays(-20);
        await api.PutLead("same", HotLead, created);
        await api.PutLead("changed", HotLead, created);
        await api.PutLead("typo", HotLead, created);
        var typoBefore = await SqliteApi.Json(await api.Client.GetAsync("/leads/typo"));
        var hot = System.Text.Json.JsonSerializer.Serialize(HotLead);
        var body = $$$"""
            {"leads": [
              {"leadId": "new", "attributes": {{{hot}}}, "createdAt": "{{{api.Now.AddDays(-2):O}}}"},
              {"leadId": "same", "attributes": {{{hot}}}},
              {"leadId": "changed", "attributes": {"industry": "Education"}},
              {"leadId": "typo", "attribute": {"industry": "Education"}},
              {"leadId": "typo", "createdAt": "{{{created:O}}}"},
              {"leadId": "wrong", "attributes": ["Software"]},
              {"leadId": "undated", "attributes": {}, "createdAt": "2026-01-01"},
              "not a lead",
              {"attributes": {}},
              {"leadId": "new", "attributes": {}},
              {"leadId": "late", "attributes": {}, "createdAt": "{{{api.Now.AddDays(-2):O}}}", "convertedAt": "{{{api.Now.AddDays(-3):O}}}"}
            ]}
            """;

        var answer = await SqliteApi.Json(await api.Client.PostAsync("/leads/bulk", Body(body)));

        var results = answer["results"]!.AsArray();
        Assert.Equal(11, results.Count);
        Assert.Equal(["created", "unchanged", "updated", "invalid", "invalid", "invalid", "invalid", "invalid", "invalid", "invalid", "invalid"],
            results.Select(r => (string)r!["status"]!).ToArray());
        Assert.Equal((1, 1, 1, 8), ((int)answer["created"]!, (int)answer["updated"]!, (int)answer["unchanged"]!, (int)answer["invalid"]!));
        string[] paths = [.. results.Skip(3).Select(r => (string)r!["path"]!)];
        Assert.Equal(["$.leads[3].attribute", "$.leads[4].attributes", "$.leads[5].attributes", "$.leads[6].createdAt", "$.leads[7]", "$.leads[8].leadId",
            "$.leads[9].leadId", "$.leads[10].convertedAt"], paths);
        Assert.Equal("is not a known property; did you mean 'attributes'?", (string?)results[3]!["message"]);
        Assert.Equal("must be a JSON object of name: value", (string?)results[5]!["message"]);
        Assert.Contains("is a date without a time", (string?)results[6]!["message"], StringComparison.Ordinal);
        Assert.Contains("already sent at $.leads[0]", (string?)results[9]!["message"], StringComparison.Ordinal);
        Assert.All(results, r => Assert.DoesNotContain("System.", r!.ToJsonString(), StringComparison.Ordinal));
        Assert.Equal("new", (string?)results[0]!["leadId"]);
        Assert.NotNull(results[0]!["score"]);

        Assert.Equal(HotLead.Count, (await SqliteApi.Json(await api.Client.GetAsync("/leads/new")))["attributes"]!.AsObject().Count);
        Assert.Equal("""{"industry":"Education"}""", (await SqliteApi.Json(await api.Client.GetAsync("/leads/changed")))["attributes"]!.ToJsonString());
        var typoAfter = await SqliteApi.Json(await api.Client.GetAsync("/leads/typo"));
        Assert.True(JsonNode.DeepEquals(typoBefore["attributes"], typoAfter["attributes"]));
        Assert.True(JsonNode.DeepEquals(typoBefore["stored"], typoAfter["stored"]));
        foreach (var missing in new[] { "wrong", "undated", "late" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await api.Client.GetAsync($"/leads/{missing}")).StatusCode);
        }
        // Unchanged: not written again, so no new history entry.
        Assert.Single((await SqliteApi.Json(await api.Client.GetAsync("/leads/same/history")))["changes"]!.AsArray());
    }

    [Fact]
    public async Task Bulk_ThatMakesALeadSalesReady_RaisesItsAlert()
    {
        using var api = new SqliteApi(bundle.CopyTo(), DateTimeOffset.UtcNow);
        await api.SalesReadyBetween(ColdLead, HotLead, api.Now.AddDays(-20));
        await api.PutLead("b1", ColdLead, api.Now.AddDays(-20));

        var answer = await SqliteApi.Json(await api.Client.PostAsJsonAsync("/leads/bulk", new { leads = new object[] { new { leadId = "b1", attributes = HotLead } } }));

        Assert.Equal("sales-ready", (string?)answer["results"]![0]!["alert"]);
        var alert = Assert.Single((await SqliteApi.Json(await api.Client.GetAsync("/alerts?leadId=b1"))).AsArray());
        Assert.Equal("sales-ready", (string?)alert!["kind"]);
    }

    [Fact]
    public async Task Bulk_OverTheLimit_IsRefusedWhole_AtLeads()
    {
        using var api = new SqliteApi(bundle.CopyTo(), DateTimeOffset.UtcNow, ("LeadML:BulkLeadLimit", "2"));
        var leads = Enumerable.Range(0, 3).Select(i => new { leadId = $"o{i}", attributes = HotLead }).ToArray();

        var error = await Refused(await api.Client.PostAsJsonAsync("/leads/bulk", new { leads }));

        Assert.Equal("$.leads", error.Key);
        Assert.Contains("the limit is 2 per request", (string?)error.Value![0], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await api.Client.GetAsync("/leads/o0")).StatusCode);
    }

    [Theory]
    [InlineData("""{"lead":[]}""", "$.lead", "did you mean 'leads'?")]
    [InlineData("""{"leads":{}}""", "$.leads", "must be a JSON array")]
    [InlineData("""{}""", "$.leads", "is required")]
    public async Task Bulk_ABodyThatIsNoBulkRequest_IsRefusedAtItsPath(string body, string path, string message)
    {
        using var api = new SqliteApi(bundle.CopyTo(), DateTimeOffset.UtcNow);

        var error = await Refused(await api.Client.PostAsync("/leads/bulk", Body(body)));

        Assert.Equal(path, error.Key);
        Assert.Contains(message, (string?)error.Value![0], StringComparison.Ordinal);
    }
}
