using LeadML.Features.Featurization;
using LeadML.Features.Reporting;
using LeadML.Features.Rules;
using LeadML.Tests.Shared;

namespace LeadML.Trainer.Tests.Reporting;

/// <summary>The procedures guide as a marketer prints it: fit and engagement apart, each criterion with its points and
/// evidence, no knock-out section when there are none.</summary>
public sealed class GuideWriterTests(Chromium chromium) : IClassFixture<Chromium>
{
    [Fact]
    public async Task Guide_GroupsFitAndEngagement_WithEvidence_AndPrintsOnA4()
    {
        var rules = ReportWriterTests.Rules() with { Status = RuleSetStatus.Approved, Version = 3, ApprovedBy = "Dana", ApprovedAt = new DateTime(2025, 2, 1) };
        var evidence = new Dictionary<string, GuideWriter.Evidence> { ["pricing-3"] = new(800, 160), ["student"] = new(400, 4) };
        var html = GuideWriter.Render(ReportWriterTests.Manifest(), rules, evidence, 0.08, "the test period");
        Assert.DoesNotContain("knock", html, StringComparison.OrdinalIgnoreCase);
        var file = Path.Combine(Path.GetTempPath(), $"leadml-guide-{Guid.NewGuid():N}.html");
        await File.WriteAllTextAsync(file, html);
        try
        {
            var page = await chromium.NewPageAsync();
            await page.GotoAsync(new Uri(file).AbsoluteUri);
            Assert.Contains("version 3, approved by Dana on 2025-02-01", await page.InnerTextAsync("header"), StringComparison.Ordinal);
            Assert.Contains("Start at 30 points", await page.InnerTextAsync("#how"), StringComparison.Ordinal);
            var pricing = await page.InnerTextAsync("#engagement-table tr[data-id='pricing-3']");
            Assert.Contains("+25", pricing, StringComparison.Ordinal);
            Assert.Contains("20.0%", pricing, StringComparison.Ordinal);
            Assert.Contains("×2.5", pricing, StringComparison.Ordinal);
            Assert.Contains("-31", await page.InnerTextAsync("#fit-table tr[data-id='student']"), StringComparison.Ordinal);
            Assert.Equal(0, await page.Locator("#fit-table tr[data-id='pricing-3']").CountAsync());
            Assert.Contains("A from 70", await page.InnerTextAsync("#matrix"), StringComparison.Ordinal);
            await page.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("guide.png"), FullPage = true });
            var pdf = await page.PdfAsync(new() { Format = "A4", Path = Chromium.ScreenshotPath("guide.pdf") });
            Assert.True(pdf.Length > 1000);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Guide_WithoutEvidence_UsesTheStoredSupport()
    {
        var html = GuideWriter.Render(ReportWriterTests.Manifest(), ReportWriterTests.Rules(), new Dictionary<string, GuideWriter.Evidence>(), 0.1, "the validation period");
        Assert.Contains("812", html, StringComparison.Ordinal);
        Assert.Contains("suggested by the trainer, not approved yet", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Guide_WithKnockOuts_ListsTheEnabledOnesFirst_WithTheirEvidence()
    {
        var rules = ReportWriterTests.Rules() with { KnockOuts = ReportWriterTests.KnockOuts() };
        var html = System.Net.WebUtility.HtmlDecode(GuideWriter.Render(ReportWriterTests.Manifest(), rules, new Dictionary<string, GuideWriter.Evidence>(), 0.1, "the validation period"));

        var section = html.IndexOf("<section id=\"knock-outs\">", StringComparison.Ordinal);
        Assert.True(section > 0 && section < html.IndexOf("<section id=\"fit\">", StringComparison.Ordinal), "the knock-outs come before the criteria");
        Assert.Contains("never sales-ready", html, StringComparison.Ordinal);
        Assert.Contains("<li data-id=\"unsubscribed\">Unsubscribed at some time <small>(1,287 leads, 6.5% converted; all leads 11.7%)</small>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-id=\"off\"", html, StringComparison.Ordinal);
    }
}
