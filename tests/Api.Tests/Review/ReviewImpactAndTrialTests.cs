using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LeadML.Api.Tests.Fixtures;
using LeadML.Api.Tests.Leads;
using LeadML.Api.Tests.RuleSets;
using LeadML.Tests.Shared;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace LeadML.Api.Tests.Review;

/// <summary>The review page with a lead store, in a real headless Chromium at 1280×720: approving asks to confirm with the
/// impact on the stored leads, and one lead is tried under the draft beside the rule set in force.</summary>
[Collection(BundleCollection.Name)]
public sealed class ReviewImpactAndTrialTests(TrainedBundle bundle, Chromium chromium, ITestOutputHelper output) : PageSuite(chromium), IClassFixture<Chromium>
{
    private readonly string _folder = Directory.CreateTempSubdirectory("leadml-review-").FullName;

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, true);
    }

    private ApiFactory Store() => ApiFactory.For(bundle.CopyTo(), ("LeadML:Store:Provider", "sqlite"), ("LeadML:Store:Path", Path.Combine(_folder, "leadml.db")),
        ("LeadML:WatchBundles", "false"));

    private static async Task PutLeads(Uri root, params (string Id, Dictionary<string, object?> Attributes)[] leads)
    {
        using var client = new HttpClient { BaseAddress = root };
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiFactory.ScoringKey);
        foreach (var (id, attributes) in leads)
        {
            var r = await client.PutAsJsonAsync($"/leads/{id}", new { attributes, createdAt = DateTimeOffset.UtcNow.AddDays(-12) });
            Assert.True(r.IsSuccessStatusCode, await r.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task ApprovingAsksToConfirm_WithTheImpactOnTheStoredLeads_CancelKeepsTheDraft_ConfirmPutsItInForce()
    {
        using var factory = Store();
        var root = factory.StartKestrel();
        // Cold but not a student (a student is knocked out, whatever the points): base points move their grade.
        var cold = new Dictionary<string, object?>(LeadBodies.ColdLead) { ["job_title"] = "Developer" };
        await PutLeads(root, ("H1", LeadBodies.HotLead), ("H2", LeadBodies.HotLead), ("C1", cold), ("C2", cold), ("C3", cold));
        using var admin = new HttpClient { BaseAddress = root };
        admin.DefaultRequestHeaders.Add("X-Api-Key", ApiFactory.AdminKey);

        var (page, errors) = await Connect(root);
        await Expect(page.Locator("#whatif-blend")).ToContainTextAsync("score = 0.5 × rule points + 0.5 × model points");
        await Expect(page.Locator("#whatif-draft-points-auc")).Not.ToBeEmptyAsync();
        // Every lead starts with all the points there are: grades move up.
        await page.Locator("#base-points").FillAsync("100");
        await page.Locator("#approver").FillAsync("Ann Marketer");
        await page.Locator("#approve").ClickAsync();

        var dialog = page.Locator("#impact-dialog");
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(page.Locator("#impact-title")).ToHaveTextAsync("Approve draft v1 and put it in force?");
        var impact = await RuleSetEndpointsTests.Send(admin, HttpMethod.Get, "/rulesets/sample/1/impact");
        Assert.Equal(5, (int)impact["openLeads"]!);
        var changes = (int)impact["gradeChanges"]!;
        Assert.True(changes > 0, impact.ToJsonString());
        await Expect(page.Locator("#impact-summary")).ToContainTextAsync("Of 5 stored open leads");
        await Expect(page.Locator("#impact-list")).ToContainTextAsync($"{changes} lead{(changes == 1 ? " changes" : "s change")} grade");
        await Expect(page.Locator("#impact-list")).ToContainTextAsync($"{(int)impact["becomeSalesReady"]!} lead");
        await Expect(page.Locator("#impact-list")).ToContainTextAsync($"{(int)impact["alerts"]!} alert");
        await Expect(page.Locator("#impact-cancel")).ToBeFocusedAsync();
        await Shot(page, "review-10-impact-dialog.png");

        // Cancel (Escape): nothing is approved; the draft is saved.
        await page.Keyboard.PressAsync("Escape");
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(page.Locator("#status")).ToContainTextAsync("Draft v1 saved, not approved");
        Assert.Equal("draft", (string?)(await RuleSetEndpointsTests.Send(admin, HttpMethod.Get, "/rulesets/sample/1"))["summary"]!["status"]);

        await page.Locator("#approve").ClickAsync();
        await Expect(dialog).ToBeVisibleAsync();
        await page.Locator("#impact-confirm").ClickAsync();
        await Expect(page.Locator("#status")).ToContainTextAsync("v1 approved by Ann Marketer");
        Assert.Equal("v1", (string?)(await RuleSetEndpointsTests.Send(admin, HttpMethod.Get, "/models")).AsArray()[0]!["ruleSetVersion"]);

        // Restoring the suggestion asks the same way.
        await page.Locator("#version-0 button", new() { HasText = "Restore" }).ClickAsync();
        await Expect(page.Locator("#impact-title")).ToHaveTextAsync("Restore the suggestion and put it in force?");
        await page.Locator("#impact-cancel").ClickAsync();
        await Expect(page.Locator("#status")).ToContainTextAsync("The suggestion not restored");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task TestOneLead_ShowsTheDraftBesideTheRuleSetInForce_WithWhatFired_AndABadLeadAtItsJsonPath()
    {
        using var factory = Store();
        var root = factory.StartKestrel();
        await PutLeads(root, ("S1", LeadBodies.HotLead));
        using var scoring = new HttpClient { BaseAddress = root };
        scoring.DefaultRequestHeaders.Add("X-Api-Key", ApiFactory.ScoringKey);
        var now = DateTimeOffset.UtcNow;
        var lead = new JsonObject
        {
            ["leadId"] = "P1",
            ["attributes"] = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(LeadBodies.HotLead)),
            ["createdAt"] = now.AddDays(-10).ToString("O", CultureInfo.InvariantCulture),
            ["asOf"] = now.ToString("O", CultureInfo.InvariantCulture),
            ["events"] = new JsonArray(new JsonObject { ["type"] = "page_view", ["detail"] = "/pricing", ["timestamp"] = now.AddDays(-1).ToString("O", CultureInfo.InvariantCulture) }),
        };
        var answer = await RuleSetEndpointsTests.Send(scoring, HttpMethod.Post, "/score", lead);
        var top = answer["rulePoints"]!["criteria"]!.AsArray().MaxBy(c => (int)c!["countedPoints"]!)!;
        var label = (string)top["label"]!;

        var (page, errors) = await Connect(root);
        // The criterion that gives the lead most points goes to −50 in the draft.
        await page.Locator($"tr[data-id='{(string)top["id"]!}'] input.points").FillAsync("-50");
        await page.Locator("#tryout-json").FillAsync(lead.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        await page.Locator("#tryout-run").ClickAsync();
        await Expect(page.Locator("#tryout-result")).ToBeVisibleAsync();
        var cells = page.Locator("#tryout-table tbody tr").First.Locator("td");
        await Expect(cells.Nth(1)).ToHaveTextAsync(((double)answer["score"]!).ToString("F2", CultureInfo.InvariantCulture));
        await Expect(cells.Nth(0)).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("differs"));
        await Expect(page.Locator("#tryout-draft-fired")).ToContainTextAsync($"{label}: -50");
        await Expect(page.Locator("#tryout-inforce-fired")).ToContainTextAsync($"{label}: +{(int)top["countedPoints"]!}");
        await Expect(page.Locator("#status")).ToContainTextAsync("Lead P1 scored under the draft and suggested");
        await page.Locator("#tryout-inforce-fired").ScrollIntoViewIfNeededAsync();
        await Shot(page, "review-11-test-one-lead.png");

        // A value the Api cannot use: its problem, in its words, at its JSON path.
        await page.Locator("#tryout-json").FillAsync("""{"attributes": {"industry": ["Software"]}}""");
        await page.Locator("#tryout-run").ClickAsync();
        await Expect(page.Locator("#tryout-errors")).ToContainTextAsync("$.lead.attributes.industry: must be a string, number, boolean or null");
        await Expect(page.Locator("#tryout-json")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator("#tryout-result")).ToBeHiddenAsync();
        await page.Locator("#tryout-errors").ScrollIntoViewIfNeededAsync();
        await Shot(page, "review-12-test-one-lead-refused.png");
        await page.Locator("#tryout-json").FillAsync("""{"atributes": {}}""");
        await page.Locator("#tryout-run").ClickAsync();
        await Expect(page.Locator("#tryout-errors")).ToContainTextAsync("$.lead.atributes: is not a known property; did you mean 'attributes'?");
        await page.Locator("#tryout-json").FillAsync("""{"attributes": """);
        await page.Locator("#tryout-run").ClickAsync();
        await Expect(page.Locator("#tryout-errors")).ToContainTextAsync("The pasted lead is not JSON");

        // A stored lead by its id.
        await page.Locator("#tryout-json").FillAsync("");
        await page.Locator("#tryout-id").FillAsync("S1");
        await page.Locator("#tryout-run").ClickAsync();
        await Expect(page.Locator("#status")).ToContainTextAsync("Lead S1 scored under the draft and suggested");
        await Expect(page.Locator("#tryout-errors")).ToBeEmptyAsync();
        await page.Locator("#tryout-id").FillAsync("nobody");
        await page.Locator("#tryout-run").ClickAsync();
        await Expect(page.Locator("#tryout-errors")).ToContainTextAsync("$.leadId: model sample has no lead 'nobody'");
        Assert.Empty(errors);
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    private async Task Shot(IPage page, string name)
    {
        var path = Chromium.ScreenshotPath(name);
        await page.ScreenshotAsync(new() { Path = path, FullPage = false });
        output.WriteLine($"screenshot: {path}");
    }

    private async Task<(IPage Page, List<string> Errors)> Connect(Uri root)
    {
        var (page, _, errors) = await ReviewPageTests.Open(NewPageAsync, output, root);
        await Expect(page.Locator("#whatif-draft-auc")).Not.ToBeEmptyAsync();
        return (page, errors);
    }
}
