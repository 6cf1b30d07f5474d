using LeadML.Features.Featurization;
using LeadML.Features.Rules;

namespace LeadML.Api.RuleSets;

/// <summary>A value before and after.</summary>
public sealed record Change<T>(T Old, T New);

/// <summary>A criterion present on one side only.</summary>
public sealed record CriterionEntry(string Id, string Label, int Points, bool Enabled, string Condition);

/// <summary>A criterion on both sides that differs; null parts did not change.</summary>
public sealed record CriterionChange(string Id, string Label, Change<int>? Points, Change<bool>? Enabled, Change<string>? Condition, Change<string>? Renamed);

/// <summary>A knock-out present on one side only.</summary>
/// <param name="Id">The knock-out's id.</param>
/// <param name="Label">Its label.</param>
/// <param name="Enabled">Whether it applies.</param>
/// <param name="Condition">Its condition in words.</param>
public sealed record KnockOutEntry(string Id, string Label, bool Enabled, string Condition);

/// <summary>A knock-out on both sides that differs; null parts did not change.</summary>
/// <param name="Id">The knock-out's id.</param>
/// <param name="Label">Its label in the newer version.</param>
/// <param name="Enabled">Whether it applies, before and after.</param>
/// <param name="Condition">Its condition in words, before and after.</param>
/// <param name="Renamed">Its label, before and after.</param>
public sealed record KnockOutChange(string Id, string Label, Change<bool>? Enabled, Change<string>? Condition, Change<string>? Renamed);

/// <summary>A grade band that was added (Old null), removed (New null) or moved.</summary>
public sealed record GradeChange(string Grade, double? OldMinScore, double? NewMinScore, string? OldLabel, string? NewLabel);

/// <summary>What changed from one version to another (0 = the bundle's suggestion).</summary>
public sealed record RuleSetDiff(int From, int To, IReadOnlyList<CriterionEntry> Added, IReadOnlyList<CriterionEntry> Removed,
    IReadOnlyList<CriterionChange> Changed, Change<double>? BasePoints, Change<double>? SalesReady, Change<double>? Hysteresis,
    IReadOnlyList<GradeChange> Grades)
{
    /// <summary>Knock-outs the newer version has and the older lacks.</summary>
    public IReadOnlyList<KnockOutEntry> KnockOutsAdded { get; init; } = [];
    /// <summary>Knock-outs the older version has and the newer lacks.</summary>
    public IReadOnlyList<KnockOutEntry> KnockOutsRemoved { get; init; } = [];
    /// <summary>Knock-outs on both sides that differ (enabled, condition or label).</summary>
    public IReadOnlyList<KnockOutChange> KnockOutsChanged { get; init; } = [];

    /// <summary>True when both versions score every lead alike and grade it alike.</summary>
    public bool Same => Added.Count == 0 && Removed.Count == 0 && Changed.Count == 0 && BasePoints is null && SalesReady is null
        && Hysteresis is null && Grades.Count == 0 && KnockOutsAdded.Count == 0 && KnockOutsRemoved.Count == 0 && KnockOutsChanged.Count == 0;

    /// <summary>Every change in words, one sentence each (<see cref="RuleSetDiffText"/>); empty when <see cref="Same"/>.</summary>
    public IReadOnlyList<string> Sentences => RuleSetDiffText.Sentences(this);

    /// <summary>Compares criteria by id, knock-outs by id, then base points, thresholds and grades (by grade name); conditions read as
    /// sentences over the model's features (<see cref="CriterionText"/>).</summary>
    public static RuleSetDiff Between(int fromVersion, RuleSet from, int toVersion, RuleSet to, FeatureSpec spec)
    {
        string Describe(Condition c) => CriterionText.Label(spec, c);
        CriterionEntry Entry(Criterion c) => new(c.Id, c.Label, c.Points, c.Enabled, Describe(c.Condition));
        var a = from.Criteria.GroupBy(c => c.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var b = to.Criteria.GroupBy(c => c.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var added = to.Criteria.Where(c => !a.ContainsKey(c.Id)).Select(Entry).ToList();
        var removed = from.Criteria.Where(c => !b.ContainsKey(c.Id)).Select(Entry).ToList();
        var changed = new List<CriterionChange>();
        foreach (var n in to.Criteria)
        {
            if (!a.TryGetValue(n.Id, out var o)) continue;
            var points = o.Points != n.Points ? new Change<int>(o.Points, n.Points) : null;
            var enabled = o.Enabled != n.Enabled ? new Change<bool>(o.Enabled, n.Enabled) : null;
            var condition = o.Condition != n.Condition ? new Change<string>(Describe(o.Condition), Describe(n.Condition)) : null;
            var label = o.Label != n.Label ? new Change<string>(o.Label, n.Label) : null;
            if (points is not null || enabled is not null || condition is not null || label is not null)
            {
                changed.Add(new CriterionChange(n.Id, n.Label, points, enabled, condition, label));
            }
        }
        var grades = new List<GradeChange>();
        var ga = from.Grades.ToDictionary(g => g.Grade, StringComparer.Ordinal);
        var gb = to.Grades.ToDictionary(g => g.Grade, StringComparer.Ordinal);
        foreach (var g in to.Grades)
        {
            if (!ga.TryGetValue(g.Grade, out var o)) grades.Add(new GradeChange(g.Grade, null, g.MinScore, null, g.Label));
            else if (o.MinScore != g.MinScore || o.Label != g.Label) grades.Add(new GradeChange(g.Grade, o.MinScore, g.MinScore, o.Label, g.Label));
        }
        grades.AddRange(from.Grades.Where(g => !gb.ContainsKey(g.Grade)).Select(g => new GradeChange(g.Grade, g.MinScore, null, g.Label, null)));
        KnockOutEntry KnockOut(KnockOut k) => new(k.Id, k.Label, k.Enabled, Describe(k.Condition));
        var ka = from.KnockOuts.GroupBy(k => k.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var kb = to.KnockOuts.GroupBy(k => k.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var knockOutsChanged = new List<KnockOutChange>();
        foreach (var n in to.KnockOuts)
        {
            if (!ka.TryGetValue(n.Id, out var o)) continue;
            var enabled = o.Enabled != n.Enabled ? new Change<bool>(o.Enabled, n.Enabled) : null;
            var condition = o.Condition != n.Condition ? new Change<string>(Describe(o.Condition), Describe(n.Condition)) : null;
            var label = o.Label != n.Label ? new Change<string>(o.Label, n.Label) : null;
            if (enabled is not null || condition is not null || label is not null) knockOutsChanged.Add(new KnockOutChange(n.Id, n.Label, enabled, condition, label));
        }
        return new RuleSetDiff(fromVersion, toVersion, added, removed, changed,
            D(from.BasePoints, to.BasePoints), D(from.Thresholds.SalesReady, to.Thresholds.SalesReady), D(from.Thresholds.Hysteresis, to.Thresholds.Hysteresis), grades)
        {
            KnockOutsAdded = [.. to.KnockOuts.Where(k => !ka.ContainsKey(k.Id)).Select(KnockOut)],
            KnockOutsRemoved = [.. from.KnockOuts.Where(k => !kb.ContainsKey(k.Id)).Select(KnockOut)],
            KnockOutsChanged = knockOutsChanged,
        };
    }

    private static Change<double>? D(double a, double b) => a == b ? null : new Change<double>(a, b);
}
