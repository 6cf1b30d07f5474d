using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LeadML.Api.Tests.Fixtures;

namespace LeadML.Api.Tests.RuleSets;

[Collection(BundleCollection.Name)]
public sealed class RuleSetEndpointsTests(TrainedBundle bundle) : IDisposable
{
    private readonly ApiFactory _factory = ApiFactory.For(bundle.CopyTo());

    public void Dispose() => _factory.Dispose();

    private HttpClient Admin() => _factory.Client(ApiFactory.AdminKey);

    [Fact]
    public async Task CreatingADraftFromTheSuggestionStoresVersion1AsADraftCopyOfIt()
    {
        var admin = Admin();
        var draft = await Send(admin, HttpMethod.Post, "/rulesets/sample/drafts", new { from = (int?)null, createdBy = "Ann" }, HttpStatusCode.Created);
        Assert.Equal(1, (int)draft["summary"]!["version"]!);
        Assert.Equal("draft", (string?)draft["summary"]!["status"]);
        Assert.Equal("Ann", (string?)draft["summary"]!["createdBy"]);

        var list = await Send(admin, HttpMethod.Get, "/rulesets/sample");
        Assert.Equal("suggested", (string?)list["inForce"]!["source"]);
        Assert.True((bool)list["suggestion"]!["inForce"]!);
        var v1 = Assert.Single(list["versions"]!.AsArray());
        Assert.Equal(1, (int)v1!["version"]!);
        Assert.False((bool)v1["inForce"]!);

        var diff = await Send(admin, HttpMethod.Get, "/rulesets/sample/diff?from=0&to=1");
        Assert.Empty(diff["added"]!.AsArray());
        Assert.Empty(diff["removed"]!.AsArray());
        Assert.Empty(diff["changed"]!.AsArray());
    }

    [Fact]
    public async Task EditingADraftWithAnUnknownFeatureAnswers400NamingTheFieldsJsonPath()
    {
        var admin = Admin();
        await Send(admin, HttpMethod.Post, "/rulesets/sample/drafts", new { }, HttpStatusCode.Created);
        var rules = (await Send(admin, HttpMethod.Get, "/rulesets/sample/1"))["rules"]!.AsObject();
        var criteria = rules["criteria"]!.AsArray();
        criteria[3]!["condition"]!["feature"] = "attr.shoe_size";

        var problem = await Problem(await admin.PutAsJsonAsync("/rulesets/sample/1", rules), HttpStatusCode.BadRequest);
        var error = Assert.Single(problem["errors"]!.AsObject());
        Assert.Equal("$.criteria[3].condition.feature", error.Key);
        Assert.Contains("attr.shoe_size", (string?)error.Value![0]);
    }

    [Fact]
    public async Task EditingADraftWithAMisspelledProperty_IsRefusedWithTheClosestName_AndTheDraftIsUnchanged()
    {
        var admin = Admin();
        await Send(admin, HttpMethod.Post, "/rulesets/sample/drafts", new { }, HttpStatusCode.Created);
        var before = (await Send(admin, HttpMethod.Get, "/rulesets/sample/1"))["rules"]!.AsObject();
        var rules = before.DeepClone().AsObject();
        rules["criteria"]![2]!["pionts"] = 40;

        var problem = await Problem(await admin.PutAsJsonAsync("/rulesets/sample/1", rules), HttpStatusCode.BadRequest);

        var error = Assert.Single(problem["errors"]!.AsObject());
        Assert.Equal("$.criteria[2].pionts", error.Key);
        Assert.Equal("is not a known property; did you mean 'points'?", (string?)error.Value![0]);
        var after = (await Send(admin, HttpMethod.Get, "/rulesets/sample/1"))["rules"];
        Assert.True(JsonNode.DeepEquals(before, after), after!.ToJsonString());
    }

