using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LeadML.Api.Tests.Fixtures;
using LeadML.Api.Tests.Outcomes;
using LeadML.Api.Tests.RuleSets;

namespace LeadML.Api.Tests.Hosting;

/// <summary>What each key role may do, through the real Api on a SQLite store: scoring keys score and use leads,
/// reviewer keys also review rule sets, admin keys do everything; a role below the one needed gets 403 problem
/// details saying which key to use, a missing or unknown key 401.</summary>
[Collection(BundleCollection.Name)]
public sealed class ApiKeysTests(TrainedBundle bundle) : IDisposable
{
    private readonly SqliteApi _api = new(bundle.CopyTo(), DateTimeOffset.UtcNow);

    public void Dispose() => _api.Dispose();

    public static TheoryData<string, string, string, int> Matrix() => new()
    {
        // role, method, path, status
        { "scoring", "POST", "/score", 200 },
        { "reviewer", "POST", "/score", 200 },
        { "admin", "POST", "/score", 200 },
        { "scoring", "GET", "/models", 200 },
        { "reviewer", "GET", "/models", 200 },
        { "scoring", "GET", "/models/sample/report", 200 },
        { "reviewer", "GET", "/models/sample/report", 200 },
        { "scoring", "PUT", "/leads/L1", 200 },
        { "reviewer", "PUT", "/leads/L1", 200 },
        { "scoring", "GET", "/rulesets/sample", 403 },
        { "reviewer", "GET", "/rulesets/sample", 200 },
        { "admin", "GET", "/rulesets/sample", 200 },
        { "scoring", "POST", "/rulesets/sample/whatif", 403 },
        { "reviewer", "POST", "/rulesets/sample/whatif", 200 },
        { "admin", "POST", "/rulesets/sample/whatif", 200 },
        { "scoring", "GET", "/rulesets/sample/0/impact", 403 },
        { "reviewer", "GET", "/rulesets/sample/0/impact", 200 },
        { "scoring", "POST", "/rulesets/sample/whatif/lead", 403 },
        { "reviewer", "POST", "/rulesets/sample/whatif/lead", 200 },
        { "scoring", "POST", "/rulesets/sample/drafts", 403 },
        { "reviewer", "POST", "/rulesets/sample/drafts", 201 },
        { "admin", "POST", "/rulesets/sample/drafts", 201 },
        { "scoring", "DELETE", "/leads/L1", 403 },
        { "reviewer", "DELETE", "/leads/L1", 403 },
        { "admin", "DELETE", "/leads/L1", 204 },
        { "scoring", "POST", "/admin/models/sample/reload", 403 },
        { "reviewer", "POST", "/admin/models/sample/reload", 403 },
        { "admin", "POST", "/admin/models/sample/reload", 200 },
        { "reviewer", "POST", "/admin/models/sample/promote", 403 },
        { "reviewer", "POST", "/admin/models/sample/rollback", 403 },
        // No promotion yet: the admin gets past the key check to the conflict.
        { "admin", "POST", "/admin/models/sample/rollback", 409 },
        { "none", "POST", "/score", 401 },
        { "unknown", "GET", "/rulesets/sample", 401 },
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task EachRole_GetsWhatItMayDo_AndIsToldWhichKeyToUseOtherwise(string role, string method, string path, int status)
    {
        var client = Client(role);
        // A lead to erase exists, so an allowed DELETE is a 204, not a 404.
        if (path == "/leads/L1" && method == "DELETE") await SqliteApi.Json(await _api.Client.PutAsJsonAsync("/leads/L1", Lead()));

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = Body(method, path) });

        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"{role} {method} {path}: expected {status}, got {(int)response.StatusCode} {text}");
        if (status is 401 or 403)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var detail = (string?)JsonNode.Parse(text)!["detail"];
            if (status == 403) Assert.Contains(path.StartsWith("/rulesets", StringComparison.Ordinal) ? "use a reviewer or admin key" : "use an admin key", detail);
        }
    }

    [Fact]
    public async Task AReviewerKey_DraftsEditsApprovesAndRestores_AndScoringUsesWhatItApproved()
    {
        var reviewer = Client("reviewer");
        var draft = await RuleSetEndpointsTests.Send(reviewer, HttpMethod.Post, "/rulesets/sample/drafts", new { createdBy = "Rita" }, HttpStatusCode.Created);
        Assert.Equal(1, (int)draft["summary"]!["version"]!);
        var rules = (await RuleSetEndpointsTests.Send(reviewer, HttpMethod.Get, "/rulesets/sample/1"))["rules"]!.AsObject();
        rules["basePoints"] = 9;
        await RuleSetEndpointsTests.Send(reviewer, HttpMethod.Put, "/rulesets/sample/1", rules);
        await RuleSetEndpointsTests.Send(reviewer, HttpMethod.Get, "/rulesets/sample/whatif?version=1");

        // A scoring key may not approve what the reviewer drafted.
        using var refused = await Client("scoring").PostAsJsonAsync("/rulesets/sample/1/approve", new { approvedBy = "Sam" });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        var approved = await RuleSetEndpointsTests.Send(reviewer, HttpMethod.Post, "/rulesets/sample/1/approve", new { approvedBy = "Rita" });
        Assert.Equal("approved", (string?)approved["summary"]!["status"]);
        await RuleSetEndpointsTests.Send(reviewer, HttpMethod.Post, "/rulesets/sample/0/restore", new { restoredBy = "Rita" }, HttpStatusCode.Created);
        var score = await RuleSetEndpointsTests.Send(_api.Client, HttpMethod.Post, "/score", RuleSetEndpointsTests.Lead());
        Assert.Equal("v2", (string?)score["ruleSetVersion"]);
    }

    private HttpClient Client(string role)
    {
        var c = _api.Factory.CreateClient();
        var key = role switch
        {
            "scoring" => ApiFactory.ScoringKey,
            "reviewer" => ApiFactory.ReviewerKey,
            "admin" => ApiFactory.AdminKey,
            "unknown" => "not-a-configured-key",
            _ => null,
        };
        if (key is not null) c.DefaultRequestHeaders.Add("X-Api-Key", key);
        return c;
    }

    private static object Lead() => new { attributes = new Dictionary<string, object?> { ["industry"] = "Software" }, createdAt = DateTimeOffset.UtcNow.AddDays(-3) };

    private static JsonContent? Body(string method, string path) => (method, path) switch
    {
        ("POST", "/score") => JsonContent.Create(RuleSetEndpointsTests.Lead()),
        ("PUT", _) => JsonContent.Create(Lead()),
        ("POST", "/rulesets/sample/whatif") => JsonContent.Create(new { version = 0 }),
        ("POST", "/rulesets/sample/whatif/lead") => JsonContent.Create(new { rules = new { version = 0 }, lead = RuleSetEndpointsTests.Lead() }),
        ("POST", "/rulesets/sample/drafts") => JsonContent.Create(new { }),
        ("POST", "/admin/models/sample/promote") => JsonContent.Create(new { bundle = "elsewhere" }),
        _ => null,
    };
}
