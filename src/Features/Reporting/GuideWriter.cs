using System.Globalization;
using System.Net;
using System.Text;
using LeadML.Features.Bundles;
using LeadML.Features.Featurization;
using LeadML.Features.Rules;

namespace LeadML.Features.Reporting;

/// <summary>
/// Renders the procedures guide (<c>leadml guide</c>): one printable page of a points table as a marketer applies it
/// by hand — where a lead starts, each criterion in plain words with its points and the evidence behind it (leads,
/// conversions, their rate against the average), grouped into fit (who they are) and engagement (what they did), then
/// thresholds, grades and the fit × engagement matrix. Knock-outs (conditions that disqualify a lead outright) stand
/// apart, first, when the rule set has enabled ones; the section is left out otherwise.
/// </summary>
public static class GuideWriter
{
    /// <summary>The guide's default file name in a bundle.</summary>
    public const string FileName = "guide.html";

    /// <summary>The evidence of one criterion: leads it applies to and how many of them converted.</summary>
    /// <param name="Leads">Leads (snapshots) it applies to.</param>
    /// <param name="Conversions">Of which converted within the horizon.</param>
    public sealed record Evidence(int Leads, int Conversions);

    /// <summary>The guide's HTML.</summary>
    /// <param name="manifest">The bundle's manifest (model name and version).</param>
    /// <param name="rules">The table to print (the approved one, or the suggestion).</param>
    /// <param name="evidence">Per criterion id, its evidence; criteria without any show the support stored with them.</param>
    /// <param name="average">The conversion rate of all leads the evidence was counted on (0–1).</param>
    /// <param name="period">Where the evidence comes from, in words (e.g. "the test period, 2025-10-01 – 2025-12-01").</param>
    public static string Render(BundleManifest manifest, RuleSet rules, IReadOnlyDictionary<string, Evidence> evidence, double average, string period)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(rules);
        var c = CultureInfo.InvariantCulture;
        var h = new StringBuilder();
        var which = rules.Status == RuleSetStatus.Approved
            ? string.Create(c, $"version {rules.Version}, approved{(rules.ApprovedBy is { } by ? $" by {by}" : "")}{(rules.ApprovedAt is { } at ? $" on {at:yyyy-MM-dd}" : "")}")
            : rules.Status == RuleSetStatus.Draft ? string.Create(c, $"draft version {rules.Version}, not approved yet") : "suggested by the trainer, not approved yet";
        var title = $"Lead scoring procedures — {manifest.Name}";
        h.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>")
            .Append(E(title)).Append("</title><style>").Append(Css).Append("</style></head><body><header><h1>").Append(E(title)).Append("</h1><p class=\"sub\">Points table ")
            .Append(E(which)).Append(" · model <code>").Append(E(manifest.ModelVersion)).Append("</code></p></header><main>");

        h.Append("<section id=\"how\"><h2>How to score a lead</h2><ol><li>Start at <strong>").Append(F(rules.BasePoints, "0")).Append(" points</strong>.</li>")
            .Append("<li>Add the points of every criterion below that applies to the lead (negative points take points away). Where several criteria name the same activity, only one of them can apply.</li>")
            .Append("<li>Keep the score within 0 and 100.</li><li>The lead is <strong>sales-ready from ").Append(F(rules.Thresholds.SalesReady, "0"))
            .Append(" points</strong>; a sales-ready lead counts as gone cold below ").Append(F(rules.Thresholds.SalesReady - rules.Thresholds.Hysteresis, "0")).Append(".</li>");
        if (rules.Grades.Count > 0)
        {
            h.Append("<li>Grades: ").Append(E(string.Join(", ", rules.Grades.Select(g => $"{g.Grade} from {F(g.MinScore, "0")}{(g.Label.Length > 0 ? $" ({g.Label})" : "")}")))).Append(".</li>");
        }
        h.Append("</ol><p class=\"note\">Evidence: ").Append(E(period)).Append("; all leads there converted at ").Append(F(average, "0.0%"))
            .Append(". “× average” is a criterion's conversion rate divided by that.</p></section>");

        var knockOuts = rules.KnockOuts.Where(k => k.Enabled).ToList();
        if (knockOuts.Count > 0)
        {
            h.Append("<section id=\"knock-outs\"><h2>Knock-outs: check these first</h2><p>A lead that matches any of these is <strong>never sales-ready</strong> and gets the lowest grade")
                .Append(rules.Grades.Count > 0 ? $" ({E(rules.Grades[^1].Grade)})" : "").Append(", whatever its points.</p><ul id=\"knock-outs-list\">");
            foreach (var k in knockOuts)
            {
                h.Append("<li data-id=\"").Append(E(k.Id)).Append("\">").Append(E(k.Label));
                if (k.Evidence is { } ev)
                {
                    h.Append(" <small>(").Append(F(ev.Leads, "N0")).Append(" leads, ").Append(F(ev.ConversionRate, "0.0%")).Append(" converted; all leads ").Append(F(ev.BaseRate, "0.0%")).Append(")</small>");
                }
                h.Append("</li>");
            }
            h.Append("</ul></section>");
        }

