using System.Text.Json.Nodes;
using LeadML.Api.Tests.Fixtures;
using LeadML.Api.Tests.RuleSets;
using LeadML.Features.Bundles;
using LeadML.Features.Featurization;
using LeadML.Tests.Shared;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace LeadML.Api.Tests.Review;

/// <summary>Knock-outs on the review page in a real headless Chromium at 1280×720: the trainer's suggestion removed and
/// accepted again, one switched off, a new one refused at its field then added, the what-if counting them, saved and
/// shown in the diff.</summary>
[Collection(BundleCollection.Name)]
public sealed class ReviewKnockOutTests(TrainedBundle bundle, Chromium chromium, ITestOutputHelper output) : PageSuite(chromium), IClassFixture<Chromium>
{
    /// <summary>A copy of the bundle whose suggestion holds one knock-out, students, with its evidence (whatever the
    /// trainer found on this small history), so that the page is tested on a known suggestion.</summary>
    private string BundleWithStudentKnockOut()
    {
        var folder = bundle.CopyTo();
        var file = Path.Combine(folder, ModelBundle.SuggestedRuleSetFile);
        var rules = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
        rules["knockOuts"] = new JsonArray(new JsonObject
        {
            ["id"] = "student", ["label"] = "Job title: Student", ["description"] = "Students almost never convert.",
            ["condition"] = new JsonObject { ["feature"] = FeatureNames.Category("job_title", "Student"), ["op"] = "eq", ["value"] = 1 },
            ["enabled"] = true,
            ["evidence"] = new JsonObject { ["leads"] = 412, ["conversions"] = 1, ["conversionRate"] = 0.0024, ["rateUpper"] = 0.011, ["baseRate"] = 0.1, ["rule"] = "rate" },
        });
        File.WriteAllText(file, rules.ToJsonString());
        return folder;
    }

    [Fact]
    public async Task AMarketerAcceptsASuggestedKnockOut_SwitchesItOff_AddsOne_AndSavesThem()
    {
        using var factory = ApiFactory.For(BundleWithStudentKnockOut());
        var root = factory.StartKestrel();
        using var admin = Client(root, ApiFactory.AdminKey);
        var (page, errors) = await Open(root);

        await page.Locator("#create-draft").ClickAsync();
        await Expect(page.Locator("#status")).ToContainTextAsync("Draft v1 created from the suggestion");
        var student = page.Locator("#knockouts-table tr[data-id='student']");
        await Expect(student).ToContainTextAsync("Job title: Student");
        await Expect(student).ToContainTextAsync("412");
        // The what-if counts the leads it disqualifies.
        await Expect(page.Locator("#whatif-knockouts")).ToContainTextAsync("Knock-outs disqualify");
        await Expect(student.Locator(".ko-count")).Not.ToHaveTextAsync("–");

        // Removed, it is offered again as a suggestion; accepted, it is back.
        await student.Locator(".ko-remove").ClickAsync();
        await Expect(student).ToHaveCountAsync(0);
        await Expect(page.Locator("#knockouts-suggested li[data-id='student']")).ToContainTextAsync("412 leads");
        await page.Locator("#knockouts-suggested li[data-id='student'] button", new() { HasText = "Accept" }).ClickAsync();
        await Expect(student).ToHaveCountAsync(1);
        await Expect(page.Locator("#knockouts-suggested")).ToBeHiddenAsync();

        // Switched off: the draft's what-if no longer counts it.
        await student.Locator(".ko-enabled").UncheckAsync();
        await Expect(page.Locator("#editing")).ToContainTextAsync("unsaved changes");
        await Expect(student.Locator(".ko-count")).ToHaveTextAsync("–", new() { Timeout = 10_000 });

        // A new knock-out: a bad range is refused by the server, its message and JSON path beside the field.
        await page.Locator("#ko-add-open").ClickAsync();
        await Expect(page.Locator("#ko-search")).ToBeFocusedAsync();
        await page.Locator("#ko-feature").SelectOptionAsync(FeatureNames.Ever("unsubscribe"));
        await page.Locator("#ko-op").SelectOptionAsync("between");
        await page.Locator("#ko-value").FillAsync("1");
        await page.Locator("#ko-upper").FillAsync("0.5");
        await page.Locator("#ko-add").ClickAsync();
        await Expect(page.Locator("#ko-upper-error")).ToContainTextAsync("$.knockOuts[1].condition.upper");
        await Expect(page.Locator("#ko-upper")).ToHaveAttributeAsync("aria-invalid", "true");
        await page.Locator("#ko-op").SelectOptionAsync("eq");
        await page.Locator("#ko-add").ClickAsync();
        // Left without a label, it reads at once as the Api words the condition.
        await Expect(page.Locator("#status")).ToContainTextAsync("Added the knock-out \"Unsubscribed at some time\"");
        await Expect(page.Locator("#knockouts-table tbody tr")).ToHaveCountAsync(2);
        await Expect(page.Locator("#knockout-form")).ToBeHiddenAsync();

        await page.Locator("#save").ClickAsync();
        await Expect(page.Locator("#status")).ToContainTextAsync("Draft v1 saved");
        // The server words a knock-out sent without a label.
        await Expect(page.Locator("#knockouts-table")).ToContainTextAsync("Unsubscribed at some time");
        var shot = Chromium.ScreenshotPath("review-6-knock-outs.png");
        await page.ScreenshotAsync(new() { Path = shot, FullPage = true });
        output.WriteLine($"screenshot: {shot}");

        var v1 = (await RuleSetEndpointsTests.Send(admin, HttpMethod.Get, "/rulesets/sample/1"))["rules"]!["knockOuts"]!.AsArray();
        Assert.Equal(2, v1.Count);
        Assert.Equal("student", (string?)v1[0]!["id"]);
        Assert.False((bool)v1[0]!["enabled"]!);
        Assert.Equal(412, (int)v1[0]!["evidence"]!["leads"]!);
        Assert.Equal("Unsubscribed at some time", (string?)v1[1]!["label"]);
        Assert.Equal(FeatureNames.Ever("unsubscribe"), (string?)v1[1]!["condition"]!["feature"]);

        await page.Locator("#version-1 button", new() { HasText = "Diff" }).ClickAsync();
        await Expect(page.Locator("#diff")).ToContainTextAsync("Added the knock-out “Unsubscribed at some time”");
        await Expect(page.Locator("#diff")).ToContainTextAsync("Knock-out “Job title: Student”: switched off.");
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= 1280"));
        Assert.Empty(errors);
    }

