using System.Net;
using System.Text.Json.Nodes;
using LeadML.Api.Tests.Fixtures;
using LeadML.Api.Tests.RuleSets;
using LeadML.Tests.Shared;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace LeadML.Api.Tests.Review;

/// <summary>
/// The review page does what the marketer thinks, in a real headless Chromium at 1280×720 against the real Api: it says
/// how to start, opens the draft the marketer chose (never silently someone else's newer one), lists open drafts with
/// author and base version, discards drafts, asks before unsaved edits are lost, reads diffs from the older version to
/// the newer with every change the Api lists, and shows who changed what.
/// </summary>
[Collection(BundleCollection.Name)]
public sealed class ReviewPageDraftTests(TrainedBundle bundle, Chromium chromium, ITestOutputHelper output) : PageSuite(chromium), IClassFixture<Chromium>
{
    [Fact]
    public async Task BeforeAKeyIsTyped_ThePageSaysHowToStart_ThenSupportIsLabelledAndSalesReadyLeadsAreWhole()
    {
        using var factory = ApiFactory.For(bundle.CopyTo());
        var root = factory.StartKestrel();
        var page = await NewPage();
        await page.GotoAsync(new Uri(root, "/review").ToString());

        await Expect(page.Locator("#start-help")).ToBeVisibleAsync();
        await Expect(page.Locator("#start-help")).ToContainTextAsync("Type your reviewer or admin key above and press Connect");
        await Expect(page.Locator("#start-help")).ToContainTextAsync("Approve");
        await Shot(page, "review-drafts-0-how-to-start.png", fullPage: false);

        await page.Locator("#api-key").FillAsync(ApiFactory.AdminKey);
        await page.Locator("#api-key").PressAsync("Enter");
        await Expect(page.Locator("#status")).ToContainTextAsync("Connected: sample");
        await Expect(page.Locator("#start-help")).ToBeHiddenAsync();
        await Expect(page.Locator("#whatif-draft-ready")).Not.ToBeEmptyAsync();

        // Support reads "leads (conversions)", each cell saying it in words; sales-ready leads per month are whole leads.
        await Expect(page.Locator("#criteria thead")).ToContainTextAsync("Leads (conversions)", new() { UseInnerText = true });
        var cell = page.Locator("#criteria tbody tr td.support").First;
        Assert.Matches(@"^[\d,]+ leads matched, [\d,]+ of them converted", await cell.GetAttributeAsync("title"));
        Assert.Matches(@"^[\d,]+ \([\d,]+\)", (await cell.TextContentAsync())!.Trim());
        Assert.Matches(@"^[\d,]+$", await page.Locator("#whatif-draft-ready").TextContentAsync());
        Assert.Matches(@"^[\d,]+$", await page.Locator("#whatif-inforce-ready").TextContentAsync());
        await Expect(page.Locator("#whatif-draft-points-ready")).Not.ToHaveTextAsync("–");
        Assert.Matches(@"^[\d,]+$", await page.Locator("#whatif-draft-points-ready").TextContentAsync());
        await Expect(page.Locator("#drafts-none")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task WithTwoOpenDrafts_NeitherOpensUnasked_TheListNamesAuthorAndBase_AndAReloadKeepsTheOneChosen()
    {
        using var factory = ApiFactory.For(bundle.CopyTo());
        var root = factory.StartKestrel();
        using var admin = Client(root);
        await Send(admin, HttpMethod.Post, "/rulesets/sample/drafts", new { createdBy = "Ann" }, HttpStatusCode.Created);
        var v1 = (await Send(admin, HttpMethod.Post, "/rulesets/sample/1/approve", new { approvedBy = "Ann" }))["rules"]!;
        var id = (string)v1["criteria"]![0]!["id"]!;
        var inForce = (int)v1["criteria"]![0]!["points"]!;
        await Send(admin, HttpMethod.Post, "/rulesets/sample/drafts", new { from = 1, createdBy = "Ann" }, HttpStatusCode.Created);
        await SetPoints(admin, 2, id, 33, "Ann");
        // Bob's draft is newer, and changed last.
        await Send(admin, HttpMethod.Post, "/rulesets/sample/drafts", new { createdBy = "Bob" }, HttpStatusCode.Created);
        await SetPoints(admin, 3, id, 44, "Bob");

        var (page, errors) = await Connect(root, "Connected: sample, v1 in force.");

        // Nothing is opened for the marketer: the table is the version in force, the status points to the list.
        await Expect(page.Locator("#status")).ToContainTextAsync("2 open drafts");
        await Expect(page.Locator("#editing")).ToContainTextAsync("new draft from v1");
        await Expect(Points(page, id)).ToHaveValueAsync(inForce.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(page.Locator("#drafts tbody tr")).ToHaveCountAsync(2);
        await Expect(page.Locator("#drafts tbody tr").First).ToHaveIdAsync("draft-3");
        await Expect(page.Locator("#draft-3")).ToContainTextAsync("Bob");
        await Expect(page.Locator("#draft-3")).ToContainTextAsync("the suggestion");
        await Expect(page.Locator("#draft-2")).ToContainTextAsync("Ann");
        await Expect(page.Locator("#draft-2 td").Nth(2)).ToHaveTextAsync("v1");
        await Expect(page.Locator("#draft-2")).ToContainTextAsync("1 edit");
        await Shot(page, "review-drafts-1-two-open.png", fullPage: false);

        await page.Locator("#draft-2 button", new() { HasText = "Open" }).ClickAsync();
        await Expect(page.Locator("#editing")).ToContainTextAsync("draft v2 by Ann, from v1");
        await Expect(Points(page, id)).ToHaveValueAsync("33");
        await Expect(page.Locator("#draft-2")).ToContainTextAsync("editing");

        // Bob changes his draft again; a reload still opens Ann's, the one chosen in this tab.
        await SetPoints(admin, 3, id, 45, "Bob");
        await page.ReloadAsync();
        await Expect(page.Locator("#status")).ToContainTextAsync("Connected: sample, v1 in force.");
        await Expect(page.Locator("#editing")).ToContainTextAsync("draft v2");
        await Expect(Points(page, id)).ToHaveValueAsync("33");
        await Expect(page.Locator("#draft-2")).ToContainTextAsync("editing");
        await Shot(page, "review-drafts-2-chosen-after-reload.png", fullPage: false);

        // Once approved, the draft is no longer open: the page says so and starts from the version in force.
        await Send(admin, HttpMethod.Post, "/rulesets/sample/2/approve", new { approvedBy = "Ann" });
        await page.ReloadAsync();
        await Expect(page.Locator("#status")).ToContainTextAsync("Draft v2, which you were editing, is no longer open");
        await Expect(page.Locator("#editing")).ToContainTextAsync("new draft from v2");
        await Expect(page.Locator("#drafts tbody tr")).ToHaveCountAsync(1);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task DiscardingADraft_AsksFirst_RemovesItUnderYourName_AndRefusesToDiscardAnotherReviewersNewerChange()
    {
        using var factory = ApiFactory.For(bundle.CopyTo());
        var root = factory.StartKestrel();
        using var admin = Client(root);
        var ann = (await Send(admin, HttpMethod.Post, "/rulesets/sample/drafts", new { createdBy = "Ann" }, HttpStatusCode.Created))["rules"]!;
        var id = (string)ann["criteria"]![0]!["id"]!;
        await Send(admin, HttpMethod.Post, "/rulesets/sample/drafts", new { createdBy = "Bob" }, HttpStatusCode.Created);
        var (page, errors) = await Connect(root, "Connected: sample, suggested in force.");
        await page.Locator("#approver").FillAsync("Cleo");
        var dialogs = new List<string>();
        var accept = false;
        page.Dialog += async (_, d) =>
        {
            dialogs.Add(d.Message);
            if (accept) await d.AcceptAsync();
            else await d.DismissAsync();
        };

        // Cancelled: nothing is discarded.
        await page.Locator("#draft-2 button", new() { HasText = "Discard" }).ClickAsync();
        Assert.Contains("Discard draft v2 by Bob (from the suggestion)?", Assert.Single(dialogs), StringComparison.Ordinal);
        await Expect(page.Locator("#draft-2")).ToBeVisibleAsync();
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/rulesets/sample/2")).StatusCode);

        accept = true;
        await page.Locator("#draft-2 button", new() { HasText = "Discard" }).ClickAsync();
        await Expect(page.Locator("#status")).ToContainTextAsync("Draft v2 discarded.");
        await Expect(page.Locator("#draft-2")).ToHaveCountAsync(0);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/rulesets/sample/2")).StatusCode);
        var last = (await Send(admin, HttpMethod.Get, "/rulesets/sample/audit")).AsArray()[^1]!;
        Assert.Equal(("discarded", "Cleo"), ((string?)last["action"], (string?)last["actor"]));
        await page.Locator("#audit summary").ClickAsync();
        await Expect(page.Locator("#audit-list li").First).ToContainTextAsync("v2 discarded by Cleo");

        // Ann's draft, opened here, then changed by Ann elsewhere: discarding it from here would lose her change unseen.
        await page.Locator("#draft-1 button", new() { HasText = "Open" }).ClickAsync();
        await Expect(page.Locator("#editing")).ToContainTextAsync("draft v1");
        await SetPoints(admin, 1, id, 21, "Ann");
        await page.Locator("#draft-1 button", new() { HasText = "Discard" }).ClickAsync();
        await Expect(page.Locator("#status")).ToContainTextAsync("Not discarded: 412, draft v1 was changed by someone else since you opened it");
        var kept = (await Send(admin, HttpMethod.Get, "/rulesets/sample/1"))["rules"]!;
        Assert.Equal(21, (int)kept["criteria"]!.AsArray().Single(c => (string?)c!["id"] == id)!["points"]!);
        await Shot(page, "review-drafts-3-discard-refused.png", fullPage: false);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task UnsavedEdits_AskBeforeTheTabIsLeft_AndNotOnceSaved()
    {
        using var factory = ApiFactory.For(bundle.CopyTo());
        var root = factory.StartKestrel();
        var (page, errors) = await Connect(root, "Connected: sample, suggested in force.");
        await Expect(page.Locator("#whatif-draft-auc")).Not.ToBeEmptyAsync();
        const string leaving = "() => { const e = new Event('beforeunload', { cancelable: true }); window.dispatchEvent(e); return e.defaultPrevented; }";
        Assert.False(await page.EvaluateAsync<bool>(leaving));

        var row = page.Locator("#criteria tr[data-id]").First;
        await row.Locator("input.points").FillAsync("17");
        await Expect(page.Locator("#editing")).ToContainTextAsync("unsaved changes");
        Assert.True(await page.EvaluateAsync<bool>(leaving));

        // The browser's own question: staying keeps the page and the edit.
        var asked = new TaskCompletionSource<string>();
        page.Dialog += async (_, d) =>
        {
            asked.TrySetResult(d.Type);
            await d.DismissAsync();
        };
        await page.CloseAsync(new() { RunBeforeUnload = true });
        Assert.Equal("beforeunload", await asked.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.False(page.IsClosed);
        await Expect(row.Locator("input.points")).ToHaveValueAsync("17");

        await row.Locator("input.points").PressAsync("Enter");
        await Expect(page.Locator("#status")).ToContainTextAsync("Draft v1 saved");
        Assert.False(await page.EvaluateAsync<bool>(leaving));
        Assert.Empty(errors);
    }

    [Fact]
    public async Task TheDiffReadsFromTheOlderVersionToTheNewer_ShowsEveryChangeTheApiLists_AndTheAuditSaysWhoChangedWhat()
    {
        using var factory = ApiFactory.For(bundle.CopyTo());
        var root = factory.StartKestrel();
        using var admin = Client(root);
        var rules = (await Send(admin, HttpMethod.Post, "/rulesets/sample/drafts", new { createdBy = "Ann" }, HttpStatusCode.Created))["rules"]!;
        var criteria = rules["criteria"]!.AsArray();
        var grades = rules["grades"]!.AsArray();
        await Send(admin, HttpMethod.Put, "/rulesets/sample/1", new
        {
            basePoints = (double)rules["basePoints"]! + 1,
            thresholds = new { hysteresis = (double)rules["thresholds"]!["hysteresis"]! + 2 },
            criteria = criteria.Select((c, i) => new { id = (string)c!["id"]!, points = (int)c["points"]! + (i == 0 ? 5 : 0), enabled = i != 1 }),
            grades = grades.Select((g, i) => new { grade = (string)g!["grade"]!, minScore = (double)g["minScore"]!, label = i == grades.Count - 1 ? "Not for sales" : (string?)g["label"] }),
            editedBy = "Ann",
        });
        await Send(admin, HttpMethod.Post, "/rulesets/sample/1/approve", new { approvedBy = "Ann" });
        await Send(admin, HttpMethod.Post, "/rulesets/sample/drafts", new { from = 1, createdBy = "Bob" }, HttpStatusCode.Created);
        await SetPoints(admin, 2, (string)criteria[2]!["id"]!, 40, "Bob");
        var (page, errors) = await Connect(root, "Connected: sample, v1 in force.");

        // The suggestion is older than v1 in force: read from it to v1, every sentence of the Api's diff, hysteresis included.
        await page.Locator("#version-0 button", new() { HasText = "Diff" }).ClickAsync();
        await Expect(page.Locator("#diff h3")).ToContainTextAsync("suggestion → v1");
        var sentences = (await Send(admin, HttpMethod.Get, "/rulesets/sample/diff?from=0&to=1"))["sentences"]!.AsArray().Select(s => (string)s!).ToList();
        Assert.Equal(5, sentences.Count);
        await Expect(page.Locator("#diff li")).ToHaveTextAsync([.. sentences]);
        await Expect(page.Locator("#diff")).ToContainTextAsync($"Hysteresis {rules["thresholds"]!["hysteresis"]} → {(double)rules["thresholds"]!["hysteresis"]! + 2} points.");
        await Expect(page.Locator("#diff")).ToContainTextAsync("“Not for sales”");
        await Expect(page.Locator("#diff")).ToContainTextAsync("switched off");

        // A draft newer than the version in force: from v1 to v2.
        await page.Locator("#version-2 button", new() { HasText = "Diff" }).ClickAsync();
        await Expect(page.Locator("#diff h3")).ToContainTextAsync("v1 → v2");
        await Expect(page.Locator("#diff li")).ToHaveTextAsync([$"“{(string)criteria[2]!["label"]!}”: {Signed((int)criteria[2]!["points"]!)} → +40 points."]);

        // The audit, newest first: who made each change and, for an edit, what it changed.
        await page.Locator("#audit summary").ClickAsync();
        var audit = page.Locator("#audit-list li");
        await Expect(audit.First).ToContainTextAsync($"v2 edited by Bob: “{(string)criteria[2]!["label"]!}”");
        await Expect(audit.Nth(1)).ToContainTextAsync("v2 created by Bob: from version 1");
        await Expect(audit.Nth(2)).ToContainTextAsync("v1 approved by Ann");
        await Expect(audit.Nth(3)).ToContainTextAsync("v1 edited by Ann: Base points");
        await Expect(audit.Nth(3)).ToContainTextAsync("Hysteresis");
        await page.Locator("#audit").ScrollIntoViewIfNeededAsync();
        await Shot(page, "review-drafts-4-diff-and-audit.png", fullPage: false);
        Assert.Empty(errors);
    }

    private static string Signed(int points) => points.ToString("+0;-0;0", System.Globalization.CultureInfo.InvariantCulture);

    private static ILocator Points(IPage page, string id) => page.Locator($"tr[data-id='{id}'] input.points");

    private static HttpClient Client(Uri root)
    {
        var c = new HttpClient { BaseAddress = root };
        c.DefaultRequestHeaders.Add("X-Api-Key", ApiFactory.AdminKey);
        return c;
    }

    private static Task<JsonNode> Send(HttpClient client, HttpMethod method, string url, object? body = null, HttpStatusCode expected = HttpStatusCode.OK) =>
        RuleSetEndpointsTests.Send(client, method, url, body, expected);

    private static async Task SetPoints(HttpClient client, int version, string id, int points, string by) =>
        await RuleSetDraftEditTests.Answer(await client.SendAsync(new HttpRequestMessage(HttpMethod.Patch, $"/rulesets/sample/{version}")
        {
            Content = RuleSetDraftEditTests.MergePatch(new Dictionary<string, object>
            {
                ["criteria"] = new Dictionary<string, object> { [id] = new { points } },
                ["editedBy"] = by,
            }),
        }));

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    private async Task<IPage> NewPage()
    {
        var page = await NewPageAsync();
        page.Console += (_, m) => output.WriteLine($"console: {m.Text}");
        return page;
    }

    private async Task Shot(IPage page, string name, bool fullPage = true)
    {
        var path = Chromium.ScreenshotPath(name);
        await page.ScreenshotAsync(new() { Path = path, FullPage = fullPage });
        output.WriteLine($"screenshot: {path}");
    }

    /// <summary>Opens the page at 1280×720, types the admin key and waits for <paramref name="connected"/> in the status line;
    /// page errors are collected for the checks at the end.</summary>
    private async Task<(IPage Page, List<string> Errors)> Connect(Uri root, string connected)
    {
        var page = await NewPage();
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        await page.GotoAsync(new Uri(root, "/review").ToString());
        await page.Locator("#api-key").FillAsync(ApiFactory.AdminKey);
        await page.Locator("#api-key").PressAsync("Enter");
        await Expect(page.Locator("#status")).ToContainTextAsync(connected);
        return (page, errors);
    }
}
