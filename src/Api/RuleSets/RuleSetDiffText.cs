using System.Globalization;
using LeadML.Features.Rules;

namespace LeadML.Api.RuleSets;

/// <summary>
/// A <see cref="RuleSetDiff"/> in a marketer's words, one sentence per change, in the order the diff lists them:
/// base points, the sales-ready threshold, the hysteresis, grade bands, criteria changed, added and removed, then knock-outs
/// changed, added and removed.
/// The diff answer carries these sentences (the review page shows them) and the audit keeps them for each edit.
/// </summary>
public static class RuleSetDiffText
{
    /// <summary>Every change of <paramref name="diff"/> as a sentence; empty when the versions are alike.</summary>
    public static IReadOnlyList<string> Sentences(RuleSetDiff diff)
    {
        ArgumentNullException.ThrowIfNull(diff);
        var s = new List<string>();
        if (diff.BasePoints is { } b) s.Add($"Base points {N(b.Old)} → {N(b.New)}.");
        if (diff.SalesReady is { } r) s.Add($"Sales-ready at {N(r.Old)} → {N(r.New)}.");
        if (diff.Hysteresis is { } h) s.Add($"Hysteresis {N(h.Old)} → {N(h.New)} points.");
        foreach (var g in diff.Grades)
        {
            if (g.OldMinScore is null) s.Add($"Grade {g.Grade} added, from {N(g.NewMinScore)}{Label(g.NewLabel)}.");
            else if (g.NewMinScore is null) s.Add($"Grade {g.Grade} removed (it started at {N(g.OldMinScore)}{Label(g.OldLabel)}).");
            else
            {
                var parts = new List<string>();
                if (g.OldMinScore != g.NewMinScore) parts.Add($"starts at {N(g.OldMinScore)} → {N(g.NewMinScore)}");
                if (g.OldLabel != g.NewLabel) parts.Add($"label “{g.OldLabel}” → “{g.NewLabel}”");
                s.Add($"Grade {g.Grade}: {string.Join(", ", parts)}.");
            }
        }
        foreach (var c in diff.Changed)
        {
            var parts = new List<string>();
            if (c.Points is { } p) parts.Add($"{P(p.Old)} → {P(p.New)} points");
            if (c.Enabled is { } e) parts.Add(e.New ? "switched on" : "switched off");
            if (c.Condition is { } k) parts.Add($"applies to “{k.Old}” → “{k.New}”");
            if (c.Renamed is { } n) parts.Add($"renamed from “{n.Old}”");
            s.Add($"“{c.Label}”: {string.Join(", ", parts)}.");
        }
        foreach (var c in diff.Added)
        {
            s.Add($"Added “{c.Label}”: {P(c.Points)} points{(c.Enabled ? "" : ", switched off")}, for leads who match “{c.Condition}”.");
        }
        foreach (var c in diff.Removed) s.Add($"Removed “{c.Label}” ({P(c.Points)} points{(c.Enabled ? "" : ", switched off")}).");
        foreach (var k in diff.KnockOutsChanged)
        {
            var parts = new List<string>();
            if (k.Enabled is { } e) parts.Add(e.New ? "switched on" : "switched off");
            if (k.Condition is { } c) parts.Add($"applies to “{c.Old}” → “{c.New}”");
            if (k.Renamed is { } n) parts.Add($"renamed from “{n.Old}”");
            s.Add($"Knock-out “{k.Label}”: {string.Join(", ", parts)}.");
        }
        foreach (var k in diff.KnockOutsAdded)
        {
            s.Add($"Added the knock-out “{k.Label}”{(k.Enabled ? "" : ", switched off")}: leads who match “{k.Condition}” are never sales-ready.");
        }
        foreach (var k in diff.KnockOutsRemoved) s.Add($"Removed the knock-out “{k.Label}”{(k.Enabled ? "" : " (switched off)")}.");
        return s;
    }

    /// <summary>What an edit changed, for the audit: the sentences joined, or "no change".</summary>
    public static string Summary(RuleSetDiff diff) => Sentences(diff) is { Count: > 0 } s ? string.Join(" ", s) : "No change.";

    private static string N(double? v) => v is { } x ? CriterionText.Number(x) : "–";

    private static string P(int points) => points.ToString("+0;-0;0", CultureInfo.InvariantCulture);

    private static string Label(string? label) => string.IsNullOrWhiteSpace(label) ? "" : $" (“{label}”)";
}