    [Fact]
    public async Task TestOneLead_AStudentIsKnockedOutByTheRuleSetInForce_AndNotByADraftThatSwitchesTheKnockOutOff()
    {
        using var factory = ApiFactory.For(BundleWithStudentKnockOut());
        var root = factory.StartKestrel();
        using var scoring = Client(root, ApiFactory.ScoringKey);
        var lead = new JsonObject
        {
            ["leadId"] = "P-student",
            ["attributes"] = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(Leads.LeadBodies.ColdLead)),
            ["createdAt"] = DateTimeOffset.UtcNow.AddDays(-10).ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        };
        // What /score answers for the lead under the rule set in force (the suggestion): disqualified by the student knock-out.
        var answer = await RuleSetEndpointsTests.Send(scoring, HttpMethod.Post, "/score", lead);
        Assert.True((bool)answer["disqualified"]!);
        Assert.False((bool)answer["salesReady"]!);
        Assert.Equal("student", (string?)Assert.Single(answer["knockOuts"]!.AsArray())!["id"]);
        var (page, errors) = await Open(root);
        await Expect(page.Locator("#whatif-draft-auc")).Not.ToBeEmptyAsync();

        // The draft switches the knock-out off; the lead is tried under both.
        await page.Locator("#knockouts-table tr[data-id='student'] .ko-enabled").UncheckAsync();
        await page.Locator("#tryout-json").FillAsync(lead.ToJsonString());
        await page.Locator("#tryout-run").ClickAsync();
        await Expect(page.Locator("#tryout-result")).ToBeVisibleAsync();
        var rows = page.Locator("#tryout-table tbody tr");
        var grade = rows.Nth(1).Locator("td");
        var salesReady = rows.Nth(2).Locator("td");
        // In force: the knock-out that fired is named, the lead is not sales-ready and has the lowest grade, as /score says.
        await Expect(page.Locator("#tryout-inforce-fired li.knockout")).ToHaveTextAsync(["Knock-out: Job title: Student"]);
        await Expect(salesReady.Nth(1)).ToHaveTextAsync("no (disqualified)");
        await Expect(grade.Nth(1)).ToHaveTextAsync((string)answer["grade"]!);
        using var admin = Client(root, ApiFactory.AdminKey);
        var grades = (await RuleSetEndpointsTests.Send(admin, HttpMethod.Get, "/rulesets/sample/0"))["rules"]!["grades"]!.AsArray();
        Assert.Equal((string?)grades[^1]!["grade"], (string?)answer["grade"]);
        // The draft without it: no knock-out fired, and the lead is not called disqualified.
        await Expect(page.Locator("#tryout-draft-fired li.knockout")).ToHaveCountAsync(0);
        await Expect(salesReady.Nth(0)).Not.ToContainTextAsync("disqualified");
        await page.Locator("#tryout-inforce-fired").ScrollIntoViewIfNeededAsync();
        var shot = Chromium.ScreenshotPath("review-13-test-one-lead-knocked-out.png");
        await page.ScreenshotAsync(new() { Path = shot });
        output.WriteLine($"screenshot: {shot}");
        Assert.Empty(errors);
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    private static HttpClient Client(Uri root, string key)
    {
        var c = new HttpClient { BaseAddress = root };
        c.DefaultRequestHeaders.Add("X-Api-Key", key);
        return c;
    }

    /// <summary>The review page connected with an admin key, the suggestion in force, and the script errors it raises.</summary>
    private async Task<(IPage Page, List<string> Errors)> Open(Uri root)
    {
        var (page, _, errors) = await ReviewPageTests.Open(NewPageAsync, output, root);
        await Expect(page.Locator("#status")).ToContainTextAsync("Connected: sample, suggested in force");
        return (page, errors);
    }
}
