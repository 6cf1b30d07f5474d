using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using LeadML.Api.Tests.Fixtures;
using static LeadML.Api.Tests.Fixtures.Answers;
using static LeadML.Api.Tests.Leads.LeadBodies;

namespace LeadML.Api.Tests.Leads;

/// <summary>
/// Partial updates of stored leads on each store, run by a subclass (SQLite file, throwaway PostgreSQL): concurrent
/// patches of different attributes all apply (each reads and writes the lead in one transaction), a replacement keeps
/// the creation time, and a bulk request stores its valid leads and nothing of the others.
/// </summary>
public abstract class LeadUpdateStoreSuite(TrainedBundle bundle, TestStore store) : StoreSuite(bundle, store)
{
    private HttpClient Client() => Client(ApiFactory.ScoringKey);

    [Fact]
    public async Task ConcurrentPatchesOfDifferentAttributes_AllApply()
    {
        var client = Client();
        var created = Clock.GetUtcNow().AddDays(-10);
        await Json(await client.PutAsJsonAsync("/leads/c1", new { attributes = HotLead, createdAt = created }));

        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => client.SendAsync(new HttpRequestMessage(HttpMethod.Patch, "/leads/c1")
        {
            Content = new StringContent($"{{\"attributes\":{{\"note_{i}\":\"n{i}\"}}}}", Encoding.UTF8, "application/merge-patch+json"),
        })));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        var attributes = (await Json(await client.GetAsync("/leads/c1")))["attributes"]!.AsObject();
        Assert.Equal(HotLead.Count + 12, attributes.Count);
        for (var i = 0; i < 12; i++) Assert.Equal($"n{i}", (string?)attributes[$"note_{i}"]);
    }

    [Fact]
    public async Task PutWithoutCreatedAt_KeepsIt_AndBulkStoresOnlyItsValidLeads()
    {
        var client = Client();
        var created = Clock.GetUtcNow().AddDays(-10);
        await Json(await client.PutAsJsonAsync("/leads/k1", new { attributes = HotLead, createdAt = created }));
        await Json(await client.PutAsJsonAsync("/leads/k1", new { attributes = new { industry = "Education" } }));
        var lead = await Json(await client.GetAsync("/leads/k1"));
        Assert.Equal(created.ToUnixTimeMilliseconds(), lead["createdAt"]!.GetValue<DateTimeOffset>().ToUnixTimeMilliseconds());

        var bulk = await Json(await client.PostAsync("/leads/bulk", Body("""
            {"leads": [
              {"leadId": "k1", "attributes": {"industry": "Education"}},
              {"leadId": "k2", "attributes": {"industry": "Software"}},
              {"leadId": "k3", "attributes": {"industry": "Software"}, "createdAt": "yesterday"},
              {"leadId": "k1", "attributes": {}}
            ]}
            """)));

        Assert.Equal(["unchanged", "created", "invalid", "invalid"], bulk["results"]!.AsArray().Select(r => (string)r!["status"]!).ToArray());
        Assert.Equal("$.leads[2].createdAt", (string?)bulk["results"]![2]!["path"]);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/leads/k2")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/leads/k3")).StatusCode);
        Assert.Equal("""{"industry":"Education"}""", (await Json(await client.GetAsync("/leads/k1")))["attributes"]!.ToJsonString());
    }

    [Fact]
    public async Task Bulk_OfNewChangedUnchangedAndInvalidLeads_StoresWhatOnePutEachStores()
    {
        var client = Client();
        using var admin = Client(ApiFactory.AdminKey);
        var created = Clock.GetUtcNow().AddDays(-20);
        await SalesReadyRules.Between(client, admin, ColdLead, HotLead, created, Clock.GetUtcNow());
        // Two copies of the same leads: one changed by a PUT each, the other by one bulk request.
        foreach (var copy in new[] { "put", "bulk" })
        {
            await Json(await client.PutAsJsonAsync($"/leads/{copy}-same", new { attributes = HotLead, createdAt = created }));
            await Json(await client.PutAsJsonAsync($"/leads/{copy}-warming", new { attributes = ColdLead, createdAt = created }));
            await Json(await client.PutAsJsonAsync($"/leads/{copy}-cooling", new { attributes = HotLead, createdAt = created }));
            await Json(await client.PutAsJsonAsync($"/leads/{copy}-late", new { attributes = ColdLead, createdAt = created }));
            await Json(await client.PostAsJsonAsync("/events", new
            {
                events = new[]
                {
                    new { leadId = $"{copy}-warming", eventId = "w1", type = "page_view", detail = (string?)"/pricing", timestamp = Clock.GetUtcNow().AddDays(-2) },
                    new { leadId = $"{copy}-cooling", eventId = "c1", type = "webinar", detail = (string?)null, timestamp = Clock.GetUtcNow().AddDays(-1) },
                },
            }));
        }
        Clock.Advance(TimeSpan.FromMinutes(10));

        await Json(await client.PutAsJsonAsync("/leads/put-new", new { attributes = HotLead, createdAt = created.AddDays(5) }));
        await Json(await client.PutAsJsonAsync("/leads/put-warming", new { attributes = HotLead }));
        await Json(await client.PutAsJsonAsync("/leads/put-cooling", new { attributes = ColdLead, createdAt = created.AddDays(1) }));
        Assert.Equal("$.convertedAt", (await Refused(await client.PutAsJsonAsync("/leads/put-late", new { attributes = HotLead, convertedAt = created.AddDays(-1) }))).Key);
        var bulk = await Json(await client.PostAsJsonAsync("/leads/bulk", new
        {
            leads = new object[]
            {
                new { leadId = "bulk-warming", attributes = HotLead },
                new { leadId = "bulk-same", attributes = HotLead },
                "not a lead",
                new { leadId = "bulk-late", attributes = HotLead, convertedAt = created.AddDays(-1) },
                new { leadId = "bulk-new", attributes = HotLead, createdAt = created.AddDays(5) },
                new { leadId = "bulk-cooling", attributes = ColdLead, createdAt = created.AddDays(1) },
            },
        }));

        var results = bulk["results"]!.AsArray();
        Assert.Equal(["updated", "unchanged", "invalid", "invalid", "created", "updated"], results.Select(r => (string)r!["status"]!).ToArray());
        Assert.Equal(["sales-ready", "none", "none", "none", "sales-ready", "gone-cold"], results.Select(r => (string?)r!["alert"] ?? "none").ToArray());
        Assert.Equal("$.leads[3].convertedAt", (string?)results[3]!["path"]);
        foreach (var lead in new[] { "new", "same", "warming", "cooling", "late" })
        {
            var (put, viaBulk) = (await Json(await client.GetAsync($"/leads/put-{lead}?explain=false")), await Json(await client.GetAsync($"/leads/bulk-{lead}?explain=false")));
            foreach (var part in new[] { "attributes", "createdAt", "convertedAt", "eventCount", "lastEventAt", "stored" })
            {
                Assert.True(JsonNode.DeepEquals(put[part], viaBulk[part]), $"{lead} {part}: {put[part]?.ToJsonString()} by PUT, {viaBulk[part]?.ToJsonString()} by bulk");
            }
            var (putHistory, bulkHistory) = (await Json(await client.GetAsync($"/leads/put-{lead}/history")), await Json(await client.GetAsync($"/leads/bulk-{lead}/history")));
            Assert.True(JsonNode.DeepEquals(putHistory["changes"], bulkHistory["changes"]), $"{lead}: {putHistory["changes"]!.ToJsonString()} by PUT, {bulkHistory["changes"]!.ToJsonString()} by bulk");
            var (putAlerts, bulkAlerts) = (await Alerts(client, $"put-{lead}"), await Alerts(client, $"bulk-{lead}"));
            Assert.Equal(putAlerts, bulkAlerts);
        }
        // The leads changed: an entry naming the attributes changed, and the alerts of crossing the line.
        var warming = (await Json(await client.GetAsync("/leads/bulk-warming/history")))["changes"]!.AsArray();
        Assert.Equal(["attributes", "event", "attributes"], warming.Select(h => (string)h!["reason"]!).ToArray());
        Assert.NotEmpty(warming[2]!["cause"]!["attributes"]!.AsArray());
        Assert.Equal(["sales-ready"], await AlertKinds(client, "bulk-warming"));
        Assert.Equal(["sales-ready", "gone-cold"], await AlertKinds(client, "bulk-cooling"));
    }

    /// <summary>A lead's alerts, oldest first: kind, scores, reason, versions and time.</summary>
    private static async Task<string[]> Alerts(HttpClient client, string lead) =>
        [.. (await Json(await client.GetAsync($"/alerts?leadId={lead}"))).AsArray().Reverse()
            .Select(a => $"{a!["kind"]} {a["score"]} {a["previousScore"]} {a["reason"]} {a["modelVersion"]} {a["ruleSetVersion"]} {a["raisedAt"]}")];

    private static async Task<string[]> AlertKinds(HttpClient client, string lead) => [.. (await Alerts(client, lead)).Select(a => a.Split(' ')[0])];
}

/// <summary>The suite on a SQLite file.</summary>
[Collection(BundleCollection.Name)]
public sealed class SqliteLeadUpdateTests(TrainedBundle bundle) : LeadUpdateStoreSuite(bundle, TestStore.Sqlite());

/// <summary>The suite on a throwaway PostgreSQL server.</summary>
[Collection(BundleCollection.Name)]
public sealed class PostgresLeadUpdateTests(TrainedBundle bundle, PostgresServer server)
    : LeadUpdateStoreSuite(bundle, TestStore.Postgres(server)), IClassFixture<PostgresServer>;