        var enabled = rules.Criteria.Where(x => x.Enabled).ToList();
        Group(h, "fit", "Fit: who the lead is", enabled.Where(x => x.Group == CriterionGroup.Fit), evidence, average);
        Group(h, "engagement", "Engagement: what the lead did", enabled.Where(x => x.Group == CriterionGroup.Engagement), evidence, average);

        if (rules.Matrix is { } m && (m.Fit.Count > 0 || m.Engagement.Count > 0))
        {
            static string Axis(IReadOnlyList<double> cuts, IReadOnlyList<string> names) => string.Join(", ",
                cuts.Select((x, k) => $"{names[k]} from {F(x, "0")}").Append($"{names[^1]} below {F(cuts[^1], "0")}"));
            h.Append("<section id=\"matrix\"><h2>Fit × engagement</h2><p>To route leads, grade them on two axes: the fit points (criteria of the fit table) rescaled to 0–100 give a letter (")
                .Append(E(m.Fit.Count == 0 ? "none" : Axis(m.Fit, FitEngagementMatrix.FitGrades))).Append("), the engagement points a digit (")
                .Append(E(m.Engagement.Count == 0 ? "none" : Axis(m.Engagement, FitEngagementMatrix.EngagementGrades)))
                .Append("). A1 is the best fit and the most engaged. The Api computes both for every lead; sales-ready stays the score above.</p></section>");
        }
        h.Append("</main><footer>LeadML · printed from the bundle ").Append(E(manifest.Name)).Append("</footer></body></html>");
        return h.ToString();
    }

    private static void Group(StringBuilder h, string id, string title, IEnumerable<Criterion> criteria, IReadOnlyDictionary<string, Evidence> evidence, double average)
    {
        var list = criteria.OrderByDescending(x => x.Points).ToList();
        if (list.Count == 0) return;
        h.Append("<section id=\"").Append(id).Append("\"><h2>").Append(E(title)).Append("</h2><table id=\"").Append(id).Append("-table\"><thead><tr><th>Criterion</th><th class=\"n\">Points</th>")
            .Append("<th class=\"n\">Leads</th><th class=\"n\">Converted</th><th class=\"n\">Rate</th><th class=\"n\">× average</th></tr></thead><tbody>");
        foreach (var x in list)
        {
            var (leads, conversions) = evidence.TryGetValue(x.Id, out var ev) ? (ev.Leads, ev.Conversions) : (x.Support?.Leads ?? 0, x.Support?.Conversions ?? 0);
            var rate = leads == 0 ? (double?)null : (double)conversions / leads;
            h.Append("<tr data-id=\"").Append(E(x.Id)).Append("\"><td>").Append(E(x.Label)).Append(x.LowSupport ? " <small class=\"low\">(few leads)</small>" : "")
                .Append("</td><td class=\"n pts\">").Append(x.Points.ToString("+0;-0;0", CultureInfo.InvariantCulture)).Append("</td><td class=\"n\">").Append(F(leads, "N0"))
                .Append("</td><td class=\"n\">").Append(F(conversions, "N0")).Append("</td><td class=\"n\">").Append(F(rate, "0.0%")).Append("</td><td class=\"n\">")
                .Append(rate is { } r && average > 0 ? "×" + F(r / average, "0.0") : "–").Append("</td></tr>");
        }
        h.Append("</tbody></table></section>");
    }

    private static string F(double? v, string format) => ReportWriter.F(v, format);

    private static string E(string s) => WebUtility.HtmlEncode(s);

    private const string Css = """
        body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1b2333;background:#fff}
        header{padding:20px 32px 8px;border-bottom:2px solid #1f3b73}h1{margin:0;font-size:22px;color:#1f3b73}.sub{margin:4px 0 0;color:#4a5470}
        main{max-width:1000px;margin:0 auto;padding:8px 32px}h2{font-size:17px;color:#1f3b73;margin:20px 0 6px}
        table{border-collapse:collapse;width:100%}th,td{padding:5px 8px;border-bottom:1px solid #d8dce6;text-align:left;vertical-align:top}
        th{background:#eef1f7;font-size:13px}.n{text-align:right;white-space:nowrap}td.pts{font-weight:700}small.low{color:#8a6d00}
        .note{color:#4a5470;font-size:13px}footer{color:#6b7490;font-size:12px;text-align:center;padding:16px}
        @media print{header{padding:0 0 6px}main{padding:0;max-width:none}section{break-inside:avoid-page}tr{break-inside:avoid}th{background:#eee !important;-webkit-print-color-adjust:exact;print-color-adjust:exact}footer{padding:8px}}
        @page{size:A4;margin:14mm}
        """;
}
