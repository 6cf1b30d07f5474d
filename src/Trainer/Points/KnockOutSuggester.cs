using System.Globalization;
using LeadML.Features.Featurization;
using LeadML.Features.Rules;
using LeadML.Features.Snapshots;

namespace LeadML.Trainer.Points;

/// <summary>Settings of the knock-out suggestion.</summary>
internal sealed record KnockOutOptions
{
    /// <summary>Fewest leads a condition must hold for to be suggested as a knock-out.</summary>
    public int MinLeads { get; init; } = 40;
    /// <summary>A condition is a knock-out when the upper bound of its rate's interval lies below this share of the
    /// base rate (a fifth).</summary>
    public double ShareOfBaseRate { get; init; } = 0.2;
    /// <summary>The z value of the two-sided interval: 1.6449 for 90 %.</summary>
    public double Z { get; init; } = 1.6448536269514722;
}

/// <summary>
/// Suggests knock-outs (disqualifiers) where the data supports them. Candidates are every category level (e.g.
/// "Job title: Student") and every event channel (done at some time for the event types the schema marks negative,
/// done in the last 90 days for the others). Counted per lead over the training and validation snapshots (never the
/// test period): a lead matches when the condition held at one of its cut-offs, and counts as converted when it
/// converted within the horizon of such a cut-off; the base rate counts every lead the same way. Rules, in order:
/// <list type="number">
/// <item><b>Almost never converts</b>: the upper bound of the 90 % Wilson score interval of the condition's rate lies below
/// a fifth of the base rate, with at least 40 leads.</item>
/// <item><b>A negative event the data confirms</b>: an event type the schema marks negative (<c>negativeEventTypes</c>:
/// an unsubscribe, a bounce) whose leads convert clearly less than every lead (the same interval's upper bound below the
/// base rate, at least 40 leads). The lead itself said "no more" (or can no longer be reached), and the data agrees it
/// lowers conversion, so it is suggested even when the rate is not near zero; the description says which rule applied.</item>
/// </list>
/// Wilson rather than Clopper–Pearson: it is closed-form, and its coverage is close to nominal at the rates and
/// counts met here (Clopper–Pearson is wider by design). Weaker signals stay negative criteria.
/// </summary>
internal static class KnockOutSuggester
{
    /// <summary>The evidence rule "almost never converts".</summary>
    public const string RateRule = "rate";

    /// <summary>The evidence rule "a negative event the data confirms".</summary>
    public const string NegativeEventRule = "negative event";

    /// <summary>The knock-outs the training and validation snapshots of <paramref name="s"/> support (never the test period's).</summary>
    public static IReadOnlyList<KnockOut> ForTraining(SnapshotSet s, KnockOutOptions? options = null)
    {
        var (x, y, rows) = s.View(Period.Train, Period.Validation);
        return Suggest(s.Spec, x.Span, y, [.. rows.Select(i => s.Lead[i])], options);
    }