    [Fact]
    public async Task EditingADraftWithItsOwnRules_AsGetAnswersThem_IsAccepted()
    {
        var admin = Admin();
        await Send(admin, HttpMethod.Post, "/rulesets/sample/drafts", new { }, HttpStatusCode.Created);
        var rules = (await Send(admin, HttpMethod.Get, "/rulesets/sample/1"))["rules"]!.AsObject();
        rules["basePoints"] = 7;

        var saved = await Send(admin, HttpMethod.Put, "/rulesets/sample/1", rules);

        Assert.Equal(7, (double)saved["rules"]!["basePoints"]!);
    }

    [Theory]
    [InlineData("""{"criteria":[{"id":"new-one","label":"x","condition":{"feature":"FEATURE","op":"gte","value":1},"points":101}]}""", "$.criteria[0].points")]
    [InlineData("""{"criteria":[{"id":"new-one","label":"x","condition":{"feature":"FEATURE","op":"gte","value":1},"points":2.5}]}""", "$.criteria[0].points")]
    [InlineData("""{"criteria":[{"id":"new-one","condition":{"feature":"FEATURE","op":"gte","value":1},"points":5}]}""", "$.criteria[0].label")]
    [InlineData("""{"grades":[{"grade":"A","minScore":70},{"grade":"B","minScore":80}]}""", "$.grades[1].minScore")]
    [InlineData("""{"thresholds":{"salesReady":120}}""", "$.thresholds.salesReady")]
    [InlineData("""{"basePoints":-3}""", "$.basePoints")]
    [InlineData("""{"criteria":[{"id":"new-one","label":"x","condition":{"feature":"FEATURE","op":"sideways","value":1},"points":5}]}""", "$.criteria[0].condition.op")]
    public async Task EditingADraftWithABadValueAnswers400WithItsJsonPath(string body, string path)
    {
        var admin = Admin();
        await Send(admin, HttpMethod.Post, "/rulesets/sample/drafts", new { }, HttpStatusCode.Created);
        var feature = (string)(await Send(admin, HttpMethod.Get, "/rulesets/sample/features")).AsArray()[0]!["name"]!;
        var content = new StringContent(body.Replace("FEATURE", feature), System.Text.Encoding.UTF8, "application/json");

        var problem = await Problem(await admin.PutAsync("/rulesets/sample/1", content), HttpStatusCode.BadRequest);
        Assert.Equal(path, Assert.Single(problem["errors"]!.AsObject()).Key);
    }

    [Fact]
    public async Task ApprovingADraftPutsItInForceForScoringWithoutRestart()
    {
        var admin = Admin();
        await Send(admin, HttpMethod.Post, "/rulesets/sample/drafts", new { }, HttpStatusCode.Created);
        var before = await Send(admin, HttpMethod.Post, "/score", Lead());
        Assert.Equal("suggested", (string?)before["ruleSetVersion"]);

        var approved = await Send(admin, HttpMethod.Post, "/rulesets/sample/1/approve", new { approvedBy = "Ann Marketer", comment = "first review" });
        Assert.Equal("approved", (string?)approved["summary"]!["status"]);
        Assert.Equal("Ann Marketer", (string?)approved["rules"]!["approvedBy"]);

        var model = (await Send(_factory.Client(), HttpMethod.Get, "/models")).AsArray().Single(m => (string?)m!["name"] == "sample")!;
        Assert.Equal("v1", (string?)model["ruleSetVersion"]);
        Assert.Equal("approved", (string?)model["ruleSetSource"]);
        var after = await Send(_factory.Client(), HttpMethod.Post, "/score", Lead());
        Assert.Equal("v1", (string?)after["ruleSetVersion"]);
        Assert.Equal("approved", (string?)after["ruleSetSource"]);

        var audit = (await Send(admin, HttpMethod.Get, "/rulesets/sample/audit")).AsArray();
        Assert.Equal(["created", "approved"], audit.Select(a => (string?)a!["action"]));
        Assert.Equal("first review", (string?)audit[1]!["detail"]);
    }

