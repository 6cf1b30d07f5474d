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
}

/// <summary>The suite on a SQLite file.</summary>
[Collection(BundleCollection.Name)]
public sealed class SqliteLeadUpdateTests(TrainedBundle bundle) : LeadUpdateStoreSuite(bundle, TestStore.Sqlite());

/// <summary>The suite on a throwaway PostgreSQL server.</summary>
[Collection(BundleCollection.Name)]
public sealed class PostgresLeadUpdateTests(TrainedBundle bundle, PostgresServer server)
    : LeadUpdateStoreSuite(bundle, TestStore.Postgres(server)), IClassFixture<PostgresServer>;
