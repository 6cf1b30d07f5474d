using System.Globalization;
using System.Text.Json.Nodes;
using LeadML.Features.Bundles;
using LeadML.Features.Featurization;
using LeadML.Features.Rules;
using LeadML.Tests.Shared;
using LeadML.Features.Reporting;

namespace LeadML.Trainer.Tests.Reporting;

/// <summary>Opens the rendered report in a real headless Chromium, as a marketer would, and checks that the charts
/// drew and that the tables hold the bundle's numbers.</summary>
public sealed class ReportWriterTests(Chromium chromium) : IClassFixture<Chromium>
{
    internal static BundleManifest Manifest() => new()
    {
        FormatVersion = 1, Name = "sample", ModelVersion = "sample-20250101T000000Z", CreatedAt = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc),
        ModelKind = ModelKind.Trees, DataFingerprint = "abc123", FeatureCount = 3, Engine = "xgboost 1.7.4", Settings = new Dictionary<string, string>(),
        Window = new TrainingWindow([], 90,
            new PeriodSummary(new DateTime(2024, 1, 1), new DateTime(2024, 6, 1), 5000, 400),
            new PeriodSummary(new DateTime(2024, 7, 1), new DateTime(2024, 8, 1), 1500, 120),
            new PeriodSummary(new DateTime(2024, 9, 1), new DateTime(2024, 11, 1), 2000, 170)),
    };

    internal static RuleSet Rules() => new()
    {
        ModelVersion = "sample-20250101T000000Z", Scale = new PointsScale(20, 28.85), BasePoints = 30,
        Criteria =
        [
            new Criterion { Id = "pricing-3", Label = "pricing views in 30 days: 3 or more", Group = CriterionGroup.Engagement, Points = 25,
                Condition = new Condition("evt.page_view[/pricing].count_30d", ConditionOp.Gte, 3), Support = new Support(812, 160, 0.197),
                Interval = new PointsInterval(21, 29), Description = "Leads who looked at pricing often." },
            new Criterion { Id = "student", Label = "job_title = Student", Group = CriterionGroup.Fit, Points = -31,
                Condition = new Condition("attr.job_title=Student", ConditionOp.Eq, 1), Support = new Support(390, 4, 0.0103),
                Interval = new PointsInterval(-40, -22), LowSupport = true },
        ],
        Thresholds = new Thresholds(70, 6),
        Grades = [new GradeBand("A", 70, "sales-ready"), new GradeBand("B", 50), new GradeBand("C", 30), new GradeBand("D", 0)],
        Matrix = new FitEngagementMatrix([70, 45, 20], [60, 35, 15]),
    };

    /// <summary>metrics.json as a bundle holds it, read through the typed contract.</summary>
    internal static BundleMetrics Metrics()
    {
        var lift = new JsonArray();
        for (var d = 1; d <= 10; d++)
        {
            lift.Add(new JsonObject { ["decile"] = d, ["count"] = 200, ["positives"] = 40 - 3 * d, ["rate"] = (40 - 3 * d) / 200.0, ["lift"] = (40 - 3 * d) / 17.0, ["cumulativeGain"] = Math.Min(1, d / 5.0) });
        }
        var calibration = new JsonArray();
        for (var b = 0; b < 10; b++)
        {
            calibration.Add(new JsonObject { ["bin"] = b, ["count"] = 100, ["meanPredicted"] = b / 10.0 + 0.05, ["observedRate"] = b / 10.0 + 0.04 });
        }
        return BundleMetrics.Parse(new JsonObject
        {
            ["test"] = new JsonObject { ["rocAuc"] = 0.8123, ["prAuc"] = 0.41, ["logLoss"] = 0.25, ["brier"] = 0.07, ["expectedCalibrationError"] = 0.012, ["positiveRate"] = 0.085, ["rows"] = 2000, ["lift"] = lift, ["calibration"] = calibration },
            ["validation"] = new JsonObject { ["rocAuc"] = 0.83, ["rows"] = 1500 },
            ["pointsOnly"] = new JsonObject
            {
                ["test"] = new JsonObject { ["rocAuc"] = 0.7987, ["ratio"] = 0.983 }, ["criteria"] = 2, ["everyBand"] = 31,
                ["curve"] = new JsonArray(
                    new JsonObject { ["criteria"] = 1, ["validationRocAuc"] = 0.71, ["testRocAuc"] = 0.70, ["ratio"] = 0.862 },
                    new JsonObject { ["criteria"] = 2, ["validationRocAuc"] = 0.80, ["testRocAuc"] = 0.7987, ["ratio"] = 0.983 },
                    new JsonObject { ["criteria"] = 31, ["validationRocAuc"] = 0.81, ["testRocAuc"] = 0.8050, ["ratio"] = 0.991 }),
                ["leftOut"] = new JsonArray(
                    new JsonObject { ["family"] = "evt.webinar", ["label"] = "webinars", ["group"] = "engagement", ["bands"] = 3, ["kept"] = 0, ["why"] = "left out: its 3 criteria would add +0.0004" }),
            },
            ["chosen"] = new JsonObject { ["description"] = "trees depth 3", ["why"] = "best validation ROC-AUC", ["calibration"] = "Platt" },
            ["grades"] = new JsonObject { ["test"] = new JsonArray(
                new JsonObject { ["grade"] = "A", ["share"] = 0.093, ["conversionRate"] = 0.412, ["leadsPerMonth"] = 62.0 },
                new JsonObject { ["grade"] = "D", ["share"] = 0.4, ["conversionRate"] = 0.011, ["leadsPerMonth"] = 266.7 }) },
            ["thresholds"] = new JsonObject { ["why"] = "top 10 % of leads" },
            ["profile"] = new JsonArray(new JsonObject { ["label"] = "pricing views in 30 days: 3 or more", ["lift"] = 2.3, ["shareOfConverters"] = 0.45, ["shareOfLeads"] = 0.2 }),
            ["positiveRateByPeriod"] = new JsonArray(
                new JsonObject { ["cutoff"] = "2024-01-01", ["period"] = "train", ["rate"] = 0.08 },
                new JsonObject { ["cutoff"] = "2024-09-01", ["period"] = "test", ["rate"] = 0.09 }),
            ["drift"] = new JsonArray(new JsonObject { ["feature"] = "lead.age_days", ["psi"] = 0.31, ["band"] = "significant" },
                new JsonObject { ["feature"] = "attr.country=FR", ["psi"] = 0.01, ["band"] = "stable" }),
            ["warnings"] = new JsonArray("column 'closed_at' alone predicts the outcome (AUC 0.99)"),
            ["matrix"] = new JsonObject { ["test"] = new JsonArray([.. new FitEngagementMatrix([70, 45, 20], [60, 35, 15]).Cells().Select((c, k) =>
                (JsonNode)new JsonObject { ["cell"] = c, ["leads"] = 100 + k, ["share"] = 0.05, ["conversions"] = 16 - k, ["conversionRate"] = (16 - k) / (100.0 + k) })]), ["validation"] = new JsonArray() },
        }.ToJsonString());
    }

    [Fact]
    public async Task Report_OpensOffline_ChartsRender_TablesHoldTheBundleNumbers()
    {
        var html = ReportWriter.Render(Manifest(), Metrics(), Rules());
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("<script src", html, StringComparison.Ordinal);
        var file = Path.Combine(Path.GetTempPath(), $"leadml-report-{Guid.NewGuid():N}.html");
        await File.WriteAllTextAsync(file, html);
        try
        {
            var page = await chromium.NewPageAsync();
            var failed = new List<string>();
            page.RequestFailed += (_, r) => failed.Add(r.Url);
            await page.GotoAsync(new Uri(file).AbsoluteUri);
            await page.WaitForSelectorAsync("body[data-charts-ready='true']", new() { Timeout = 10000 });

            foreach (var id in new[] { "chart-points", "chart-gain", "chart-calibration", "chart-periods" })
            {
                var drawn = await page.EvaluateAsync<bool>($"() => {{ const c = Chart.getChart('{id}'); return !!c && c.data.datasets[0].data.length > 0 && document.getElementById('{id}').width > 0; }}");
                Assert.True(drawn, $"{id} did not render");
            }
            Assert.Equal("0.812", await page.InnerTextAsync("#metric-test-rocauc"));
            Assert.Equal("0.799", await page.InnerTextAsync("#metric-points-rocauc"));
            Assert.Equal("+25", await page.InnerTextAsync("#criteria-table tr[data-id='pricing-3'] td.pts"));
            Assert.Equal("-31", await page.InnerTextAsync("#criteria-table tr[data-id='student'] td.pts"));
            Assert.Contains("low", await page.GetAttributeAsync("#criteria-table tr[data-id='student']", "class") ?? "", StringComparison.Ordinal);
            Assert.Contains("41.2%", await page.InnerTextAsync("#grades-table tr[data-grade='A']"), StringComparison.Ordinal);
            // Leads per month are whole leads (266.7 a month reads 267).
            Assert.EndsWith("267", (await page.InnerTextAsync("#grades-table tr[data-grade='D']")).Trim(), StringComparison.Ordinal);
            Assert.Contains("lead.age_days", await page.InnerTextAsync("#drift-table"), StringComparison.Ordinal);
            Assert.DoesNotContain("attr.country=FR", await page.InnerTextAsync("#drift-table"), StringComparison.Ordinal);
            Assert.Contains("closed_at", await page.InnerTextAsync("#warnings"), StringComparison.Ordinal);
            // The compact table: what it leaves out and what a shorter table costs.
            Assert.Contains("Webinars", await page.InnerTextAsync("#left-out-table"), StringComparison.Ordinal);
            Assert.Contains("0.805", await page.InnerTextAsync("#points-curve"), StringComparison.Ordinal);
            Assert.Contains("31", await page.InnerTextAsync("#compact-note"), StringComparison.Ordinal);
            // The fit × engagement matrix: A1 holds the first cell's rate and leads.
            var a1 = await page.InnerTextAsync("#matrix-table td[data-cell='A1']");
            Assert.Contains("16.0%", a1, StringComparison.Ordinal);
            Assert.Contains("100 leads", a1, StringComparison.Ordinal);
            Assert.Equal(16, await page.Locator("#matrix-table td.cell").CountAsync());
            Assert.Empty(failed);
            await page.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("report.png"), FullPage = true });
            await page.Locator("#matrix").ScrollIntoViewIfNeededAsync();
            await page.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("report-matrix.png") });
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Render_HeadlineInPlainWords_ComesBeforeTheDataScienceFigures()
    {
        var html = System.Net.WebUtility.HtmlDecode(ReportWriter.Render(Manifest(), Metrics(), Rules()));

        // Deciles 1 and 2 of the test lift table: 200 of 2,000 snapshots each, 37 and 34 conversions; lift 37/17; base rate 8.5 %.
        const string headline = "The top 10% of leads by score convert at 18.5%, 2.2 × the average of 8.5%; they bring 20% of all conversions.";
        Assert.Equal(headline, ReportWriter.HeadlineText(Metrics())![..headline.Length]);
        var at = html.IndexOf(headline, StringComparison.Ordinal);
        Assert.True(at > 0, "the headline is missing");
        Assert.True(at < html.IndexOf("id=\"metric-test-rocauc\"", StringComparison.Ordinal), "the headline comes after the ROC-AUC");
        Assert.Contains("The top 20% convert at 17.8%", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ValidationNote_SaysTheFiguresAreTheCandidatesBeforeTheRefit()
    {
        var html = ReportWriter.Render(Manifest(), Metrics(), Rules());
        Assert.DoesNotContain("Validation figures are for the final model", html, StringComparison.Ordinal);
        Assert.Contains("Validation figures are the chosen candidate's, trained on the training period alone", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_LeakFindings_ComeFirst_AndWhatWasLeftOutIsANote()
    {
        var metrics = Metrics() with
        {
            Leaks =
            [
                new LeakFinding(LeakKind.Column, "column 'crm_status' alone separates converted from other leads (ROC-AUC 0.990)") { Column = "crm_status", RocAuc = 0.99 },
                new LeakFinding(LeakKind.PostConversionEvent, "event type 'login': 100% of converted leads' 300 such events came after") { EventType = "login", Handled = true },
            ],
        };

        var html = System.Net.WebUtility.HtmlDecode(ReportWriter.Render(Manifest(), metrics, Rules()));

        var leaks = html.IndexOf("<section id=\"leaks\"", StringComparison.Ordinal);
        Assert.True(leaks > 0 && leaks < html.IndexOf("<section id=\"summary\"", StringComparison.Ordinal), "the leak warnings are not at the top");
        var section = html[leaks..html.IndexOf("</section>", leaks, StringComparison.Ordinal)];
        Assert.Contains("'crm_status'", section, StringComparison.Ordinal);
        Assert.DoesNotContain("login", section, StringComparison.Ordinal);
        Assert.Contains("event type 'login'", html[html.IndexOf("<section id=\"post-conversion\"", StringComparison.Ordinal)..], StringComparison.Ordinal);
        Assert.DoesNotContain("<section id=\"leaks\"", ReportWriter.Render(Manifest(), Metrics(), Rules()), StringComparison.Ordinal);
    }

    [Fact]
    public void HeadlineText_WithoutALiftTable_IsNull() =>
        Assert.Null(ReportWriter.HeadlineText(new BundleMetrics { Test = new PeriodMetrics(10, 0) }));

    [Fact]
    public void Render_MissingFigures_ShowADashNotNaN()
    {
        var metrics = new BundleMetrics { Test = new PeriodMetrics(10, 0) };
        var html = ReportWriter.Render(Manifest(), metrics, null);
        Assert.DoesNotContain("NaN", html.Replace("isNaN", "", StringComparison.Ordinal).Replace("NaN:", "", StringComparison.Ordinal)[..html.IndexOf("<script>", StringComparison.Ordinal)], StringComparison.Ordinal);
        Assert.Contains("No suggested rule set", html, StringComparison.Ordinal);
        Assert.Equal("–", ReportWriter.F(double.NaN, "0.0"));
        Assert.Equal("0.50", ReportWriter.F(0.5, "0.00").ToString(CultureInfo.InvariantCulture));
    }

    internal static IReadOnlyList<KnockOut> KnockOuts() =>
    [
        new KnockOut
        {
            Id = "unsubscribed", Label = "Unsubscribed at some time", Description = "Of the 1,287 leads who matched, 84 converted.",
            Condition = new Condition("evt.unsubscribe.ever", ConditionOp.Eq, 1),
            Evidence = new KnockOutEvidence(1287, 84, 0.065268, 0.07753, 0.116578) { Rule = "negative event" },
        },
        new KnockOut { Id = "off", Label = "Job title: Student", Condition = new Condition("attr.job_title=Student", ConditionOp.Eq, 1), Enabled = false },
    ];

    [Fact]
    public void Render_KnockOuts_StandApartFromTheCriteria_WithTheRuleAndEvidence()
    {
        var html = System.Net.WebUtility.HtmlDecode(ReportWriter.Render(Manifest(), Metrics(), Rules() with { KnockOuts = KnockOuts() }));

        var section = html.IndexOf("<section id=\"knock-outs\"><h2>Knock-outs</h2>", StringComparison.Ordinal);
        Assert.True(section > html.IndexOf("<section id=\"criteria\">", StringComparison.Ordinal), "the knock-outs follow the criteria, apart");
        Assert.Contains("90 % Wilson interval", html, StringComparison.Ordinal);
        var row = html[html.IndexOf("<tr data-id=\"unsubscribed\">", StringComparison.Ordinal)..];
        row = row[..row.IndexOf("</tr>", StringComparison.Ordinal)];
        Assert.Contains("Unsubscribed at some time", row, StringComparison.Ordinal);
        Assert.Contains("1,287", row, StringComparison.Ordinal);
        Assert.Contains("7.8%", row, StringComparison.Ordinal);
        Assert.Contains("None: no condition", ReportWriter.Render(Manifest(), Metrics(), Rules()), StringComparison.Ordinal);
    }
}
