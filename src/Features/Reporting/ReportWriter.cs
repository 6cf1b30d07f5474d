using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LeadML.Features.Assets;
using LeadML.Features.Bundles;
using LeadML.Features.Evaluation;
using LeadML.Features.History;
using LeadML.Features.Rules;

namespace LeadML.Features.Reporting;

/// <summary>
/// Renders <c>report.html</c>: one self-contained page a marketer can open offline (Chart.js inlined) with the data
/// window, the model's out-of-time figures, the suggested points with their uncertainty, grades, the ideal-prospect
/// profile, calibration and lift charts, drift and warnings. Everything comes from the bundle's files, so
/// <c>leadml report</c> can re-render it.
/// </summary>
public static class ReportWriter
{
    /// <summary>The report's file name in a bundle.</summary>
    public const string FileName = "report.html";

    /// <summary>The report's HTML for a bundle's manifest, metrics and suggested rule set (null: none).</summary>
    public static string Render(BundleManifest manifest, BundleMetrics metrics, RuleSet? rules)
    {
        var h = new StringBuilder();
        var title = $"LeadML report — {manifest.Name}";
        h.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        h.Append("<title>").Append(E(title)).Append("</title><style>").Append(Css).Append("</style></head><body>");
        h.Append("<header><h1>").Append(E(title)).Append("</h1><p class=\"sub\">Model version <code>").Append(E(manifest.ModelVersion))
            .Append("</code>, trained ").Append(E(manifest.CreatedAt.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)))
            .Append(" · ").Append(E(manifest.Engine)).Append("</p></header><main>");

        Leaks(h, metrics);
        Summary(h, manifest, metrics);
        Comparison(h, metrics);
        Warnings(h, metrics);
        PostConversion(h, metrics);
        Criteria(h, rules, metrics);
        KnockOuts(h, rules);
        LeftOut(h, metrics);
        Grades(h, metrics, rules);
        Matrix(h, metrics, rules);
        Profile(h, metrics);
        ModelQuality(h, metrics);
        CalibrationFit(h, manifest, metrics);
        Window(h, manifest, metrics);
        Drift(h, metrics);
        Candidates(h, metrics);

