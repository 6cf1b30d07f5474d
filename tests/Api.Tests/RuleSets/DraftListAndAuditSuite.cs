using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LeadML.Api.Tests.Fixtures;
using static LeadML.Api.Tests.RuleSets.RuleSetDraftEditTests;

namespace LeadML.Api.Tests.RuleSets;

/// <summary>
/// What a reviewer needs to choose a draft and to read its history, run on each repository by a subclass: the list's
/// open drafts (who started each, from which version, its last change), the audit saying what each edit changed and
/// who made it, a discard audited under the name sent, and the diff's every change in words.
/// </summary>
public abstract class DraftListAndAuditSuite(TrainedBundle bundle, TestStore store) : StoreSuite(bundle, store, Start)
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private HttpClient Reviewer() => Client(ApiFactory.ReviewerKey);

    private static Task<JsonNode> Send(HttpClient client, HttpMethod method, string url, object? body = null, HttpStatusCode expected = HttpStatusCode.OK) =>
        RuleSetEndpointsTests.Send(client, method, url, body, expected);

    private static Task<HttpResponseMessage> Patch(HttpClient client, string url, object body) =>
        client.SendAsync(new HttpRequestMessage(HttpMethod.Patch, url) { Content = MergePatch(body) });

    private static string P(int points) => points.ToString("+0;-0;0", CultureInfo.InvariantCulture);

    [Fact]
    public async Task TheListNamesEachOpenDraft_WithItsAuthorBaseAndLastChange_MostRecentlyChangedFirst_AndADiscardIsAuditedUnderItsName()
    {
        var client = Reviewer();
        await Send(client, HttpMethod.Post, "/rulesets/sample/drafts", new { createdBy = "Ann" }, HttpStatusCode.Created);
        await Send(client, HttpMethod.Post, "/rulesets/sample/1/approve", new { approvedBy = "Ann" });
        Clock.Advance(TimeSpan.FromMinutes(5));
        await Send(client, HttpMethod.Post, "/rulesets/sample/drafts", new { from = 1, createdBy = "Ann" }, HttpStatusCode.Created);
        Clock.Advance(TimeSpan.FromMinutes(5));
        await Send(client, HttpMethod.Post, "/rulesets/sample/drafts", new { createdBy = "Bob" }, HttpStatusCode.Created);
        Clock.Advance(TimeSpan.FromMinutes(5));
        await Answer(await Patch(client, "/rulesets/sample/2", new { basePoints = 21, editedBy = "Cleo" }));

        var drafts = (await Send(client, HttpMethod.Get, "/rulesets/sample"))["drafts"]!.AsArray();

        // Ann's draft from v1, changed last by Cleo, comes before Bob's newer but untouched draft of the suggestion.
        Assert.Equal([2, 3], drafts.Select(d => (int)d!["version"]!));
        var ann = drafts[0]!;
        Assert.Equal("Ann", (string?)ann["createdBy"]);
        Assert.Equal(1, (int?)ann["basedOn"]);
        Assert.Equal(Start.AddMinutes(5).UtcDateTime, ann["createdAt"]!.GetValue<DateTime>().ToUniversalTime());
        Assert.Equal(Start.AddMinutes(15).UtcDateTime, ann["updatedAt"]!.GetValue<DateTime>().ToUniversalTime());
        Assert.Equal("Cleo", (string?)ann["updatedBy"]);
        Assert.Equal(1, (int)ann["edits"]!);
        var bob = drafts[1]!;
        Assert.Equal("Bob", (string?)bob["createdBy"]);
        Assert.Null(bob["basedOn"]);
        Assert.Equal(Start.AddMinutes(10).UtcDateTime, bob["updatedAt"]!.GetValue<DateTime>().ToUniversalTime());
        Assert.Equal("Bob", (string?)bob["updatedBy"]);
        Assert.Equal(0, (int)bob["edits"]!);
        Assert.True((int)bob["criteria"]! > 0);

        var read = await client.GetAsync("/rulesets/sample/3");
        var discard = new HttpRequestMessage(HttpMethod.Delete, "/rulesets/sample/3?discardedBy=Dan");
        discard.Headers.TryAddWithoutValidation("If-Match", read.Headers.ETag!.ToString());
        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(discard)).StatusCode);

        Assert.Equal([2], (await Send(client, HttpMethod.Get, "/rulesets/sample"))["drafts"]!.AsArray().Select(d => (int)d!["version"]!));
        var last = (await Send(client, HttpMethod.Get, "/rulesets/sample/audit")).AsArray()[^1]!;
        Assert.Equal(("discarded", "Dan", 3), ((string?)last["action"], (string?)last["actor"], (int)last["version"]!));
    }

    [Fact]
    public async Task EachAuditedEdit_SaysWhatItChangedInWords_AndWhoMadeIt()
    {
        var client = Reviewer();
        var rules = (await Send(client, HttpMethod.Post, "/rulesets/sample/drafts", new { createdBy = "Ann" }, HttpStatusCode.Created))["rules"]!;
        var first = rules["criteria"]![0]!;
        var second = rules["criteria"]![1]!;
        var oldPoints = (int)first["points"]!;
        var newPoints = oldPoints == -30 ? -31 : -30;
        var hysteresis = (double)rules["thresholds"]!["hysteresis"]!;
        var newHysteresis = hysteresis == 8 ? 9 : 8;

        await Answer(await Patch(client, "/rulesets/sample/1", new Dictionary<string, object>
        {
            ["criteria"] = new Dictionary<string, object> { [(string)first["id"]!] = new { points = newPoints }, [(string)second["id"]!] = new { enabled = false } },
            ["thresholds"] = new { hysteresis = newHysteresis },
            ["editedBy"] = "Ann",
        }));
        await Send(client, HttpMethod.Put, "/rulesets/sample/1", new { basePoints = (double)rules["basePoints"]! + 2, editedBy = "Bob" });
        await Answer(await Patch(client, "/rulesets/sample/1", new { basePoints = (double)rules["basePoints"]! + 2 }));

        var edits = (await Send(client, HttpMethod.Get, "/rulesets/sample/audit")).AsArray().Where(a => (string?)a!["action"] == "edited").ToList();
        Assert.Equal(3, edits.Count);
        Assert.Equal("Ann", (string?)edits[0]!["actor"]);
        var ann = (string)edits[0]!["detail"]!;
        Assert.Contains($"Hysteresis {hysteresis} → {newHysteresis} points.", ann, StringComparison.Ordinal);
        Assert.Contains($"“{(string)first["label"]!}”: {P(oldPoints)} → {P(newPoints)} points.", ann, StringComparison.Ordinal);
        Assert.Contains($"“{(string)second["label"]!}”: switched off.", ann, StringComparison.Ordinal);
        Assert.Equal("Bob", (string?)edits[1]!["actor"]);
        Assert.Equal($"Base points {rules["basePoints"]} → {(double)rules["basePoints"]! + 2}.", (string?)edits[1]!["detail"]);
        // An edit that changes nothing says so; one sent without a name has none.
        Assert.Null(edits[2]!["actor"]);
        Assert.Equal("No change.", (string?)edits[2]!["detail"]);
    }

    [Fact]
    public async Task TheDiffSaysEveryChangeInWords_OneSentenceEach_WithoutFeatureIds()
    {
        var client = Reviewer();
        var rules = (await Send(client, HttpMethod.Post, "/rulesets/sample/drafts", new { }, HttpStatusCode.Created))["rules"]!;
        var criteria = rules["criteria"]!.AsArray().Select(c => c!).ToList();
        var grades = rules["grades"]!.AsArray().Select(g => g!).ToList();
        var feature = (string)criteria[0]["condition"]!["feature"]!;
        var hysteresis = (double)rules["thresholds"]!["hysteresis"]!;
        var lastGrade = grades[^1];
        await Send(client, HttpMethod.Put, "/rulesets/sample/1", new
        {
            basePoints = (double)rules["basePoints"]! + 1,
            criteria = new object[]
            {
                new { id = (string)criteria[0]["id"]!, points = (int)criteria[0]["points"]! + 3, label = "Renamed first" },
                new { id = (string)criteria[1]["id"]!, enabled = false },
                new { id = (string)criteria[3]["id"]!, condition = new { feature = (string)criteria[3]["condition"]!["feature"]!, op = "missing" } },
                new { id = "brand-new", label = "Brand new", condition = new { feature, op = "gte", value = 1 }, points = 5 },
            }.Concat(criteria.Skip(4).Select(c => new { id = (string)c["id"]! })),
            dropMissing = true,
            thresholds = new { hysteresis = hysteresis + 1 },
            grades = grades.Select(g => new { grade = (string)g["grade"]!, minScore = (double)g["minScore"]!, label = g == lastGrade ? "Not for sales" : (string?)g["label"] }),
        });

        var diff = await Send(client, HttpMethod.Get, "/rulesets/sample/diff?from=0&to=1");
        var sentences = diff["sentences"]!.AsArray().Select(s => (string)s!).ToList();

        var changes = diff["added"]!.AsArray().Count + diff["removed"]!.AsArray().Count + diff["changed"]!.AsArray().Count + diff["grades"]!.AsArray().Count
            + (diff["basePoints"] is null ? 0 : 1) + (diff["salesReady"] is null ? 0 : 1) + (diff["hysteresis"] is null ? 0 : 1);
        Assert.True(changes == 8, diff.ToJsonString());
        Assert.Equal(changes, sentences.Count);
        Assert.Contains($"Base points {rules["basePoints"]} → {(double)rules["basePoints"]! + 1}.", sentences);
        Assert.Contains($"Hysteresis {hysteresis} → {hysteresis + 1} points.", sentences);
        Assert.Contains(sentences, s => s.StartsWith($"Grade {(string)lastGrade["grade"]!}: label “", StringComparison.Ordinal) && s.EndsWith("→ “Not for sales”.", StringComparison.Ordinal));
        Assert.Contains($"“Renamed first”: {P((int)criteria[0]["points"]!)} → {P((int)criteria[0]["points"]! + 3)} points, renamed from “{(string)criteria[0]["label"]!}”.", sentences);
        Assert.Contains($"“{(string)criteria[1]["label"]!}”: switched off.", sentences);
        Assert.Contains(sentences, s => s.StartsWith($"“{(string)criteria[3]["label"]!}”: applies to “", StringComparison.Ordinal));
        Assert.Contains(sentences, s => s.StartsWith("Added “Brand new”: +5 points, for leads who match “", StringComparison.Ordinal));
        Assert.Contains($"Removed “{(string)criteria[2]["label"]!}” ({P((int)criteria[2]["points"]!)} points).", sentences);
        Assert.All(sentences, s => Assert.DoesNotContain("attr.", s, StringComparison.Ordinal));
        Assert.All(sentences, s => Assert.DoesNotContain("evt.", s, StringComparison.Ordinal));
    }
}

/// <summary>The suite on the in-memory repository (no store).</summary>
[Collection(BundleCollection.Name)]
public sealed class InMemoryDraftListAndAuditTests(TrainedBundle bundle) : DraftListAndAuditSuite(bundle, TestStore.InMemory());

/// <summary>The suite on a SQLite store.</summary>
[Collection(BundleCollection.Name)]
public sealed class SqliteDraftListAndAuditTests(TrainedBundle bundle) : DraftListAndAuditSuite(bundle, TestStore.Sqlite());
