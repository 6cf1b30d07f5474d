using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LeadML.Api.Tests.Fixtures;
using static LeadML.Api.Tests.RuleSets.RuleSetDraftEditTests;

namespace LeadML.Api.Tests.RuleSets;

/// <summary>
/// Optimistic concurrency on rule-set drafts, run on each repository by a subclass (in memory, SQLite, PostgreSQL):
/// a version's <c>ETag</c>, and <c>If-Match</c> on PUT, PATCH, approve and DELETE answered 412 when someone else changed
/// the draft, checked inside the write (of concurrent writers sent with the same tag exactly one gets through).
/// </summary>
public abstract class DraftConcurrencySuite(TrainedBundle bundle, TestStore store) : StoreSuite(bundle, store)
{
    private HttpClient Reviewer() => Client(ApiFactory.ReviewerKey);

    private static HttpRequestMessage Request(HttpMethod method, string url, HttpContent? body, string? ifMatch)
    {
        var r = new HttpRequestMessage(method, url) { Content = body };
        if (ifMatch is not null) r.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return r;
    }

    private static string ETag(HttpResponseMessage response) => response.Headers.ETag?.ToString() ?? throw new Xunit.Sdk.XunitException("no ETag");

    private static async Task<(JsonNode Rules, string ETag)> Read(HttpClient client, int version)
    {
        var response = await client.GetAsync($"/rulesets/sample/{version}");
        return ((await Answer(response))["rules"]!, ETag(response));
    }

    private static HttpContent Points(string id, int points) => MergePatch(new Dictionary<string, object> { ["criteria"] = new Dictionary<string, object> { [id] = new { points } } });

    [Fact]
    public async Task EveryChangeSentWithAnOldETag_Is412_AndChangesNothing_TheCurrentETagGoesThrough()
    {
        var client = Reviewer();
        var created = await client.PostAsJsonAsync("/rulesets/sample/drafts", new { });
        var createdTag = ETag(created);
        var (rules, tag) = await Read(client, 1);
        Assert.Equal(createdTag, tag);
        var id = (string)rules["criteria"]![0]!["id"]!;

        var patched = await client.SendAsync(Request(HttpMethod.Patch, "/rulesets/sample/1", Points(id, 17), tag));
        await Answer(patched);
        var newTag = ETag(patched);
        Assert.NotEqual(tag, newTag);
        var (current, readTag) = await Read(client, 1);
        Assert.Equal(newTag, readTag);

        foreach (var (method, url, body) in new (HttpMethod, string, Func<HttpContent?>)[]
        {
            (HttpMethod.Patch, "/rulesets/sample/1", () => Points(id, 3)),
            (HttpMethod.Put, "/rulesets/sample/1", () => JsonContent.Create(new { basePoints = 3 })),
            (HttpMethod.Post, "/rulesets/sample/1/approve", () => JsonContent.Create(new { approvedBy = "Ann" })),
            (HttpMethod.Delete, "/rulesets/sample/1", () => null),
        })
        {
            var problem = await Answer(await client.SendAsync(Request(method, url, body(), tag)), HttpStatusCode.PreconditionFailed);
            Assert.Contains("was changed since you read it", (string?)problem["detail"], StringComparison.Ordinal);
            Assert.Contains(newTag, (string?)problem["detail"], StringComparison.Ordinal);
            var (after, afterTag) = await Read(client, 1);
            Assert.Equal(newTag, afterTag);
            Assert.True(JsonNode.DeepEquals(current, after), $"{method} {url} changed the draft");
        }

        // A list of tags, or *, lets a change through; so does no If-Match at all.
        var listed = await client.SendAsync(Request(HttpMethod.Patch, "/rulesets/sample/1", Points(id, 18), $"{tag}, {newTag}"));
        await Answer(listed);
        await Answer(await client.SendAsync(Request(HttpMethod.Patch, "/rulesets/sample/1", Points(id, 19), "*")));
        await Answer(await client.SendAsync(Request(HttpMethod.Patch, "/rulesets/sample/1", Points(id, 20), null)));
        var (_, last) = await Read(client, 1);
        var approved = await client.SendAsync(Request(HttpMethod.Post, "/rulesets/sample/1/approve", JsonContent.Create(new { approvedBy = "Ann" }), last));
        Assert.Equal("approved", (string?)(await Answer(approved))["summary"]!["status"]);
        Assert.NotEqual(last, ETag(approved));
    }

    [Fact]
    public async Task ConcurrentEditsSentWithTheSameETag_OnlyOneGetsThrough()
    {
        var client = Reviewer();
        await Answer(await client.PostAsJsonAsync("/rulesets/sample/drafts", new { }), HttpStatusCode.Created);
        var (rules, tag) = await Read(client, 1);
        var ids = rules["criteria"]!.AsArray().Select(c => (string)c!["id"]!).Take(6).ToList();

        var answers = await Task.WhenAll(ids.Select((id, i) => client.SendAsync(Request(HttpMethod.Patch, "/rulesets/sample/1", Points(id, 40 + i), tag))));

        Assert.Equal(1, answers.Count(a => a.StatusCode == HttpStatusCode.OK));
        Assert.Equal(ids.Count - 1, answers.Count(a => a.StatusCode == HttpStatusCode.PreconditionFailed));
        var winner = Array.FindIndex(answers, a => a.StatusCode == HttpStatusCode.OK);
        var (after, _) = await Read(client, 1);
        for (var i = 0; i < ids.Count; i++)
        {
            var points = (int)after["criteria"]!.AsArray().Single(c => (string?)c!["id"] == ids[i])!["points"]!;
            if (i == winner) Assert.Equal(40 + i, points);
            else Assert.Equal((int)rules["criteria"]!.AsArray().Single(c => (string?)c!["id"] == ids[i])!["points"]!, points);
        }
    }
}

/// <summary>The suite on the in-memory repository (no store).</summary>
[Collection(BundleCollection.Name)]
public sealed class InMemoryDraftConcurrencyTests(TrainedBundle bundle) : DraftConcurrencySuite(bundle, TestStore.InMemory());

/// <summary>The suite on a SQLite store.</summary>
[Collection(BundleCollection.Name)]
public sealed class SqliteDraftConcurrencyTests(TrainedBundle bundle) : DraftConcurrencySuite(bundle, TestStore.Sqlite());

/// <summary>The suite on a throwaway PostgreSQL server.</summary>
[Collection(BundleCollection.Name)]
public sealed class PostgresDraftConcurrencyTests(TrainedBundle bundle, PostgresServer server)
    : DraftConcurrencySuite(bundle, TestStore.Postgres(server)), IClassFixture<PostgresServer>;
