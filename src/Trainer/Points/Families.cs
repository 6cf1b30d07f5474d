using LeadML.Features.Featurization;
using LeadML.Features.Rules;

namespace LeadML.Trainer.Points;

/// <summary>
/// A criterion family: the features that describe one thing a marketer recognises — one attribute column (all its
/// level columns), one event channel (its counts over every window, recency, trend and "ever"), or one activity
/// measure. Correlated features of a family share the model's credit between them, so points are built from the
/// family's summed contribution and expressed as bands of one representative feature.
/// <para>Inactivity is one family: days since the last activity of any kind, joined by the days since the last event
/// of a type that has details (any page, any e-mail): such a type's recency is the lead's activity in other words, and
/// left in its own family it would spread inactivity over several criteria with opposite signs. A type without
/// details (quote requests, webinars) keeps its recency: that is the behaviour itself.</para>
/// </summary>
internal sealed record Family(string Name, string Label, CriterionGroup Group, bool IsCategory, int[] Features);

internal static class Families
{
    public static IReadOnlyList<Family> Of(FeatureSpec spec)
    {
        var byName = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var order = new List<string>();
        var labels = new Dictionary<string, (string Label, bool IsCategory)>(StringComparer.Ordinal);
        for (var j = 0; j < spec.Features.Count; j++)
        {
            var (family, label, isCategory) = FamilyOf(spec, spec.Features[j]);
            if (!byName.TryGetValue(family, out var list))
            {
                byName[family] = list = [];
                order.Add(family);
                labels[family] = (label, isCategory);
            }
            list.Add(j);
        }
        // The family's own feature (days since any activity) first: it is the representative unless another explains clearly more.
        foreach (var (name, list) in byName)
        {
            var own = list.FindIndex(j => spec.Features[j].Name == name);
            if (own > 0)
            {
                var j = list[own];
                list.RemoveAt(own);
                list.Insert(0, j);
            }
        }
        return [.. order.Select(n => new Family(n, labels[n].Label, spec.Features[byName[n][0]].Group, labels[n].IsCategory, [.. byName[n]]))];
    }

    /// <summary>The inactivity family's name (that of the days since the last activity of any kind).</summary>
    public const string Inactivity = FeatureNames.DaysSinceLastActivity;

    private static (string Family, string Label, bool IsCategory) FamilyOf(FeatureSpec spec, FeatureDefinition f)
    {
        if (f.Kind == FeatureKind.Recency && !f.Negative && spec.IndexOf(Inactivity) >= 0
            && spec.Channels.Any(ch => ch.Detail is null && f.Name == FeatureNames.DaysSinceLast(ch.Type, null))
            && spec.Channels.Any(ch => ch.Detail is not null && f.Name == FeatureNames.DaysSinceLast(ch.Type, null)))
        {
            return (Inactivity, spec.Features[spec.IndexOf(Inactivity)].Label, false);
        }
        foreach (var a in spec.Attributes)
        {
            var name = FeatureNames.Attribute(a.Column);
            if (f.Name == name) return (name, CriterionText.Column(a.Column), false);
            if (f.Name.StartsWith(name + "=", StringComparison.Ordinal)) return (name, CriterionText.Column(a.Column), true);
        }
        foreach (var ch in spec.Channels)
        {
            var name = FeatureNames.Channel(ch.Type, ch.Detail);
            if (f.Name.StartsWith(name + ".", StringComparison.Ordinal))
            {
                return (name, FeatureLayout.Describe(ch), false);
            }
        }
        if (f.Name.StartsWith("act.active_days_", StringComparison.Ordinal)) return ("act.active_days", "active days", false);
        return (f.Name, f.Label, false);
    }
}