    [Fact]
    public async Task ApprovedVersionsCannotBeEditedOrApprovedAgain()
    {
        var admin = Admin();
        await Send(admin, HttpMethod.Post, "/rulesets/sample/drafts", new { }, HttpStatusCode.Created);
        await Send(admin, HttpMethod.Post, "/rulesets/sample/1/approve", new { approvedBy = "Ann" });

        var edit = await Problem(await admin.PutAsJsonAsync("/rulesets/sample/1", new { basePoints = 10 }), HttpStatusCode.Conflict);
        Assert.Contains("approved", (string?)edit["detail"]);
        await Problem(await admin.PostAsJsonAsync("/rulesets/sample/1/approve", new { approvedBy = "Bob" }), HttpStatusCode.Conflict);
        await Problem(await admin.PutAsJsonAsync("/rulesets/sample/0", new { basePoints = 10 }), HttpStatusCode.Conflict);
        var stored = await Send(admin, HttpMethod.Get, "/rulesets/sample/1");
        Assert.Equal("Ann", (string?)stored["summary"]!["approvedBy"]);
    }

    [Fact]
    public async Task ApprovingNeedsTheApproversName()
    {
        var admin = Admin();
        await Send(admin, HttpMethod.Post, "/rulesets/sample/drafts", new { }, HttpStatusCode.Created);
        var problem = await Problem(await admin.PostAsJsonAsync("/rulesets/sample/1/approve", new { approvedBy = " ", comment = "x" }), HttpStatusCode.BadRequest);
        Assert.Equal("$.approvedBy", Assert.Single(problem["errors"]!.AsObject()).Key);
    }

    [Fact]
    public async Task RestoringVersion1CreatesANewApprovedVersionEqualToItAndPutsItInForce()
    {
        var admin = Admin();
        var suggestion = (await Send(admin, HttpMethod.Get, "/rulesets/sample/0"))["rules"]!;
        var id = (string)suggestion["criteria"]![0]!["id"]!;
        await Send(admin, HttpMethod.Post, "/rulesets/sample/drafts", new { }, HttpStatusCode.Created);
        await Send(admin, HttpMethod.Put, "/rulesets/sample/1", new { basePoints = 40 });
        await Send(admin, HttpMethod.Post, "/rulesets/sample/1/approve", new { approvedBy = "Ann" });
        await Send(admin, HttpMethod.Post, "/rulesets/sample/drafts", new { from = 1 }, HttpStatusCode.Created);
        await Send(admin, HttpMethod.Put, "/rulesets/sample/2", new { basePoints = 60 });
        await Send(admin, HttpMethod.Post, "/rulesets/sample/2/approve", new { approvedBy = "Bob" });

        var restored = await Send(admin, HttpMethod.Post, "/rulesets/sample/1/restore", new { restoredBy = "Cleo", comment = "v2 sent too many leads" }, HttpStatusCode.Created);
        Assert.Equal(3, (int)restored["summary"]!["version"]!);
        Assert.Equal("approved", (string?)restored["summary"]!["status"]);
        Assert.Equal(1, (int)restored["summary"]!["basedOn"]!);
        Assert.Equal(40, (double)restored["rules"]!["basePoints"]!);
        Assert.Contains("restore of version 1", (string?)restored["summary"]!["comment"]);

        var diff = await Send(admin, HttpMethod.Get, "/rulesets/sample/diff?from=1&to=3");
        Assert.Empty(diff["changed"]!.AsArray());
        Assert.Null(diff["basePoints"]);
        var list = await Send(admin, HttpMethod.Get, "/rulesets/sample");
        Assert.Equal(3, (int)list["inForce"]!["version"]!);
        Assert.Equal(["approved", "approved", "approved"], list["versions"]!.AsArray().Select(v => (string?)v!["status"]));
        var score = await Send(_factory.Client(), HttpMethod.Post, "/score", Lead());
        Assert.Equal("v3", (string?)score["ruleSetVersion"]);
        Assert.Equal(40, (double)score["rulePoints"]!["basePoints"]!);
        Assert.NotNull(id);
    }