        h.Append("</main><footer>LeadML · figures measured out of time on the test period unless noted.</footer>");
        h.Append("<script>").Append(VendoredAssets.ChartJs).Append("</script>");
        h.Append("<script id=\"report-data\" type=\"application/json\">")
            .Append(ScriptSafe(new JsonObject
            {
                ["metrics"] = metrics.ToJsonObject(),
                ["criteria"] = rules is null ? new JsonArray() : JsonSerializer.SerializeToNode(rules.Criteria, BundleJson.Options),
            }.ToJsonString()))
            .Append("</script><script>").Append(Script).Append("</script></body></html>");
        return h.ToString();
    }

    private static void Summary(StringBuilder h, BundleManifest manifest, BundleMetrics m)
    {
        var test = m.Test;
        var points = m.PointsOnly?.Test;
        h.Append("<section id=\"summary\"><h2>At a glance</h2>");
        Headline(h, m);
        h.Append("<div class=\"cards\">");
        Card(h, "metric-test-rocauc", "Model ROC-AUC (test)", F(test?.RocAuc, "0.000"), "1.0 = perfect ranking, 0.5 = coin toss");
        Card(h, "metric-points-rocauc", "Points-only ROC-AUC (test)", F(points?.RocAuc, "0.000"),
            points?.Ratio is { } r ? $"{F(r, "0.0%")} of the model's" : "rule points alone");
        Card(h, "metric-test-prauc", "PR-AUC (test)", F(test?.PrAuc, "0.000"), $"base rate {F(test?.PositiveRate, "0.0%")}");
        Card(h, "metric-test-ece", "Calibration error (test)", F(test?.ExpectedCalibrationError, "0.000"), "mean gap between predicted and observed");
        h.Append("</div><p>").Append(E(m.Chosen?.Description ?? manifest.ModelKind.ToString())).Append(", chosen because ")
            .Append(E(m.Chosen?.Why ?? "")).Append("; calibration: ").Append(E(m.Chosen?.Calibration ?? "")).Append(".</p></section>");
    }

    /// <summary>What the model is worth in a marketer's words, before any data-science figure: how the leads it ranks
    /// first convert on the test period against the average, and what share of all conversions they hold. Null when
    /// the test period has no lift table (one class only).</summary>
    public static string? HeadlineText(BundleMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        if (metrics.Test is not { Lift: { Count: > 0 } lift } test || test.PositiveRate is not { } average || average <= 0) return null;
        var rows = lift.Sum(r => r.Count);
        if (rows == 0) return null;
        var top = lift[0];
        var text = new StringBuilder()
            .Append("The top ").Append(F((double)top.Count / rows, "0%")).Append(" of leads by score convert at ").Append(F(top.Rate, "0.0%"))
            .Append(", ").Append(F(top.Lift, "0.0")).Append(" × the average of ").Append(F(average, "0.0%"))
            .Append("; they bring ").Append(F(top.CumulativeGain, "0%")).Append(" of all conversions.");
        if (lift.Count >= 2 && lift[0].Count + lift[1].Count is var twoRows and > 0)
        {
            text.Append(" The top ").Append(F((double)twoRows / rows, "0%")).Append(" convert at ")
                .Append(F((double)(lift[0].Positives + lift[1].Positives) / twoRows, "0.0%")).Append(" and bring ").Append(F(lift[1].CumulativeGain, "0%")).Append(" of them.");
        }
        return text.ToString();
    }

    private static void Headline(StringBuilder h, BundleMetrics m)
    {
        if (HeadlineText(m) is not { } text) return;
        h.Append("<p class=\"headline\" id=\"headline\">").Append(E(text)).Append("</p><p class=\"note\">Measured on the test period: ")
            .Append(E(F(m.Test!.Rows, "N0"))).Append(" lead snapshots later than everything the model learnt from. The figures below are for analysts.</p>");
    }

    private static void Comparison(StringBuilder h, BundleMetrics m)
    {
        if (m.Comparison is not { } c) return;
        h.Append("<section id=\"comparison\"><h2>Champion and challenger</h2><p>This bundle (new) against <code>")
            .Append(E(c.Current.ModelVersion)).Append("</code> (current), both scored on ")
            .Append(D(c.From)).Append(" – ").Append(D(c.To))
            .Append(", months neither was trained on: <strong>").Append(E(c.Verdict)).Append("</strong>.</p>");
        h.Append("<table id=\"comparison-table\"><thead><tr><th>Metric</th><th class=\"n\">Current</th><th class=\"n\">New</th></tr></thead><tbody>");
        foreach (var (label, value, format) in new (string, Func<ComparedModel, double?>, string)[]
            { ("ROC-AUC", x => x.RocAuc, "0.0000"), ("PR-AUC", x => x.PrAuc, "0.0000"), ("Calibration error", x => x.Ece, "0.0000"), ("Lift in the top decile", x => x.TopDecileLift, "0.00") })
        {
            h.Append("<tr><td>").Append(label).Append("</td><td class=\"n\">").Append(F(value(c.Current), format)).Append("</td><td class=\"n\">")
                .Append(F(value(c.New), format)).Append("</td></tr>");
        }
        h.Append("</tbody></table><p>").Append(F(c.GradeChanges, "N0")).Append(" of ").Append(F(c.Leads, "N0")).Append(" lead snapshots change grade.</p>");
        var moves = c.Moves.Where(x => x.Change != "unchanged").ToList();
        if (moves.Count > 0)
        {
            h.Append("<table id=\"moves-table\"><thead><tr><th>Criterion</th><th class=\"n\">Current</th><th class=\"n\">New</th><th>Change</th></tr></thead><tbody>");
            foreach (var x in moves)
            {
                h.Append("<tr><td>").Append(E(x.Label)).Append("</td><td class=\"n\">").Append(F(x.Current, "+0;-0;0"))
                    .Append("</td><td class=\"n\">").Append(F(x.New, "+0;-0;0")).Append("</td><td>").Append(E(x.Change)).Append("</td></tr>");
            }
            h.Append("</tbody></table>");
        }
        h.Append("</section>");
    }

    /// <summary>The leak guard's findings, first on the page: a leak makes every other figure too good to be true.</summary>
    private static void Leaks(StringBuilder h, BundleMetrics m)
    {
        var warnings = m.Leaks.Where(l => !l.Handled).ToList();
        if (warnings.Count > 0)
        {
            h.Append("<section id=\"leaks\" class=\"warn leak\"><h2>Possible leaks: check these before trusting anything below</h2>")
                .Append("<p>Something in the history predicts the outcome too well to be known before it. A model trained on it scores well here and fails on new leads.</p><ul>");
            foreach (var l in warnings) h.Append("<li data-kind=\"").Append(E(JsonNamingPolicyCamel(l.Kind))).Append("\">").Append(E(l.Message)).Append("</li>");
            h.Append("</ul></section>");
        }
    }

    /// <summary>What the leak guard already dealt with (events done after conversion, left out of the features): a
    /// note after the headline and warnings, not an alarm.</summary>
    private static void PostConversion(StringBuilder h, BundleMetrics m)
    {
        var notes = m.Leaks.Where(l => l.Handled).ToList();
        if (notes.Count == 0) return;
        h.Append("<section id=\"post-conversion\"><h2>Left out: what leads do after converting</h2><ul>");
        foreach (var l in notes) h.Append("<li>").Append(E(l.Message)).Append("</li>");
        h.Append("</ul></section>");
    }

    private static string JsonNamingPolicyCamel(LeakKind kind) => JsonNamingPolicy.CamelCase.ConvertName(kind.ToString());

    private static void Warnings(StringBuilder h, BundleMetrics m)
    {
        var warnings = m.Warnings.Where(w => w.Length > 0).ToList();
        if (warnings.Count == 0) return;
        h.Append("<section id=\"warnings\" class=\"warn\"><h2>Warnings</h2><ul>");
        foreach (var w in warnings) h.Append("<li>").Append(E(w)).Append("</li>");
        h.Append("</ul></section>");
    }

    private static void Criteria(StringBuilder h, RuleSet? rules, BundleMetrics m)
    {
        h.Append("<section id=\"criteria\"><h2>Suggested points</h2>");
        if (rules is null)
        {
            h.Append("<p>No suggested rule set in this bundle.</p></section>");
            return;
        }
        h.Append("<p>Every lead starts with <strong>").Append(F(rules.BasePoints, "0")).Append("</strong> base points; each criterion that applies adds its points; the score is kept within 0–100. ")
            .Append(F(rules.Scale.Pdo, "0.#")).Append(" points double the odds of converting. Criteria are relative to the most common case, which scores 0. ")
            .Append("Intervals (90 %) reflect how many leads and conversions back each criterion; <span class=\"low\">low support</span> marks criteria with too few leads or conversions to trust.</p>");
        if (m.PointsOnly is { EveryBand: { } every } po)
        {
            h.Append("<p id=\"compact-note\">The table keeps <strong>").Append(po.Criteria).Append("</strong> criteria of the ").Append(every)
                .Append(" the model tells apart: those that add most to how well the points alone rank leads, their points fitted together. With every band the points alone would reach ROC-AUC ")
                .Append(F(po.Curve is { Count: > 0 } cv ? cv[^1].TestRocAuc : null, "0.000")).Append(" on the test period; this table reaches ")
                .Append(F(po.Test.RocAuc, "0.000")).Append(" (<code>leadml train --max-criteria 0</code> keeps every band).");
            if (po.Sample is { } sample)
            {
                h.Append(" The criteria were chosen on a sample of ").Append(F(sample.Rows, "N0")).Append(" of the ").Append(F(sample.Of, "N0"))
                    .Append(" training and validation rows (every conversion and ").Append(F(sample.NegativeShare, "0.#%"))
                    .Append(" of the others, each weighted for those left out); their points and the leads each applies to come from every row.");
            }
            h.Append("</p>");
        }
        h.Append("<div class=\"chart tall\"><canvas id=\"chart-points\" aria-label=\"Points per criterion\"></canvas></div>");
        h.Append("<table id=\"criteria-table\"><thead><tr><th>Criterion</th><th>Kind</th><th class=\"n\">Points</th><th class=\"n\">90 % interval</th><th class=\"n\">Leads</th><th class=\"n\">Conversions</th><th class=\"n\">Conversion rate</th></tr></thead><tbody>");
        foreach (var c in rules.Criteria.OrderByDescending(c => c.Points))
        {
            h.Append("<tr data-id=\"").Append(E(c.Id)).Append("\"").Append(c.LowSupport ? " class=\"low\"" : "").Append("><td><details><summary>")
                .Append(E(c.Label)).Append("</summary><p>").Append(E(c.Description)).Append("</p></details></td><td>")
                .Append(c.Group == Features.Featurization.CriterionGroup.Fit ? "fit" : "engagement").Append("</td><td class=\"n pts\">")
                .Append(c.Points.ToString("+0;-0;0", CultureInfo.InvariantCulture)).Append("</td><td class=\"n\">")
                .Append(c.Interval is { } i ? $"{F(i.Low, "0")} to {F(i.High, "0")}" : "").Append("</td><td class=\"n\">")
                .Append(F(c.Support?.Leads, "N0")).Append(c.Support?.Period is { } period ? $" <small>({E(period)})</small>" : "").Append("</td><td class=\"n\">").Append(F(c.Support?.Conversions, "N0"))
                .Append("</td><td class=\"n\">").Append(F(c.Support is { Leads: > 0 } s ? s.ConversionRate : null, "0.0%")).Append("</td></tr>");
        }
        h.Append("</tbody></table></section>");
    }

    /// <summary>The suggested knock-outs, apart from the criteria: conditions that disqualify a lead whatever its points,
    /// with the evidence and the rule each met; the marketer accepts them or not in the review.</summary>
    private static void KnockOuts(StringBuilder h, RuleSet? rules)
    {
        if (rules is null) return;
        h.Append("<section id=\"knock-outs\"><h2>Knock-outs</h2><p>A lead matching a knock-out is <strong>never sales-ready</strong> and gets the lowest grade, whatever its points. ")
            .Append("Suggested where the data supports it, counted once per lead on the training and validation periods: the upper bound of the 90 % Wilson interval of the conversion rate below a fifth of every lead's rate, with at least 40 leads; ")
            .Append("or an event the history marks negative (an unsubscribe, a bounce) whose rate's upper bound lies below every lead's rate. Weaker signals stay negative criteria. Accept or drop each in the review.</p>");
        if (rules.KnockOuts.Count == 0)
        {
            h.Append("<p id=\"knock-outs-none\">None: no condition's leads convert that rarely with enough of them.</p></section>");
            return;
        }
        h.Append("<table id=\"knock-outs-table\"><thead><tr><th>Knock-out</th><th class=\"n\">Leads</th><th class=\"n\">Conversions</th><th class=\"n\">Conversion rate</th><th class=\"n\">90 % upper bound</th><th class=\"n\">Every lead</th></tr></thead><tbody>");
        foreach (var k in rules.KnockOuts)
        {
            var ev = k.Evidence;
            h.Append("<tr data-id=\"").Append(E(k.Id)).Append("\"><td><details><summary>").Append(E(k.Label)).Append("</summary><p>").Append(E(k.Description))
                .Append("</p></details></td><td class=\"n\">").Append(F(ev?.Leads, "N0")).Append("</td><td class=\"n\">").Append(F(ev?.Conversions, "N0"))
                .Append("</td><td class=\"n\">").Append(F(ev?.ConversionRate, "0.0%")).Append("</td><td class=\"n\">").Append(F(ev?.RateUpper, "0.0%"))
                .Append("</td><td class=\"n\">").Append(F(ev?.BaseRate, "0.0%")).Append("</td></tr>");
        }
        h.Append("</tbody></table></section>");
    }

    /// <summary>What the compact table leaves out, and why, and what a shorter or longer table costs.</summary>
    private static void LeftOut(StringBuilder h, BundleMetrics m)
    {
        if (m.PointsOnly is not { LeftOut: { } left } po) return;
        h.Append("<section id=\"left-out\"><h2>Not in the table, and why</h2>");
        if (po.Curve is { Count: > 0 } curve)
        {
            h.Append("<p>What a shorter table costs: how well the points alone rank leads as the table grows (ROC-AUC; 1.0 perfect, 0.5 a coin toss), the last row with every band.</p>")
                .Append("<table id=\"points-curve\"><thead><tr><th class=\"n\">Criteria</th><th class=\"n\">ROC-AUC, validation</th><th class=\"n\">ROC-AUC, test</th><th class=\"n\">Share of the model's (test)</th></tr></thead><tbody>");
            foreach (var p in curve)
            {
                h.Append("<tr").Append(p.Criteria == po.Criteria ? " class=\"chosen\"" : "").Append("><td class=\"n\">").Append(p.Criteria).Append("</td><td class=\"n\">")
                    .Append(F(p.ValidationRocAuc, "0.000")).Append("</td><td class=\"n\">").Append(F(p.TestRocAuc, "0.000")).Append("</td><td class=\"n\">")
                    .Append(F(p.Ratio, "0.0%")).Append("</td></tr>");
            }
            h.Append("</tbody></table>");
        }
        if (left.Count == 0)
        {
            h.Append("<p>Nothing: every band is in the table.</p></section>");
            return;
        }
        h.Append("<table id=\"left-out-table\"><thead><tr><th>What</th><th>Kind</th><th class=\"n\">Criteria with every band</th><th class=\"n\">In the table</th><th>Why</th></tr></thead><tbody>");
        foreach (var x in left)
        {
            h.Append("<tr><td>").Append(E(Capital(x.Label))).Append("</td><td>").Append(x.Group == Features.Featurization.CriterionGroup.Fit ? "fit" : "engagement")
                .Append("</td><td class=\"n\">").Append(x.Bands == 0 ? "–" : x.Bands.ToString(CultureInfo.InvariantCulture)).Append("</td><td class=\"n\">")
                .Append(x.Kept).Append("</td><td>").Append(E(x.Why)).Append("</td></tr>");
        }
        h.Append("</tbody></table></section>");
    }

    private static string Capital(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];

    private static void Grades(StringBuilder h, BundleMetrics m, RuleSet? rules)
    {
        if (rules is null) return;
        // Without real dates there are no months to count leads in.
        var perMonth = m.Time is null or HistoryTime.Dates;
        h.Append("<section id=\"grades\"><h2>Thresholds and grades</h2><p>Sales-ready at <strong>")
            .Append(F(rules.Thresholds.SalesReady, "0")).Append("</strong> points (").Append(E(m.Thresholds?.Why ?? ""))
            .Append("). A sales-ready lead counts as going cold below ").Append(F(rules.Thresholds.SalesReady - rules.Thresholds.Hysteresis, "0"))
            .Append(" (hysteresis ").Append(F(rules.Thresholds.Hysteresis, "0")).Append(" points), so that scores hovering at the line do not alert.</p>");
        h.Append("<table id=\"grades-table\"><thead><tr><th>Grade</th><th>Meaning</th><th class=\"n\">From score</th><th class=\"n\">Share of leads (test)</th><th class=\"n\">Conversion rate (test)</th>").Append(perMonth ? "<th class=\"n\">Leads per month</th>" : "").Append("</tr></thead><tbody>");
        var stats = m.Grades?.Test ?? [];
        foreach (var g in rules.Grades)
        {
            var s = stats.FirstOrDefault(x => x.Grade == g.Grade);
            h.Append("<tr data-grade=\"").Append(E(g.Grade)).Append("\"><td><strong>").Append(E(g.Grade)).Append("</strong></td><td>").Append(E(g.Label))
                .Append("</td><td class=\"n\">").Append(F(g.MinScore, "0")).Append("</td><td class=\"n\">").Append(F(s?.Share, "0.0%"))
                .Append("</td><td class=\"n\">").Append(F(s?.ConversionRate, "0.0%")).Append("</td>")
                .Append(perMonth ? $"<td class=\"n\">{F(s?.LeadsPerMonth, "N0")}</td>" : "").Append("</tr>");
        }
        h.Append("</tbody></table></section>");
    }

    /// <summary>The fit × engagement matrix: each cell's conversion rate and leads on the test period.</summary>
    private static void Matrix(StringBuilder h, BundleMetrics m, RuleSet? rules)
    {
        if (rules?.Matrix is not { } matrix || m.Matrix?.Test is not { Count: > 0 } cells) return;
        var byCell = cells.ToDictionary(c => c.Cell, StringComparer.Ordinal);
        var letters = matrix.Fit.Count == 0 ? [""] : FitEngagementMatrix.FitGrades;
        var digits = matrix.Engagement.Count == 0 ? [""] : FitEngagementMatrix.EngagementGrades;
        static string Cuts(IReadOnlyList<double> cuts, IReadOnlyList<string> names) => cuts.Count == 0 ? "" :
            string.Join(", ", cuts.Select((c, k) => $"{names[k]} from {F(c, "0")}")) + $", {names[^1]} below {F(cuts[^1], "0")}";
        h.Append("<section id=\"matrix\"><h2>Fit × engagement</h2><p>Leads graded on two axes, as in lead-scoring matrices: <strong>A–D</strong> by the fit part of their points (who they are; ")
            .Append(E(Cuts(matrix.Fit, FitEngagementMatrix.FitGrades))).Append(" of 100) and <strong>1–4</strong> by the engagement part (what they did; ")
            .Append(E(Cuts(matrix.Engagement, FitEngagementMatrix.EngagementGrades))).Append(" of 100). Cut-offs: the top 20 %, 50 % and 80 % of validation leads on each axis. ")
            .Append("A1 is the best fit and the most engaged. The matrix is a view to route leads by; sales-ready stays the score threshold above. Each cell: conversion rate and leads on the test period.</p>");
        var top = Math.Max(1e-9, cells.Max(c => c.ConversionRate));
        h.Append("<table id=\"matrix-table\" class=\"matrix\"><thead><tr><th>Fit \\ engagement</th>");
        foreach (var d in digits) h.Append("<th class=\"n\">").Append(d.Length == 0 ? "all" : d == "1" ? "1 (most)" : d == "4" ? "4 (least)" : d).Append("</th>");
        h.Append("</tr></thead><tbody>");
        foreach (var l in letters)
        {
            h.Append("<tr><th>").Append(l.Length == 0 ? "all" : l).Append("</th>");
            foreach (var d in digits)
            {
                var c = byCell.GetValueOrDefault(l + d);
                var shade = c is { Leads: > 0 } ? (int)Math.Round(230 - 130 * c.ConversionRate / top) : 245;
                h.Append("<td class=\"n cell\" data-cell=\"").Append(E(l + d)).Append("\" style=\"background:rgb(").Append(shade).Append(',')
                    .Append((int)Math.Round(shade + (255 - shade) * 0.3)).Append(",255)\">");
                if (c is { Leads: > 0 }) h.Append("<strong>").Append(F(c.ConversionRate, "0.0%")).Append("</strong><br><small>").Append(F(c.Leads, "N0")).Append(" leads</small>");
                else h.Append('–');
                h.Append("</td>");
            }
            h.Append("</tr>");
        }
        h.Append("</tbody></table></section>");
    }

    private static void Profile(StringBuilder h, BundleMetrics m)
    {
        if (m.Profile is not { } traits) return;
        h.Append("<section id=\"profile\"><h2>Ideal prospect</h2>");
        if (traits.Count == 0)
        {
            h.Append("<p>No trait is clearly over-represented among converters.</p></section>");
            return;
        }
        h.Append("<p>What converters have much more often than leads in general:</p><table id=\"profile-table\"><thead><tr><th>Trait</th><th class=\"n\">Lift</th><th class=\"n\">Share of converters</th><th class=\"n\">Share of all leads</th></tr></thead><tbody>");
        foreach (var t in traits)
        {
            h.Append("<tr><td>").Append(E(t.Label)).Append("</td><td class=\"n\">×").Append(F(t.Lift, "0.0"))
                .Append("</td><td class=\"n\">").Append(F(t.ShareOfConverters, "0%")).Append("</td><td class=\"n\">").Append(F(t.ShareOfLeads, "0%")).Append("</td></tr>");
        }
        h.Append("</tbody></table></section>");
    }

    private static void ModelQuality(StringBuilder h, BundleMetrics m)
    {
        h.Append("<section id=\"quality\"><h2>How good the model is (test period)</h2><div class=\"pair\">")
            .Append("<div><h3>Lift and cumulative gain</h3><div class=\"chart\"><canvas id=\"chart-gain\" aria-label=\"Cumulative gain by decile\"></canvas></div></div>")
            .Append("<div><h3>Calibration</h3><div class=\"chart\"><canvas id=\"chart-calibration\" aria-label=\"Predicted against observed conversion\"></canvas></div></div>")
            .Append("</div>");
        h.Append("<table id=\"metrics-table\"><thead><tr><th>Metric</th><th class=\"n\">Test</th><th class=\"n\">Validation</th></tr></thead><tbody>");
        foreach (var (key, label, value) in new (string, string, Func<PeriodMetrics, double?>)[]
            {
                ("rocAuc", "ROC-AUC", p => p.RocAuc), ("prAuc", "PR-AUC", p => p.PrAuc), ("logLoss", "Log-loss", p => p.LogLoss), ("brier", "Brier score", p => p.Brier),
                ("expectedCalibrationError", "Expected calibration error", p => p.ExpectedCalibrationError), ("positiveRate", "Conversion rate", p => p.PositiveRate),
                ("rows", "Rows", p => p.Rows),
            })
        {
            var format = key == "rows" ? "N0" : "0.0000";
            h.Append("<tr data-metric=\"").Append(key).Append("\"><td>").Append(label).Append("</td><td class=\"n\">").Append(F(m.Test is { } t ? value(t) : null, format))
                .Append("</td><td class=\"n\">").Append(F(m.Validation is { } v ? value(v) : null, format)).Append("</td></tr>");
        }
        h.Append("</tbody></table><p class=\"note\">Both columns are out of time. Validation figures are the chosen candidate's, trained on the training period alone, before the final model was refit on training + validation (on validation the refit would only describe its own fit); test figures are the final model's.</p></section>");
    }

    /// <summary>What the calibration was fitted on: each stretch of out-of-time predictions and its conversion rate, or
    /// the recent outcomes of a recalibration with its error before and after.</summary>
    private static void CalibrationFit(StringBuilder h, BundleManifest manifest, BundleMetrics m)
    {
        if (m.CalibrationFit is not { } fit) return;
        h.Append("<section id=\"calibration-fit\"><h2>Calibration</h2><p>");
        if (fit.Method == "recentOutcomes")
        {
            h.Append("This bundle keeps the model of <code>").Append(E(fit.RecalibratedFrom ?? manifest.RecalibratedFrom ?? "")).Append("</code> and refits only its calibration on recent outcomes. ")
                .Append("Calibration error on them: ").Append(F(fit.EceBefore, "0.000")).Append(" with the previous calibration, ").Append(F(fit.EceAfter, "0.000"))
                .Append(" with this one (5-fold cross-validated). The test figures above were measured when the model was trained, with the previous calibration. ");
        }
        else
        {
            h.Append("A probability of 20 % should mean that 20 % of such leads convert. The map from the model's score to a probability is fitted on out-of-time predictions: ")
                .Append("each stretch below predicted by the same settings fitted only on what came before it, as the final model predicts the months after its training. ");
        }
        h.Append(E(char.ToUpperInvariant(fit.Why[0]) + fit.Why[1..])).Append(".</p><table id=\"calibration-origins\"><thead><tr><th>Predicted stretch</th><th class=\"n\">Rows</th><th class=\"n\">Conversion rate</th><th class=\"n\">Fitted on rows</th></tr></thead><tbody>");
        foreach (var o in fit.Origins)
        {
            h.Append("<tr><td>").Append(E(o.Label)).Append("</td><td class=\"n\">").Append(F(o.Rows, "N0")).Append("</td><td class=\"n\">").Append(F(o.Rate, "0.0%"))
                .Append("</td><td class=\"n\">").Append(o.FitRows > 0 ? F(o.FitRows, "N0") : "the model as trained").Append("</td></tr>");
        }
        h.Append("</tbody></table></section>");
    }

    private static void Window(StringBuilder h, BundleManifest manifest, BundleMetrics m)
    {
        var w = manifest.Window;
        var span = w.Time switch { HistoryTime.RowOrder => "Rows in row order", HistoryTime.MonthNames => "Months", _ => "Cut-offs" };
        h.Append("<section id=\"window\"><h2>Data</h2><table><thead><tr><th>Period</th><th>").Append(span)
            .Append("</th><th class=\"n\">Rows</th><th class=\"n\">Conversions</th></tr></thead><tbody>");
        var periods = new List<(string, PeriodSummary)> { ("Training", w.Train), ("Validation", w.Validation), ("Test", w.Test) };
        if (w.Calibration is { } recalibration) periods.Add(("Recalibrated on", recalibration));
        foreach (var (name, p) in periods)
        {
            var range = w.Time switch
            {
                HistoryTime.RowOrder => p.FirstRow is { } first ? $"rows {F(first, "N0")} – {F(p.LastRow, "N0")}" : "–",
                HistoryTime.MonthNames => p.Rows == 0 ? "–" : $"{SyntheticMonth(p.From)} – {SyntheticMonth(p.To)}",
                _ => $"{D(p.From)} – {D(p.To)}",
            };
            h.Append("<tr><td>").Append(name).Append("</td><td>").Append(E(range)).Append("</td><td class=\"n\">")
                .Append(F(p.Rows, "N0")).Append("</td><td class=\"n\">").Append(F(p.Positives, "N0")).Append("</td></tr>");
        }
        h.Append("</tbody></table><p>");
        if (w.Time == HistoryTime.RowOrder)
        {
            h.Append("The export has no dates: its rows are used in their order (file order, or the column the schema names), the latest rows as the test period. ");
        }
        else if (w.Time == HistoryTime.MonthNames)
        {
            h.Append("The export names months but not years: rows are placed in their months, a new year counted whenever the months wrap. ");
        }
        if (w.Cutoffs.Count > 0)
        {
            h.Append("Horizon: conversion within ").Append(w.HorizonDays).Append(" days of a cut-off. ");
        }
        else
        {
            h.Append("One row per lead, with the outcome the export records. ");
        }
        h.Append("Data fingerprint <code>").Append(E(manifest.DataFingerprint)).Append("</code>.</p>");
        h.Append("<div class=\"chart\"><canvas id=\"chart-periods\" aria-label=\"Conversion rate per period\"></canvas></div>");
        if (m.RateTrend is { } trend)
        {
            h.Append("<p id=\"rate-trend\"").Append(trend.Moving ? " class=\"warn\"" : "").Append('>').Append(E(char.ToUpperInvariant(trend.Message[0]) + trend.Message[1..])).Append(".</p>");
        }
        h.Append("</section>");
    }

    /// <summary>A synthesised month start as its month and which year of the history it is (the years are not known).</summary>
    private static string SyntheticMonth(DateTime d) =>
        $"{d.ToString("MMM", CultureInfo.InvariantCulture)} (year {d.Year - 1999})";

    private static void Drift(StringBuilder h, BundleMetrics m)
    {
        var expected = m.Drift.Where(d => d.Band == "expected").OrderByDescending(d => d.Psi).ToList();
        var rows = m.Drift.Where(d => d.Band != "expected" && d.Psi >= 0.1).OrderByDescending(d => d.Psi).Take(25).ToList();
        var weighted = m.Drift.Any(d => d.UnadjustedPsi is not null);
        h.Append("<section id=\"drift\"><h2>Drift between training and test</h2><p>Population stability index per feature: below 0.1 stable, 0.1–0.25 moderate, above 0.25 significant.");
        if (weighted)
        {
            h.Append(" Compared at equal lead age: later cut-offs see older leads (a lead stays in the snapshots until it converts), so test snapshots are weighted to the training period's mix of lead ages before comparing; the unweighted figure is beside it.");
        }
        h.Append("</p>");
        if (rows.Count == 0)
        {
            h.Append("<p>Every feature is stable (PSI below 0.1).</p>");
        }
        else
        {
            h.Append("<table id=\"drift-table\"><thead><tr><th>Feature</th><th class=\"n\">PSI</th>").Append(weighted ? "<th class=\"n\">Unweighted</th>" : "")
                .Append("<th>Band</th></tr></thead><tbody>");
            foreach (var d in rows)
            {
                h.Append("<tr><td><code>").Append(E(d.Feature)).Append("</code></td><td class=\"n\">").Append(F(d.Psi, "0.000")).Append("</td>")
                    .Append(weighted ? $"<td class=\"n\">{F(d.UnadjustedPsi, "0.000")}</td>" : "").Append("<td>").Append(E(d.Band)).Append("</td></tr>");
            }
            h.Append("</tbody></table>");
        }
        var shown = expected.Where(d => d.Psi >= 0.1).ToList();
        if (shown.Count > 0)
        {
            h.Append("<p id=\"drift-expected\">Expected shifts, made by the calendar rather than by leads changing:</p><ul>");
            foreach (var d in shown)
            {
                h.Append("<li><code>").Append(E(d.Feature)).Append("</code> (PSI ").Append(F(d.Psi, "0.00")).Append("): ").Append(E(d.Expected ?? "")).Append("</li>");
            }
            h.Append("</ul>");
        }
        h.Append("</section>");
    }

    private static void Candidates(StringBuilder h, BundleMetrics m)
    {
        if (m.Candidates is not { Count: > 0 } list) return;
        h.Append("<section id=\"candidates\"><h2>Candidates compared on the validation period</h2><p class=\"note\">Each candidate was trained on the training period alone; trees stop adding rounds when validation stops improving. The chosen one is then refit on training + validation, with rounds scaled to its rows.</p><table><thead><tr><th>Model</th><th class=\"n\">ROC-AUC</th><th class=\"n\">Log-loss</th></tr></thead><tbody>");
        foreach (var c in list)
        {
            h.Append("<tr><td>").Append(E(c.Description)).Append("</td><td class=\"n\">").Append(F(c.ValidationRocAuc, "0.0000"))
                .Append("</td><td class=\"n\">").Append(F(c.ValidationLogLoss, "0.0000")).Append("</td></tr>");
        }
        h.Append("</tbody></table></section>");
    }

    private static void Card(StringBuilder h, string id, string label, string value, string note) =>
        h.Append("<div class=\"card\"><div class=\"label\">").Append(E(label)).Append("</div><div class=\"value\" id=\"").Append(id).Append("\">")
            .Append(E(value)).Append("</div><div class=\"note\">").Append(E(note)).Append("</div></div>");

    /// <summary>A JSON number formatted invariantly with <paramref name="format"/>; "–" when it is not a number.</summary>
    public static string F(JsonNode? node, string format) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number
            && double.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? F(d, format) : "–";

    /// <summary>A number formatted invariantly with <paramref name="format"/>; "–" when missing or not finite.</summary>
    public static string F(double? value, string format) =>
        value is { } v && double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "–";

    private static string D(DateTime d) => d == default ? "–" : d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string E(string s) => WebUtility.HtmlEncode(s);

    private static string ScriptSafe(string json) => json.Replace("</", "<\\/", StringComparison.Ordinal);

    private const string Css = """
        body{font:15px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1d2433;background:#f6f7fb}
        header{background:#1f3b73;color:#fff;padding:18px 32px}header h1{margin:0;font-size:24px}.sub{margin:4px 0 0;opacity:.85}
        main{max-width:1180px;margin:0 auto;padding:8px 24px 32px}section{background:#fff;border-radius:8px;padding:16px 20px;margin:16px 0;box-shadow:0 1px 3px #0001}
        h2{margin:0 0 10px;font-size:19px;color:#1f3b73}h3{font-size:15px;margin:6px 0}
        .cards{display:grid;grid-template-columns:repeat(4,1fr);gap:12px;margin-bottom:8px}.card{border:1px solid #dfe3ec;border-radius:8px;padding:10px 12px}
        .card .label{font-size:13px;color:#56607a}.card .value{font-size:28px;font-weight:600}.card .note{font-size:12px;color:#6b7490}
        table{border-collapse:collapse;width:100%;font-size:14px}th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #e8ebf2;vertical-align:top}
        th{background:#f0f2f8;font-weight:600}.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
        tr.low td{color:#8a6d00;background:#fffbea}span.low{background:#fffbea;color:#8a6d00;padding:0 4px}
        td.pts{font-weight:600}tr.chosen td{font-weight:600;background:#eef4fc}table.matrix{width:auto}table.matrix td.cell{text-align:center;min-width:110px}table.matrix small{color:#3c455c}details summary{cursor:pointer}details p{margin:6px 0;color:#3c455c;font-size:13px}
        .warn{border-left:5px solid #d9822b}.leak{border-left-color:#c9302c;background:#fff5f5}.chart{position:relative;height:280px}.chart.tall{height:auto;min-height:300px}
        .pair{display:grid;grid-template-columns:1fr 1fr;gap:16px}.headline{font-size:18px;margin:4px 0 6px}.note{color:#6b7490;font-size:13px}footer{text-align:center;color:#6b7490;padding:16px;font-size:13px}
        """;

    private const string Script = """
        (function(){
          const data = JSON.parse(document.getElementById('report-data').textContent);
          const m = data.metrics, crit = data.criteria.slice().sort((a,b)=>b.points-a.points);
          if (typeof Chart === 'undefined') return;
          Chart.defaults.animation = false;
          const pc = document.getElementById('chart-points');
          if (pc && crit.length) {
            pc.parentElement.style.height = Math.max(300, 24 * crit.length + 60) + 'px';
            new Chart(pc, {type:'bar', data:{labels:crit.map(c=>c.label), datasets:[
              {label:'Points', grouped:false, data:crit.map(c=>c.points), backgroundColor:crit.map(c=>c.points>=0?'#2f7ed8':'#d9534f')},
              {label:'90 % interval', data:crit.map(c=>c.interval?[c.interval.low,c.interval.high]:null), backgroundColor:'#0000', borderColor:'#555', borderWidth:1, borderSkipped:false, barPercentage:0.35, grouped:false}]},
              options:{indexAxis:'y', maintainAspectRatio:false, plugins:{legend:{position:'bottom'}}, scales:{y:{ticks:{autoSkip:false}}, x:{title:{display:true,text:'points'}}}}});
          }
          const lift = (m.test && m.test.lift) || [];
          const gc = document.getElementById('chart-gain');
          if (gc && lift.length) {
            new Chart(gc, {type:'bar', data:{labels:lift.map(r=>'D'+r.decile), datasets:[
              {type:'line', label:'Cumulative gain', data:lift.map(r=>r.cumulativeGain), yAxisID:'gain', borderColor:'#1f3b73'},
              {type:'line', label:'Random', data:lift.map((r,i)=>(i+1)/lift.length), yAxisID:'gain', borderColor:'#aaa', borderDash:[4,4], pointRadius:0},
              {label:'Lift', data:lift.map(r=>r.lift), yAxisID:'lift', backgroundColor:'#8fb9ea'}]},
              options:{maintainAspectRatio:false, scales:{gain:{position:'left', min:0, max:1}, lift:{position:'right', grid:{drawOnChartArea:false}}}}});
          }
          const cal = ((m.test && m.test.calibration) || []).filter(b=>b.count>0);
          const cc = document.getElementById('chart-calibration');
          if (cc && cal.length) {
            new Chart(cc, {type:'scatter', data:{datasets:[
              {label:'Observed', data:cal.map(b=>({x:b.meanPredicted, y:b.observedRate})), showLine:true, borderColor:'#2f7ed8', backgroundColor:'#2f7ed8'},
              {label:'Perfect', data:[{x:0,y:0},{x:1,y:1}], showLine:true, borderColor:'#aaa', borderDash:[4,4], pointRadius:0}]},
              options:{maintainAspectRatio:false, scales:{x:{min:0,max:1,title:{display:true,text:'predicted'}}, y:{min:0,max:1,title:{display:true,text:'observed'}}}}});
          }
          const per = m.positiveRateByPeriod || [];
          const rc = document.getElementById('chart-periods');
          if (rc && per.length) {
            const colour = {train:'#8fb9ea', validation:'#f0ad4e', test:'#1f3b73'};
            new Chart(rc, {type:'bar', data:{labels:per.map(p=>p.label||p.cutoff), datasets:[{label:'Conversion rate', data:per.map(p=>p.rate), backgroundColor:per.map(p=>colour[p.period]||'#999')}]},
              options:{maintainAspectRatio:false, plugins:{legend:{display:false}}}});
          }
          document.body.dataset.chartsReady = 'true';
        })();
        """;
}