    /// <param name="spec">The features of <paramref name="x"/>.</param>
    /// <param name="x">Snapshot rows (<paramref name="y"/>.Length × the spec's width).</param>
    /// <param name="y">Outcomes: 1 when the lead converted within the horizon after the row's cut-off.</param>
    /// <param name="lead">The lead of each row.</param>
    public static IReadOnlyList<KnockOut> Suggest(FeatureSpec spec, ReadOnlySpan<float> x, float[] y, int[] lead, KnockOutOptions? options = null)
    {
        options ??= new KnockOutOptions();
        var width = spec.Features.Count;
        var rows = y.Length;
        if (x.Length != rows * width || lead.Length != rows)
        {
            throw new ArgumentException($"expected {rows} × {width} values and {rows} lead numbers, got {x.Length} and {lead.Length}", nameof(x));
        }
        var everyLead = new Dictionary<int, bool>();
        for (var i = 0; i < rows; i++) everyLead[lead[i]] = everyLead.GetValueOrDefault(lead[i]) || y[i] > 0.5f;
        if (everyLead.Count == 0) return [];
        var baseRate = everyLead.Values.Count(c => c) / (double)everyLead.Count;

        var result = new List<KnockOut>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (condition, negativeEvent) in Candidates(spec))
        {
            var j = spec.IndexOf(condition.Feature);
            var matched = new Dictionary<int, bool>();
            for (var i = 0; i < rows; i++)
            {
                if (!condition.Matches(x[i * width + j])) continue;
                matched[lead[i]] = matched.GetValueOrDefault(lead[i]) || y[i] > 0.5f;
            }
            var n = matched.Count;
            if (n < options.MinLeads) continue;
            var conversions = matched.Values.Count(c => c);
            var rate = conversions / (double)n;
            var upper = WilsonUpper(conversions, n, options.Z);
            var rule = upper < options.ShareOfBaseRate * baseRate ? RateRule
                : negativeEvent && upper < baseRate ? NegativeEventRule
                : null;
            if (rule is null) continue;
            var label = CriterionText.Label(spec, condition);
            result.Add(new KnockOut
            {
                Id = PointsBuilder.UniqueId(label, ids),
                Label = label,
                Description = Describe(label, rule, n, conversions, rate, upper, baseRate, options),
                Condition = condition,
                Evidence = new KnockOutEvidence(n, conversions, Math.Round(rate, 6), Math.Round(upper, 6), Math.Round(baseRate, 6)) { Rule = rule },
            });
        }
        return result;
    }

    /// <summary>The upper bound of the Wilson score interval of <paramref name="k"/> successes in <paramref name="n"/>
    /// trials at <paramref name="z"/> (1.6449: the two-sided 90 % interval).</summary>
    public static double WilsonUpper(int k, int n, double z)
    {
        if (n <= 0) return 1;
        var p = k / (double)n;
        var z2 = z * z;
        var centre = p + z2 / (2 * n);
        var spread = z * Math.Sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
        return Math.Min(1, (centre + spread) / (1 + z2 / n));
    }

    /// <summary>Every category level, and one condition per event channel: "done at some time" for a negative event type
    /// (its <c>ever</c> flag), "done in the last 90 days" for the others (their longest count window).</summary>
    private static IEnumerable<(Condition Condition, bool NegativeEvent)> Candidates(FeatureSpec spec)
    {
        foreach (var f in spec.Features)
        {
            if (f.Kind == FeatureKind.Level) yield return (new Condition(f.Name, ConditionOp.Eq, 1), false);
        }
        var negative = spec.NegativeEventTypes.ToHashSet(StringComparer.Ordinal);
        foreach (var ch in spec.Channels)
        {
            if (ch.Detail is null && negative.Contains(ch.Type) && spec.IndexOf(FeatureNames.Ever(ch.Type)) >= 0)
            {
                yield return (new Condition(FeatureNames.Ever(ch.Type), ConditionOp.Eq, 1), true);
                continue;
            }
            var longest = FeatureNames.CountWindows.Reverse().Select(w => FeatureNames.Count(ch.Type, ch.Detail, w)).FirstOrDefault(n => spec.IndexOf(n) >= 0)
                ?? FeatureNames.Count(ch.Type, ch.Detail, 90);
            if (spec.IndexOf(longest) >= 0) yield return (new Condition(longest, ConditionOp.Gte, 1), false);
        }
    }

    private static string Describe(string label, string rule, int n, int conversions, double rate, double upper, double baseRate, KnockOutOptions o)
    {
        var c = CultureInfo.InvariantCulture;
        var data = string.Create(c,
            $"Of the {n:N0} leads who matched “{label}” in the training and validation periods, {conversions:N0} converted within the horizon ({rate:P1}; every lead: {baseRate:P1}). ");
        var why = rule == RateRule
            ? string.Create(c, $"They almost never convert: the 90 % interval of that rate reaches at most {upper:P1}, below a fifth of every lead's rate ({o.ShareOfBaseRate * baseRate:P1}). ")
            : string.Create(c, $"The history marks this a negative event (the lead asked for no more, or can no longer be reached), and the data agrees: the 90 % interval of the rate reaches at most {upper:P1}, below every lead's rate. ");
        return data + why + "Such a lead is never sent to sales, whatever its points; disable the knock-out to let its points decide.";
    }
}