    [Fact]
    public async Task RestoringADraftIsAConflict()
    {
        var admin = Admin();
        await Send(admin, HttpMethod.Post, "/rulesets/sample/drafts", new { }, HttpStatusCode.Created);
        await Problem(await admin.PostAsJsonAsync("/rulesets/sample/1/restore", new { restoredBy = "Cleo" }), HttpStatusCode.Conflict);
        await Problem(await admin.PostAsJsonAsync("/rulesets/sample/9/restore", new { restoredBy = "Cleo" }), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task TheDiffListsAddedRemovedAndChangedCriteriaAndThresholdAndGradeChanges()
    {
        var admin = Admin();
        await Send(admin, HttpMethod.Post, "/rulesets/sample/drafts", new { }, HttpStatusCode.Created);
        var rules = (await Send(admin, HttpMethod.Get, "/rulesets/sample/1"))["rules"]!;
        var criteria = rules["criteria"]!.AsArray().Select(c => c!).ToList();
        var feature = (string)criteria[0]["condition"]!["feature"]!;
        var edited = new List<object>
        {
            new { id = (string)criteria[0]["id"]!, points = (int)criteria[0]["points"]! + 7 },
            new { id = (string)criteria[1]["id"]!, enabled = false },
            new { id = "my-new-criterion", label = "my new criterion", condition = new { feature, op = "gte", value = 1 }, points = 5 },
        };
        edited.AddRange(criteria.Skip(3).Select(c => new { id = (string)c["id"]! }));
        var grades = rules["grades"]!.AsArray().Select((g, i) => new { grade = (string)g!["grade"]!, minScore = (double)g["minScore"]! - (i == 0 ? 1 : 0) });
        // criteria[2] is left out on purpose: the PUT says so.
        await Send(admin, HttpMethod.Put, "/rulesets/sample/1", new { criteria = edited, dropMissing = true, thresholds = new { salesReady = (double)rules["grades"]![0]!["minScore"]! - 1 }, grades, editedBy = "Ann" });

        var diff = await Send(admin, HttpMethod.Get, "/rulesets/sample/diff?from=0&to=1");
        var added = Assert.Single(diff["added"]!.AsArray())!;
        Assert.Equal("my-new-criterion", (string?)added["id"]);
        // Conditions read in the marketer's words, as the criteria's own labels do: no feature id.
        var condition = (string)added["condition"]!;
        Assert.False(string.IsNullOrWhiteSpace(condition));
        Assert.DoesNotContain(feature, condition, StringComparison.Ordinal);
        Assert.DoesNotContain("attr.", condition, StringComparison.Ordinal);
        Assert.Equal((string?)criteria[2]["id"], (string?)Assert.Single(diff["removed"]!.AsArray())!["id"]);
        var changed = diff["changed"]!.AsArray();
        Assert.Equal(2, changed.Count);
        Assert.Equal((int)criteria[0]["points"]!, (int)changed[0]!["points"]!["old"]!);
        Assert.Equal((int)criteria[0]["points"]! + 7, (int)changed[0]!["points"]!["new"]!);
        Assert.False((bool)changed[1]!["enabled"]!["new"]!);
        Assert.Equal((double)rules["grades"]![0]!["minScore"]! - 1, (double)diff["salesReady"]!["new"]!);
        var grade = Assert.Single(diff["grades"]!.AsArray())!;
        Assert.Equal((double)rules["grades"]![0]!["minScore"]! - 1, (double)grade["newMinScore"]!);

        var audit = (await Send(admin, HttpMethod.Get, "/rulesets/sample/audit")).AsArray();
        Assert.Equal("edited", (string?)audit[^1]!["action"]);
        Assert.Equal("Ann", (string?)audit[^1]!["actor"]);
    }

    [Fact]
    public async Task WhatIfChangesWhenACriterionsPointsChangeAndShowsTheRulesInForceBeside()
    {
        var admin = Admin();
        var suggestion = (await Send(admin, HttpMethod.Get, "/rulesets/sample/0"))["rules"]!;
        var same = await Send(admin, HttpMethod.Post, "/rulesets/sample/whatif", new { version = 0 });
        Assert.Equal("suggested", (string?)same["inForce"]!["ruleSet"]);
        Assert.True((int)same["rows"]! > 100);
        Assert.True((int)same["months"]! >= 1);
        Assert.InRange((double)same["candidate"]!["rocAuc"]!, 0.55, 1);
        Assert.Equal(same["candidate"]!["grades"]!.ToJsonString(), same["inForce"]!["grades"]!.ToJsonString());
        Assert.Equal(1, same["candidate"]!["grades"]!.AsArray().Sum(g => (double)g!["share"]!), 3);

        // The criterion that applies to most leads, pushed to −100: fewer leads reach the top grades.
        var widest = suggestion["criteria"]!.AsArray().Where(c => c!["support"] is not null).MaxBy(c => (int)c!["support"]!["leads"]!)!;
        var changed = await Send(admin, HttpMethod.Post, "/rulesets/sample/whatif",
            new { criteria = suggestion["criteria"]!.AsArray().Select(c => new { id = (string)c!["id"]!, points = c == widest ? -100 : (int)c["points"]! }) });
        Assert.Equal("draft", (string?)changed["candidate"]!["ruleSet"]);
        Assert.NotEqual(same["candidate"]!["rocAuc"]!.ToJsonString(), changed["candidate"]!["rocAuc"]!.ToJsonString());
        Assert.True((double)changed["candidate"]!["meanScore"]! < (double)same["candidate"]!["meanScore"]!);
        Assert.Equal(same["inForce"]!.ToJsonString(), changed["inForce"]!.ToJsonString());

        // A whole rule set (as GET answers it, with its own "version") is evaluated as sent.
        var whole = suggestion.DeepClone();
        whole["criteria"]!.AsArray().Single(c => (string?)c!["id"] == (string?)widest["id"])!["points"] = -100;
        var wholeAnswer = await Send(admin, HttpMethod.Post, "/rulesets/sample/whatif", whole);
        Assert.Equal(changed["candidate"]!.ToJsonString(), wholeAnswer["candidate"]!.ToJsonString());

        var stored = await Send(admin, HttpMethod.Get, "/rulesets/sample/whatif?version=0");
        Assert.Equal(same.ToJsonString(), stored.ToJsonString());
    }

    [Fact]
    public async Task RuleSetEndpointsNeedAnAdminKey()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await _factory.Client(null).GetAsync("/rulesets/sample")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _factory.Client().GetAsync("/rulesets/sample")).StatusCode);
        await Problem(await Admin().GetAsync("/rulesets/nope"), HttpStatusCode.NotFound);
        await Problem(await Admin().GetAsync("/rulesets/sample/7"), HttpStatusCode.NotFound);
    }

    internal static object Lead() => new
    {
        leadId = "L1",
        attributes = new Dictionary<string, object?> { ["industry"] = "Software", ["company_size"] = 250, ["country"] = "United States", ["job_title"] = "Marketing Manager", ["lead_source"] = "web", ["budget_known"] = "yes" },
        events = new[]
        {
            new { type = "page_view", detail = (string?)"/pricing", timestamp = DateTimeOffset.UtcNow.AddDays(-2) },
            new { type = "quote_request", detail = (string?)null, timestamp = DateTimeOffset.UtcNow.AddDays(-1) },
        },
    };

    internal static async Task<JsonNode> Send(HttpClient client, HttpMethod method, string url, object? body = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{method} {url}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    private static async Task<JsonNode> Problem(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var node = JsonNode.Parse(text)!;
        Assert.Equal((int)expected, (int)node["status"]!);
        return node;
    }
}
