using System.Net;
using System.Text.Json.Nodes;
using LeadML.Api.Tests.Fixtures;
using LeadML.Api.Tests.RuleSets;
using LeadML.Features.Bundles;
using LeadML.Features.Featurization;
using LeadML.Tests.Shared;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace LeadML.Api.Tests.Review;

/// <summary>The review page in a real headless Chromium at 1280×720, against the real Api on Kestrel.</summary>
[Collection(BundleCollection.Name)]
public sealed class ReviewPageTests(TrainedBundle bundle, Chromium chromium, ITestOutputHelper output) : PageSuite(chromium), IClassFixture<Chromium>
{
    [Fact]
    public async Task AMarketerChangesPointsSeesTheWhatIfApprovesAndRestoresVersion1AndScoringUsesIt()
    {
        using var factory = ApiFactory.For(bundle.CopyTo());
        var root = factory.StartKestrel();
        using var admin = new HttpClient { BaseAddress = root };
        admin.DefaultRequestHeaders.Add("X-Api-Key", ApiFactory.AdminKey);
        var suggestion = (await RuleSetEndpointsTests.Send(admin, HttpMethod.Get, "/rulesets/sample/0"))["rules"]!["criteria"]!.AsArray();
        // The positive criterion behind most conversions: taking its points away moves sales-ready leads and the AUC.
        var widest = (string)suggestion.Where(c => c!["support"] is not null && (int)c["points"]! > 0)
            .MaxBy(c => (int)c!["support"]!["conversions"]!)!["id"]!;
        var other = (string)suggestion.First(c => (string?)c!["id"] != widest)!["id"]!;

        var (page, requests, errors) = await Connect(root);
        await Expect(page.Locator("#whatif-draft-auc")).Not.ToBeEmptyAsync();
        Assert.Equal(await page.Locator("#whatif-draft-auc").TextContentAsync(), await page.Locator("#whatif-inforce-auc").TextContentAsync());
        Assert.Equal(ApiFactory.AdminKey, await page.EvaluateAsync<string>("sessionStorage.getItem('leadml.adminKey')"));
        await Shot(page, "review-1-connected.png");

        // Pushing it to −100 changes the draft's figures, not those in force.
        var before = await Figures(page);
        await page.Locator($"tr[data-id='{widest}'] input.points").FillAsync("-100");
        await OrShot(page, "review-failed-whatif.png", () => page.WaitForFunctionAsync(
            "b => document.querySelector('#whatif-draft-auc').textContent + '|' + document.querySelector('#whatif-draft-ready').textContent !== b", before.Draft,
            new() { Timeout = 10_000 }));
        Assert.Equal(before.InForce, (await Figures(page)).InForce);
        await Expect(page.Locator("#editing")).ToContainTextAsync("unsaved changes");
        await Shot(page, "review-2-edited.png");

        await page.Locator("#approver").FillAsync("Ann Marketer");
        await page.Locator("#comment").FillAsync("students and careers-page visitors are not leads");
        await page.Locator("#approve").ClickAsync();
        await Confirm(page);
        await Expect(page.Locator("#status")).ToContainTextAsync("v1 approved by Ann Marketer");
        await Expect(page.Locator("#version-1")).ToContainTextAsync("in force");
        await Expect(page.Locator("#version-1")).ToContainTextAsync("students and careers-page visitors are not leads");
        var model = (await RuleSetEndpointsTests.Send(admin, HttpMethod.Get, "/models")).AsArray().Single(m => (string?)m!["name"] == "sample")!;
        Assert.Equal("v1", (string?)model["ruleSetVersion"]);
        var v1 = (await RuleSetEndpointsTests.Send(admin, HttpMethod.Get, "/rulesets/sample/1"))["rules"]!;
        Assert.Equal(-100, (int)v1["criteria"]!.AsArray().Single(c => (string?)c!["id"] == widest)!["points"]!);

        // A second version, saved with Enter from the points field (keyboard), then approved.
        var points = page.Locator($"tr[data-id='{other}'] input.points");
        await points.FillAsync("42");
        await points.PressAsync("Enter");
        await Expect(page.Locator("#status")).ToContainTextAsync("Draft v2 saved");
        await page.Locator("#comment").FillAsync("try more for the second criterion");
        await page.Locator("#approve").ClickAsync();
        await Confirm(page);
        await Expect(page.Locator("#version-2")).ToContainTextAsync("in force");

        await page.Locator("#version-1 button", new() { HasText = "Diff" }).ClickAsync();
        // Read from the older version to the newer, whichever of the two was clicked.
        await Expect(page.Locator("#diff")).ToContainTextAsync("v1 → v2");
        await page.Locator("#comment").FillAsync("back to the first review");
        await page.Locator("#version-1 button", new() { HasText = "Restore" }).ClickAsync();
        await Confirm(page);
        await Expect(page.Locator("#status")).ToContainTextAsync("v1 restored as v3");
        await Expect(page.Locator("#version-3")).ToContainTextAsync("in force");
        await Expect(page.Locator("#version-3")).ToContainTextAsync("restore of version 1");
        await Expect(page.Locator("#whatif-inforce-label")).ToContainTextAsync("v3");
        await Shot(page, "review-3-restored.png");

        using var scoring = new HttpClient { BaseAddress = root };
        scoring.DefaultRequestHeaders.Add("X-Api-Key", ApiFactory.ScoringKey);
        var score = await RuleSetEndpointsTests.Send(scoring, HttpMethod.Post, "/score", RuleSetEndpointsTests.Lead());
        Assert.Equal("v3", (string?)score["ruleSetVersion"]);
        Assert.Equal("approved", (string?)score["ruleSetSource"]);
        var diff = await RuleSetEndpointsTests.Send(admin, HttpMethod.Get, "/rulesets/sample/diff?from=1&to=3");
        Assert.Empty(diff["changed"]!.AsArray());
        Assert.Empty(diff["added"]!.AsArray());
        Assert.Empty(diff["removed"]!.AsArray());

        Assert.Empty(errors);
        Assert.All(requests, r => Assert.StartsWith(root.ToString(), r));
        Assert.Contains(requests, r => r.EndsWith("/review/chart.js", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AMarketerAddsACriterionAndMovesGradeBApprovesAndScoringFiresTheNewCriterion()
    {
        using var factory = ApiFactory.For(bundle.CopyTo());
        var root = factory.StartKestrel();
        using var admin = new HttpClient { BaseAddress = root };
        admin.DefaultRequestHeaders.Add("X-Api-Key", ApiFactory.AdminKey);
        // The sample lead (RuleSetEndpointsTests.Lead) works in software, so a criterion on that level fires for it.
        var feature = FeatureNames.Category("industry", "Software");
        // The label a new criterion starts with is the condition in the Api's words.
        var featureLabel = (string)(await RuleSetEndpointsTests.Send(admin, HttpMethod.Post, "/rulesets/sample/label", new { feature, op = "eq", value = 1 }))["label"]!;
        var grades = (await RuleSetEndpointsTests.Send(admin, HttpMethod.Get, "/rulesets/sample/0"))["rules"]!["grades"]!.AsArray();
        var b = grades.Select(g => (string?)g!["grade"]).ToList().IndexOf("B");
        Assert.True(b > 0, "the suggestion has a grade B below grade A");
        var aMin = (double)grades[b - 1]!["minScore"]!;
        var oldB = (double)grades[b]!["minScore"]!;
        var newB = Math.Floor((aMin + oldB) / 2);
        Assert.NotEqual(oldB, newB);

        var (page, requests, errors) = await Connect(root);
        await page.Locator("#create-draft").ClickAsync();
        await Expect(page.Locator("#status")).ToContainTextAsync("Draft v1 created from the suggestion");
        await Expect(page.Locator("#whatif-draft-auc")).Not.ToBeEmptyAsync();
        var before = await Figures(page);

        // The form opens from the keyboard on the search field; picking the level prefills "is 1", the group and the label.
        await page.Locator("#add-open").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#nc-search")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("software");
        Assert.All(await page.Locator("#nc-feature option").AllTextContentsAsync(), t => Assert.Contains("software", t, StringComparison.OrdinalIgnoreCase));
        await page.Locator("#nc-feature").SelectOptionAsync(feature);
        await Expect(page.Locator("#nc-op")).ToHaveValueAsync("eq");
        await Expect(page.Locator("#nc-value")).ToHaveValueAsync("1");
        await Expect(page.Locator("#nc-group")).ToHaveValueAsync("fit");
        await Expect(page.Locator("#nc-label")).ToHaveValueAsync(featureLabel);

        // Out-of-range points are refused by the server; its message and JSON path stand beside the points field.
        await page.Locator("#nc-points").FillAsync("140");
        await page.Locator("#nc-points").PressAsync("Enter");
        await Expect(page.Locator("#nc-points-error")).ToContainTextAsync("points are whole numbers from -100 to 100");
        await Expect(page.Locator("#nc-points-error")).ToContainTextAsync(".points)");
        await Expect(page.Locator("#nc-points")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator("#criteria tr:has(.tag.new)")).ToHaveCountAsync(0);
        await Shot(page, "review-5-criterion-refused.png", fullPage: false);

        await page.Locator("#nc-points").FillAsync("35");
        await page.Locator("#nc-points").PressAsync("Enter");
        var row = page.Locator("#criteria tr:has(.tag.new)");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row).ToContainTextAsync(featureLabel);
        await Expect(row.Locator("input.points")).ToHaveValueAsync("35");
        await Expect(row.Locator("input.points")).ToBeFocusedAsync();
        await Expect(page.Locator("#criterion-form")).ToBeHiddenAsync();
        var id = (await row.GetAttributeAsync("data-id"))!;
        await Shot(page, "review-6-criterion-added.png", fullPage: false);

        // Grade B above grade A is caught on the page; a hysteresis over 50 by the server; both beside the fields.
        await page.Locator("#grades-open").ClickAsync();
        await Expect(page.Locator("#grade-minScore-0")).ToBeFocusedAsync();
        var minB = page.Locator($"#grade-minScore-{b}");
        await minB.FillAsync((aMin + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(page.Locator("#grades-errors")).ToContainTextAsync("must be below grade A's");
        await Expect(minB).ToHaveAttributeAsync("aria-invalid", "true");
        await Shot(page, "review-7-grade-refused.png", fullPage: false);
        await minB.FillAsync(newB.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(page.Locator("#grades-errors")).ToBeEmptyAsync();
        await page.Locator("#hysteresis").FillAsync("60");
        await Expect(page.Locator("#grades-errors")).ToContainTextAsync("the hysteresis is 0 to 50 points ($.thresholds.hysteresis)");
        await page.Locator("#hysteresis").FillAsync("8");
        await Expect(page.Locator("#grades-errors")).ToBeEmptyAsync();

        // The top grade starts where sales-ready starts: its field is read-only and follows the threshold.
        var ready = aMin < 100 ? aMin + 1 : aMin - 0.5;
        var text = ready.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await Expect(page.Locator("#grade-minScore-0")).ToHaveAttributeAsync("readonly", "");
        await page.Locator("#sales-ready").FillAsync(text);
        await Expect(page.Locator("#grade-minScore-0")).ToHaveValueAsync(text);
        await Expect(page.Locator("#grade-top-help")).ToContainTextAsync("starts at the sales-ready threshold");
        await Expect(page.Locator("#grades-errors")).ToBeEmptyAsync();

        // The what-if follows the new criterion and the new band; the figures in force stay.
        await Expect(page.Locator("#whatif-grades")).ToContainTextAsync($"Grade B ≥ {newB}");
        await OrShot(page, "review-failed-whatif-added.png", () => page.WaitForFunctionAsync(
            "b => document.querySelector('#whatif-draft-auc').textContent + '|' + document.querySelector('#whatif-draft-ready').textContent !== b", before.Draft,
            new() { Timeout = 10_000 }));
        Assert.Equal(before.InForce, (await Figures(page)).InForce);
        await Expect(page.Locator("#whatif")).Not.ToHaveClassAsync("stale");
        await Shot(page, "review-8-added-and-graded.png", fullPage: false);

        await page.Locator("#save").ClickAsync();
        await Expect(page.Locator("#status")).ToContainTextAsync("Draft v1 saved");
        await Expect(page.Locator($"tr[data-id='{id}']")).ToBeVisibleAsync();
        await page.Locator("#approver").FillAsync("Ann Marketer");
        await page.Locator("#comment").FillAsync("software companies buy; B starts higher");
        await page.Locator("#approve").ClickAsync();
        await Confirm(page);
        await Expect(page.Locator("#status")).ToContainTextAsync("v1 approved by Ann Marketer");
        await Expect(page.Locator("#version-1")).ToContainTextAsync("in force");
        await Shot(page, "review-9-approved.png", fullPage: false);

        var v1 = await RuleSetEndpointsTests.Send(admin, HttpMethod.Get, "/rulesets/sample/1");
        Assert.Equal("approved", (string?)v1["summary"]!["status"]);
        var added = v1["rules"]!["criteria"]!.AsArray().Single(c => (string?)c!["id"] == id)!;
        Assert.Equal(featureLabel, (string?)added["label"]);
        Assert.Equal(35, (int)added["points"]!);
        Assert.Equal("fit", (string?)added["group"]);
        Assert.True((bool)added["enabled"]!);
        Assert.Equal(feature, (string?)added["condition"]!["feature"]);
        Assert.Equal("eq", (string?)added["condition"]!["op"]);
        Assert.Equal(1, (double)added["condition"]!["value"]!);
        var savedGrades = v1["rules"]!["grades"]!.AsArray();
        Assert.Equal(newB, (double)savedGrades.Single(g => (string?)g!["grade"] == "B")!["minScore"]!);
        Assert.Equal(ready, (double)savedGrades[0]!["minScore"]!);
        Assert.Equal(ready, (double)v1["rules"]!["thresholds"]!["salesReady"]!);
        Assert.Equal(grades.Count, savedGrades.Count);
        Assert.Equal(8, (double)v1["rules"]!["thresholds"]!["hysteresis"]!);

        using var scoring = new HttpClient { BaseAddress = root };
        scoring.DefaultRequestHeaders.Add("X-Api-Key", ApiFactory.ScoringKey);
        var score = await RuleSetEndpointsTests.Send(scoring, HttpMethod.Post, "/score", RuleSetEndpointsTests.Lead());
        Assert.Equal("v1", (string?)score["ruleSetVersion"]);
        var fired = score["rulePoints"]!["criteria"]!.AsArray().Single(c => (string?)c!["id"] == id)!;
        Assert.Equal(35, (int)fired["points"]!);
        Assert.Equal("fit", (string?)fired["group"]);

        Assert.Empty(errors);
        Assert.All(requests, r => Assert.StartsWith(root.ToString(), r));
    }

    [Fact]
    public async Task ANewCriterionsLabelIsTheConditionInTheApisWords_AndALabelOfOnesOwnKeepsThoseWordsAsItsDescription()
    {
        using var factory = ApiFactory.For(bundle.CopyTo());
        var root = factory.StartKestrel();
        var pricing = FeatureNames.Count("page_view", "/pricing", 30);
        var (page, requests, errors) = await Connect(root);
        await page.Locator("#create-draft").ClickAsync();
        await Expect(page.Locator("#status")).ToContainTextAsync("Draft v1 created from the suggestion");

        // The label follows the condition as it is typed: a count starts at "at least 1", then 3, then 3 to under 5.
        await page.Locator("#add-open").ClickAsync();
        await page.Locator("#nc-search").FillAsync("pricing");
        await page.Locator("#nc-feature").SelectOptionAsync(pricing);
        await Expect(page.Locator("#nc-op")).ToHaveValueAsync("gte");
        await Expect(page.Locator("#nc-label")).ToHaveValueAsync("Viewed /pricing in the last 30 days");
        await page.Locator("#nc-value").FillAsync("3");
        await Expect(page.Locator("#nc-label")).ToHaveValueAsync("Viewed /pricing 3 or more times in the last 30 days");
        await page.Locator("#nc-op").SelectOptionAsync("between");
        await page.Locator("#nc-upper").FillAsync("5");
        await Expect(page.Locator("#nc-label")).ToHaveValueAsync("Viewed /pricing 3–4 times in the last 30 days");
        await page.Locator("#nc-points").FillAsync("12");
        await page.Locator("#nc-points").PressAsync("Enter");
        var row = page.Locator("#criteria tr:has(.tag.new)");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row.Locator(".label")).ToContainTextAsync("Viewed /pricing 3–4 times in the last 30 days");
        await Expect(row.Locator(".desc")).ToBeEmptyAsync();
        await Shot(page, "review-6b-criterion-label-from-the-api.png", fullPage: false);

        // A label of the marketer's own stays as typed while the condition changes; the condition's words become its description.
        await page.Locator("#add-open").ClickAsync();
        await page.Locator("#nc-search").FillAsync("pricing");
        await page.Locator("#nc-feature").SelectOptionAsync(pricing);
        await page.Locator("#nc-label").FillAsync("Keen on prices");
        await page.Locator("#nc-value").FillAsync("6");
        await page.Locator("#nc-points").FillAsync("20");
        await page.Locator("#nc-points").PressAsync("Enter");
        var own = page.Locator("#criteria tr:has(.tag.new)", new() { HasText = "Keen on prices" });
        await Expect(own.Locator(".desc")).ToHaveTextAsync("Viewed /pricing 6 or more times in the last 30 days");
        Assert.DoesNotContain(pricing, await page.Locator("#criteria").InnerTextAsync(), StringComparison.Ordinal);

        Assert.Empty(errors);
        Assert.Contains(requests, r => r.EndsWith("/rulesets/sample/label", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AReviewerKeyEditsApprovesRestoresAndOpensTheReport_WithoutARefusal()
    {
        using var factory = ApiFactory.For(bundle.CopyTo());
        var root = factory.StartKestrel();
        var (page, requests, errors) = await Connect(root, ApiFactory.ReviewerKey);
        var refused = new List<string>();
        page.Response += (_, r) => { if (r.Status is 401 or 403) refused.Add($"{r.Status} {r.Url}"); };
        await Expect(page.Locator("#whatif-draft-auc")).Not.ToBeEmptyAsync();

        var row = page.Locator("#criteria tr[data-id]").First;
        var id = (await row.GetAttributeAsync("data-id"))!;
        await row.Locator("input.points").FillAsync("17");
        await row.Locator("input.points").PressAsync("Enter");
        await Expect(page.Locator("#status")).ToContainTextAsync("Draft v1 saved");
        await page.Locator("#approver").FillAsync("Rita Reviewer");
        await page.Locator("#approve").ClickAsync();
        await Confirm(page);
        await Expect(page.Locator("#status")).ToContainTextAsync("v1 approved by Rita Reviewer");
        await Expect(page.Locator("#version-1")).ToContainTextAsync("in force");
        await page.Locator("#version-0 button", new() { HasText = "Diff" }).ClickAsync();
        await Expect(page.Locator("#diff")).ToContainTextAsync("suggestion → v1");
        await page.Locator("#version-0 button", new() { HasText = "Restore" }).ClickAsync();
        await Confirm(page);
        await Expect(page.Locator("#status")).ToContainTextAsync("restored as v2");
        await Expect(page.Locator("#version-2")).ToContainTextAsync("in force");
        var report = await page.RunAndWaitForResponseAsync(() => page.Locator("#report-link").ClickAsync(),
            r => r.Url.EndsWith("/models/sample/report", StringComparison.Ordinal));
        Assert.Equal(200, report.Status);

        using var admin = new HttpClient { BaseAddress = root };
        admin.DefaultRequestHeaders.Add("X-Api-Key", ApiFactory.AdminKey);
        var v1 = (await RuleSetEndpointsTests.Send(admin, HttpMethod.Get, "/rulesets/sample/1"))["rules"]!;
        Assert.Equal(17, (int)v1["criteria"]!.AsArray().Single(c => (string?)c!["id"] == id)!["points"]!);
        var diff = await RuleSetEndpointsTests.Send(admin, HttpMethod.Get, "/rulesets/sample/diff?from=0&to=2");
        Assert.Empty(diff["changed"]!.AsArray());
        Assert.Empty(refused);
        Assert.Empty(errors);
        Assert.All(requests, r => Assert.StartsWith(root.ToString(), r));
    }

    [Fact]
    public async Task SavingOverAnotherReviewersChange_IsRefused_AndTheirChangeStays()
    {
        using var factory = ApiFactory.For(bundle.CopyTo());
        var root = factory.StartKestrel();
        var (page, _, errors) = await Connect(root, ApiFactory.ReviewerKey);
        await Expect(page.Locator("#whatif-draft-auc")).Not.ToBeEmptyAsync();
        var row = page.Locator("#criteria tr[data-id]").First;
        await row.Locator("input.points").FillAsync("17");
        await row.Locator("input.points").PressAsync("Enter");
        await Expect(page.Locator("#status")).ToContainTextAsync("Draft v1 saved");

        // Another reviewer adds a criterion to the same draft meanwhile.
        using var other = new HttpClient { BaseAddress = root };
        other.DefaultRequestHeaders.Add("X-Api-Key", ApiFactory.ReviewerKey);
        await RuleSetDraftEditTests.Answer(await other.SendAsync(new HttpRequestMessage(HttpMethod.Patch, "/rulesets/sample/1")
        {
            Content = RuleSetDraftEditTests.MergePatch(new Dictionary<string, object>
            {
                ["criteria"] = new Dictionary<string, object>
                {
                    ["big-company"] = new { label = "Big company", condition = new { feature = "attr.company_size", op = "gte", value = 1000 }, points = 12 },
                },
            }),
        }));

        await row.Locator("input.points").FillAsync("18");
        await row.Locator("input.points").PressAsync("Enter");

        await Expect(page.Locator("#status")).ToContainTextAsync("Not saved: 412");
        await Expect(page.Locator("#status")).ToContainTextAsync("was changed since you read it");
        var v1 = (await RuleSetEndpointsTests.Send(other, HttpMethod.Get, "/rulesets/sample/1"))["rules"]!;
        Assert.Contains(v1["criteria"]!.AsArray(), c => (string?)c!["id"] == "big-company");
        Assert.Equal(17, (int)v1["criteria"]![0]!["points"]!);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task ThePageFitsAt1280x720AndServesTheModelReport()
    {
        using var factory = ApiFactory.For(bundle.CopyTo());
        var root = factory.StartKestrel();
        var page = await NewPageAsync();
        await page.GotoAsync(new Uri(root, "/review").ToString());
        await page.Locator("#api-key").FillAsync(ApiFactory.AdminKey);
        await page.Locator("#api-key").PressAsync("Enter");
        await Expect(page.Locator("#whatif-draft-auc")).Not.ToBeEmptyAsync();

        // No horizontal scrolling; the what-if panel and the approve button are on screen without scrolling.
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= 1280"));
        await Expect(page.Locator("#whatif-chart")).ToBeInViewportAsync();
        await Expect(page.Locator("#save")).ToBeInViewportAsync();
        // The draft's fit × engagement matrix: sixteen cells, A1 with a rate and its leads.
        await Expect(page.Locator("#matrix-table td.cell")).ToHaveCountAsync(16);
        await Expect(page.Locator("#matrix-table td[data-cell='A1']")).ToContainTextAsync("%");
        await Shot(page, "review-4-viewport.png", fullPage: false);

        // With the criterion form and the grade editor open the table gives way; the page itself still does not scroll.
        await page.Locator("#add-open").ClickAsync();
        await page.Locator("#grades-open").ClickAsync();
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollHeight <= 720 && document.documentElement.scrollWidth <= 1280"));
        await Expect(page.Locator("#save")).ToBeInViewportAsync();
        await Expect(page.Locator("#hysteresis")).ToBeInViewportAsync();
        await Expect(page.Locator("#nc-add")).ToBeInViewportAsync();
        await Expect(page.Locator("#whatif-chart")).ToBeInViewportAsync();
        await Shot(page, "review-4-viewport-editors-open.png", fullPage: false);
        await page.Locator("#nc-cancel").ClickAsync();
        await Expect(page.Locator("#add-open")).ToBeFocusedAsync();
        await page.Locator("#grades-open").ClickAsync();
        await Expect(page.Locator("#grades-editor")).ToBeHiddenAsync();

        // Tab order: the key, Connect, the model picker, the report link, the lead timeline link, then the criteria.
        await page.Locator("#api-key").FocusAsync();
        var order = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            order.Add(await page.EvaluateAsync<string>("document.activeElement.id || document.activeElement.textContent"));
        }
        Assert.Equal(["Connect", "model", "report-link", "leads-link", "filter"], order);

        using var client = new HttpClient { BaseAddress = root };
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiFactory.ScoringKey);
        var report = await client.GetAsync("/models/sample/report");
        Assert.Equal(HttpStatusCode.OK, report.StatusCode);
        Assert.Equal("text/html", report.Content.Headers.ContentType?.MediaType);
        Assert.Contains("LeadML report", await report.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, (await new HttpClient { BaseAddress = root }.GetAsync("/models/sample/report")).StatusCode);
    }

    [Fact]
    public async Task ALeakInTheModelsHistory_ShowsABannerWithTheEvidence_AndNoneWithoutIt()
    {
        var folder = bundle.CopyTo();
        var metricsFile = Path.Combine(folder, "metrics.json");
        var metrics = BundleMetrics.Parse(File.ReadAllText(metricsFile));
        const string message = "column 'crm_status' alone separates converted from other leads: a model of that one column ranks 3,000 training leads with ROC-AUC 0.990";
        File.WriteAllText(metricsFile, (metrics with
        {
            Leaks = [.. metrics.Leaks, new LeakFinding(LeakKind.Column, message) { Column = "crm_status", RocAuc = 0.99 }],
        }).ToJson());
        using var factory = ApiFactory.For(folder);
        var root = factory.StartKestrel();

        var (page, _, errors) = await Connect(root);

        await Expect(page.Locator("#leak-banner")).ToBeVisibleAsync();
        await Expect(page.Locator("#leak-list li")).ToHaveTextAsync([message]);
        await Shot(page, "review-5-leak-banner.png", fullPage: false);
        Assert.Empty(errors);
        using var client = new HttpClient { BaseAddress = root };
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiFactory.ScoringKey);
        var model = JsonNode.Parse(await client.GetStringAsync("/models"))!.AsArray().Single()!;
        Assert.Equal([message], model["leaks"]!.AsArray().Select(l => (string)l!));

        // The sample's own bundle has only handled findings (events done after conversion): no banner.
        using var clean = ApiFactory.For(bundle.CopyTo());
        var (cleanPage, _, _) = await Connect(clean.StartKestrel());
        await Expect(cleanPage.Locator("#leak-banner")).ToBeHiddenAsync();
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    /// <summary>Confirms the dialog that approving and restoring open with their impact on the stored leads.</summary>
    internal static async Task Confirm(IPage page)
    {
        await Expect(page.Locator("#impact-dialog")).ToBeVisibleAsync();
        await Expect(page.Locator("#impact-summary")).Not.ToBeEmptyAsync();
        await page.Locator("#impact-confirm").ClickAsync();
        await Expect(page.Locator("#impact-dialog")).ToBeHiddenAsync();
    }

    private static async Task<(string Draft, string InForce)> Figures(IPage page) =>
        (await page.Locator("#whatif-draft-auc").TextContentAsync() + "|" + await page.Locator("#whatif-draft-ready").TextContentAsync(),
         await page.Locator("#whatif-inforce-auc").TextContentAsync() + "|" + await page.Locator("#whatif-inforce-ready").TextContentAsync());

    /// <summary>Runs a wait; when it fails, a screenshot shows what the page looked like.</summary>
    private async Task OrShot(IPage page, string name, Func<Task> wait)
    {
        try
        {
            await wait();
        }
        catch (TimeoutException)
        {
            await Shot(page, name);
            throw;
        }
    }

    private async Task Shot(IPage page, string name, bool fullPage = true)
    {
        var path = Chromium.ScreenshotPath(name);
        await page.ScreenshotAsync(new() { Path = path, FullPage = fullPage });
        output.WriteLine($"screenshot: {path}");
    }

    /// <summary>Opens the page at 1280×720, types the key (admin unless told) and waits until it is connected with the
    /// suggestion in force; requests and page errors are collected for the checks at the end.</summary>
    private async Task<(IPage Page, List<string> Requests, List<string> Errors)> Connect(Uri root, string key = ApiFactory.AdminKey)
    {
        var opened = await Open(NewPageAsync, output, root, key);
        await Expect(opened.Page.Locator("#status")).ToContainTextAsync("Connected: sample, suggested in force");
        return opened;
    }

    /// <summary>Opens the review page in a page from <paramref name="newPage"/> (one the test closes), types the key and
    /// waits until it is connected to model sample; its requests and script errors are collected and its console goes to
    /// the test's output.</summary>
    internal static async Task<(IPage Page, List<string> Requests, List<string> Errors)> Open(Func<Task<IPage>> newPage, ITestOutputHelper output,
        Uri root, string key = ApiFactory.AdminKey)
    {
        var page = await newPage();
        var requests = new List<string>();
        page.Request += (_, r) => requests.Add(r.Url);
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        page.Console += (_, m) => output.WriteLine($"console: {m.Text}");

        await page.GotoAsync(new Uri(root, "/review").ToString());
        await page.Locator("#api-key").FillAsync(key);
        await page.Locator("#api-key").PressAsync("Enter");
        await Expect(page.Locator("#status")).ToContainTextAsync("Connected: sample");
        return (page, requests, errors);
    }
}
