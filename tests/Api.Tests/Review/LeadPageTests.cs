using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LeadML.Api.Tests.Fixtures;
using static LeadML.Api.Tests.Fixtures.Answers;
using LeadML.Api.Tests.Store;
using LeadML.Tests.Shared;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static LeadML.Api.Tests.Leads.LeadBodies;
using static Microsoft.Playwright.Assertions;

namespace LeadML.Api.Tests.Review;

/// <summary>The lead timeline page (<c>/review/leads/{id}</c>) in a real headless Chromium at 1280×720, against the real Api on
/// Kestrel with a SQLite store and a hand-moved clock.</summary>
[Collection(BundleCollection.Name)]
public sealed partial class LeadPageTests(TrainedBundle bundle, Chromium chromium, ITestOutputHelper output) : IClassFixture<Chromium>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("leadml-leadpage-").FullName;
    private readonly ManualClock _clock = new(DateTimeOffset.UtcNow.AddDays(-40));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, true);
    }

    [Fact]
    public async Task TheLeadPageShowsTheScoreTimelineWithEachReasonInWords_AndTheReviewPageLinksToIt()
    {
        using var factory = ApiFactory.For(bundle.CopyTo(), ("LeadML:Store:Provider", "sqlite"), ("LeadML:Store:Path", Path.Combine(_folder, "leadml.db")),
                ("LeadML:Rescoring:PollInterval", "00:00:00.100"))
            .WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(_clock)));
        factory.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        var root = new Uri(factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        using var client = new HttpClient { BaseAddress = root };
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiFactory.ScoringKey);
        using var admin = new HttpClient { BaseAddress = root };
        admin.DefaultRequestHeaders.Add("X-Api-Key", ApiFactory.AdminKey);

        // A lead's life: created, its job title corrected, a demo request and pricing views, two weeks of quiet, a
        // reviewed rule set, then an administrator's look eight weeks ahead.
        var now = () => _clock.GetUtcNow();
        await Json(await client.PutAsJsonAsync("/leads/L-100", new { attributes = ColdLead, createdAt = now().AddDays(-3) }));
        _clock.Advance(TimeSpan.FromDays(2));
        await Json(await client.SendAsync(new HttpRequestMessage(HttpMethod.Patch, "/leads/L-100")
        {
            Content = new StringContent("""{"attributes": {"job_title": "CEO", "industry": "Software", "budget_known": true}}""", Encoding.UTF8, "application/merge-patch+json"),
        }));
        _clock.Advance(TimeSpan.FromDays(1));
        await Json(await client.PostAsJsonAsync("/leads/L-100/events", new
        {
            events = new object[]
            {
                new { eventId = "e1", type = "demo_request", timestamp = now().AddHours(-3) },
                new { eventId = "e2", type = "page_view", detail = "/pricing", timestamp = now().AddHours(-2) },
                new { eventId = "e3", type = "quote_request", timestamp = now().AddHours(-1) },
            },
        }));
        _clock.Advance(TimeSpan.FromDays(14));
        await WaitUntil(async () => (await Json(await client.GetAsync("/leads/L-100/history")))["changes"]!.AsArray().Any(c => (string?)c!["reason"] == "rescoring"),
            "the scheduled rescoring");
        var draft = await Json(await admin.PostAsJsonAsync("/rulesets/sample/drafts", new { from = (int?)null, createdBy = "Ann" }), HttpStatusCode.Created);
        var version = (int)draft["summary"]!["version"]!;
        await Json(await admin.PostAsJsonAsync($"/rulesets/sample/{version}/approve", new { approvedBy = "Ann", comment = "reviewed" }));
        await WaitUntil(async () => (await Json(await client.GetAsync("/leads/L-100/history")))["changes"]!.AsArray().Any(c => (string?)c!["reason"] == "new rule set"),
            "the rescoring with the approved rule set");
        await Json(await admin.PostAsJsonAsync("/admin/models/sample/rescore", new { asOf = now().AddDays(56) }));
        var history = (await Json(await client.GetAsync("/leads/L-100/history")))["changes"]!.AsArray();

        var page = await chromium.NewPageAsync();
        try
        {
            var requests = new List<string>();
            var errors = new List<string>();
            page.Request += (_, r) => requests.Add(r.Url);
            page.PageError += (_, e) => errors.Add(e);
            page.Console += (_, m) => output.WriteLine($"console: {m.Text}");

            // The review page links to the lead page.
            await page.GotoAsync(new Uri(root, "/review").ToString());
            await page.Locator("#leads-link").ClickAsync();
            await page.WaitForURLAsync(new Uri(root, "/review/leads").ToString());
            await Expect(page.Locator("#status")).ToContainTextAsync("Type your API key");

            // A scoring key is enough to read a lead; the id typed goes into the address.
            await page.Locator("#api-key").FillAsync(ApiFactory.ScoringKey);
            await page.Locator("#api-key").PressAsync("Enter");
            await Expect(page.Locator("#status")).ToContainTextAsync("type a lead id");
            await page.Locator("#lead-id").FillAsync("L-100");
            await page.Locator("#lead-id").PressAsync("Enter");
            await Expect(page.Locator("#status")).ToContainTextAsync($"Lead L-100: {history.Count} score changes");
            Assert.EndsWith("/review/leads/L-100?model=sample", page.Url, StringComparison.Ordinal);

            var rows = page.Locator("#changes tbody tr");
            await Expect(rows).ToHaveCountAsync(history.Count);
            var why = await page.Locator("#changes td.why").AllTextContentsAsync();
            var expected = history.Reverse().Select(c => (string)c!["description"]!).ToList();
            for (var i = 0; i < expected.Count; i++) Assert.StartsWith(expected[i], why[i].Trim(), StringComparison.Ordinal);
            var text = await page.Locator("main").InnerTextAsync();
            Assert.Contains("Requested a demo", text, StringComparison.Ordinal);
            Assert.Contains("Viewed /pricing", text, StringComparison.Ordinal);
            Assert.Contains("Job title", text, StringComparison.Ordinal);
            Assert.Contains($"Rule set v{version} put in force", text, StringComparison.Ordinal);
            Assert.Contains("Time passed: scored again 14 days after its last score", text, StringComparison.Ordinal);
            Assert.Contains("Time moved forward for a test", text, StringComparison.Ordinal);
            Assert.DoesNotMatch(FeatureId(), text);
            await Expect(page.Locator("#changes tr.test")).ToHaveCountAsync(1);
            await Expect(page.Locator("#timeline-note")).ToContainTextAsync("administrator");

            // The chart holds one point per change, in time order, and the sales-ready line.
            var points = await page.EvaluateAsync<int>("Chart.getChart('timeline-chart').data.datasets[0].data.filter(p => p.change).length");
            Assert.Equal(history.Count, points);
            Assert.StartsWith("Sales-ready at", await page.EvaluateAsync<string>("Chart.getChart('timeline-chart').data.datasets[1].label"), StringComparison.Ordinal);
            var shot = Chromium.ScreenshotPath("lead-1-timeline.png");
            await page.ScreenshotAsync(new() { Path = shot, FullPage = true });
            output.WriteLine($"screenshot: {shot}");

            // The scheduled rescoring and the approved rule set came at the same moment: one marker, split in both colours,
            // stands for both (neither hides the other), and its tooltip lists both changes.
            var rescoring = history.Single(c => (string?)c!["reason"] == "rescoring")!;
            var ruleSet = history.Single(c => (string?)c!["reason"] == "new rule set")!;
            Assert.Equal((DateTimeOffset)rescoring["at"]!, (DateTimeOffset)ruleSet["at"]!);
            const string shared = "Chart.getChart('timeline-chart').data.datasets[0].data.findIndex(p => p.group && p.group.length > 1)";
            Assert.Equal(["rescoring", "new rule set"],
                await page.EvaluateAsync<string[]>($"Chart.getChart('timeline-chart').data.datasets[0].data[{shared}].group.map(p => p.change.reason)"));
            Assert.True(await page.EvaluateAsync<bool>($"Chart.getChart('timeline-chart').data.datasets[0].pointStyle[{shared}] instanceof HTMLCanvasElement"));
            await Expect(page.Locator("#timeline-key")).ToContainTextAsync("changes at one moment share a marker");
            // Every other change has a marker of its own.
            Assert.Equal(history.Count - 1, await page.EvaluateAsync<int>("Chart.getChart('timeline-chart').data.datasets[0].data.filter(p => p.group).length"));
            var at = await page.EvaluateAsync<double[]>($"(e => [e.x, e.y])(Chart.getChart('timeline-chart').getDatasetMeta(0).data[{shared}])");
            var box = (await page.Locator("#timeline-chart").BoundingBoxAsync())!;
            await page.Mouse.MoveAsync(box.X + (float)at[0], box.Y + (float)at[1]);
            await page.WaitForFunctionAsync("Chart.getChart('timeline-chart').tooltip.getActiveElements().length > 0");
            var lines = await page.EvaluateAsync<string[]>("Chart.getChart('timeline-chart').tooltip.body.flatMap(b => b.lines)");
            Assert.Equal(2, lines.Length);
            Assert.EndsWith((string)rescoring["description"]!, lines[0], StringComparison.Ordinal);
            Assert.EndsWith((string)ruleSet["description"]!, lines[1], StringComparison.Ordinal);
            shot = Chromium.ScreenshotPath("lead-2-shared-marker.png");
            await page.ScreenshotAsync(new() { Path = shot });
            output.WriteLine($"screenshot: {shot}");

            // An unknown lead says so in words; reloading a lead's address shows it again with the stored key.
            await page.Locator("#lead-id").FillAsync("nobody");
            await page.Locator("#lead-id").PressAsync("Enter");
            await Expect(page.Locator("#status")).ToContainTextAsync("Model sample has no lead 'nobody'");
            await page.GotoAsync(new Uri(root, "/review/leads/L-100").ToString());
            await Expect(page.Locator("#changes tbody tr")).ToHaveCountAsync(history.Count);

            Assert.Empty(errors);
            Assert.All(requests, r => Assert.StartsWith(root.ToString(), r, StringComparison.Ordinal));
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    /// <summary>A feature id as the model names it (<c>attr.job_title=CEO</c>, <c>evt.page_view[/pricing].count_30d</c>), which a
    /// marketer never reads.</summary>
    [GeneratedRegex(@"\b(attr|evt|act)\.[a-z_]")]
    private static partial Regex FeatureId();
}
