using System.Globalization;
using System.Text.Json.Nodes;
using LeadML.Features.Bundles;
using LeadML.Features.Featurization;
using LeadML.Features.Rules;
using LeadML.Trainer.Points;

namespace LeadML.Trainer.Bench;

/// <summary>One true effect of the sample history beside what the suggested points say about it (log-odds).</summary>
internal sealed record RecoveredEffect(string Feature, string Description, double TrueLogOdds, double SuggestedLogOdds, int Rows, int ComparedWith)
{
    /// <summary>An effect of what the lead does (events, inactivity) rather than of who it is.</summary>
    public bool IsBehaviour => !Feature.StartsWith("attr.", StringComparison.Ordinal);

    public bool SignAgrees => Math.Sign(TrueLogOdds) == Math.Sign(Math.Round(SuggestedLogOdds, 6));
}

/// <summary>How well the suggested points recover the generator's true effects.</summary>
/// <param name="BehaviourSpearman">The same over the behaviour effects alone (events and inactivity, not attributes).</param>
/// <param name="ZeroEffectCriteria">Criteria with points on event channels that have no effect at all (e-mail opens,
/// blog posts…), as "label (points)".</param>
internal sealed record RecoveryResult(IReadOnlyList<RecoveredEffect> Effects, double Spearman, IReadOnlyList<string> WrongSigns, IReadOnlyList<string> PostConversionCriteria)
{
    public double BehaviourSpearman { get; init; } = double.NaN;
    public IReadOnlyList<string> ZeroEffectCriteria { get; init; } = [];
}

/// <summary>
/// Compares suggested points with <c>truth.json</c>. For each true effect, evaluation rows where it applies are
/// compared with rows of the same feature where no true effect applies (for a level: the levels without effect);
/// the difference in the points of that feature's criterion family, divided by the scale's factor, is the
/// suggested effect in log-odds. A per-unit effect is compared at its cap.
/// </summary>
internal static class TruthRecovery
{
    public static RecoveryResult Evaluate(JsonObject truth, RuleSet rules, FeatureSpec spec, EvaluationSample sample)
    {
        var families = Families.Of(spec);
        var familyOf = new Dictionary<string, Family>(StringComparer.Ordinal);
        foreach (var f in families)
        {
            foreach (var j in f.Features) familyOf[spec.Features[j].Name] = f;
        }
        var effects = truth["effects"]!.AsArray().Select(e => e!.AsObject()).ToList();
        var zero = truth["zeroEffectFeatures"]?.AsArray().Select(z => z!.ToString()).ToHashSet(StringComparer.Ordinal) ?? [];
        var results = new List<RecoveredEffect>();
        foreach (var e in effects)
        {
            var feature = e["feature"]!.ToString();
            var kind = e["kind"]!.ToString();
            var logOdds = e["logOdds"]!.GetValue<double>();
            var j = spec.IndexOf(feature);
            if (j < 0 || !familyOf.TryGetValue(feature, out var family))
            {
                results.Add(new RecoveredEffect(feature, e["description"]?.ToString() ?? feature, TrueValue(e), 0, 0, 0));
                continue;
            }
            Func<int, bool> applies, neutral;
            switch (kind)
            {
                case "level":
                    applies = i => sample.Row(i)[j] > 0.5f;
                    var neutralLevels = family.Features.Where(k => zero.Contains(spec.Features[k].Name)).ToArray();
                    neutral = i => neutralLevels.Any(k => sample.Row(i)[k] > 0.5f);
                    break;
                case "flag":
                    applies = i => sample.Row(i)[j] > 0.5f;
                    neutral = i => sample.Row(i)[j] < 0.5f;
                    break;
                case "atLeast" or "below":
                    var sameFeature = effects.Where(o => o["feature"]!.ToString() == feature).ToList();
                    applies = i => Applies(e, sample.Row(i)[j]);
                    neutral = i => !float.IsNaN(sample.Row(i)[j]) && sameFeature.All(o => !Applies(o, sample.Row(i)[j]));
                    break;
                case "perUnit":
                    var per = e["per"]!.GetValue<double>();
                    var cap = e["cap"]!.GetValue<double>();
                    // Days without activity are missing when there was never any; the truth then counts them from the
                    // creation, so the lead's age stands for them (a lead created yesterday is not idle).
                    var missingAs = e["missingAs"] is { } m ? spec.IndexOf(m.ToString()) : -1;
                    float Value(int i) => float.IsNaN(sample.Row(i)[j]) && missingAs >= 0 ? sample.Row(i)[missingAs] : sample.Row(i)[j];
                    applies = i => Value(i) >= cap;
                    neutral = i => Value(i) < per;
                    break;
                default:
                    continue;
            }
            double sumA = 0, sumN = 0;
            int nA = 0, nN = 0;
            // A detail channel's effect (a demo form) also shows in its type's criteria (any form): count both.
            var typeFamily = family.Name.Contains('[', StringComparison.Ordinal) ? family.Name[..family.Name.IndexOf('[', StringComparison.Ordinal)] : null;
            // Overall inactivity shows in every "days since the last …" criterion, not only in the any-activity one.
            var activity = family.Name.StartsWith("act.", StringComparison.Ordinal);
            var familyCriteria = rules.Criteria.Where(c => c.Enabled && familyOf.TryGetValue(c.Condition.Feature, out var f)
                    && (f == family || f.Name == typeFamily || (activity && spec.Features[spec.IndexOf(c.Condition.Feature)].Kind == FeatureKind.Recency
                        && c.Group == CriterionGroup.Engagement)))
                .Select(c => (c, spec.IndexOf(c.Condition.Feature))).ToList();
            for (var i = 0; i < sample.Rows; i++)
            {
                var row = sample.Row(i);
                var a = applies(i);
                var n = !a && neutral(i);
                if (!a && !n) continue;
                double points = 0;
                foreach (var (c, k) in familyCriteria)
                {
                    if (c.Condition.Matches(row[k])) points += c.Points;
                }
                if (a)
                {
                    sumA += points;
                    nA++;
                }
                else
                {
                    sumN += points;
                    nN++;
                }
            }
            var suggested = nA == 0 || nN == 0 ? 0 : (sumA / nA - sumN / nN) / rules.Scale.Factor;
            results.Add(new RecoveredEffect(feature, e["description"]?.ToString() ?? feature, TrueValue(e), Math.Round(suggested, 4), nA, nN));
        }
        var post = truth["postConversionOnlyEventTypes"]?.AsArray().Select(t => t!.ToString()).ToList() ?? [];
        var leaked = rules.Criteria.Where(c => post.Any(t => c.Condition.Feature.StartsWith($"evt.{t}.", StringComparison.Ordinal)
            || c.Condition.Feature.StartsWith($"evt.{t}[", StringComparison.Ordinal))).Select(c => c.Id).ToList();
        var wrong = results.Where(r => Math.Abs(r.TrueLogOdds) >= 0.3 && !r.SignAgrees).Select(r => r.Description).ToList();
        var spearman = Spearman([.. results.Select(r => r.TrueLogOdds)], [.. results.Select(r => r.SuggestedLogOdds)]);
        var behaviour = results.Where(r => r.IsBehaviour).ToList();
        var zeroChannels = zero.Where(z => z.StartsWith("evt.", StringComparison.Ordinal)).ToList();
        // A type all of whose details are without effect (e-mail opens) is without effect as a whole.
        var notZero = effects.Select(e => e["feature"]!.ToString())
            .Concat(truth["noDirectEffectFeatures"]?.AsArray().Select(n => n!.ToString()) ?? []).ToList();
        foreach (var type in zeroChannels.Where(z => z.Contains('[', StringComparison.Ordinal)).Select(z => z[..z.IndexOf('[', StringComparison.Ordinal)]).Distinct().ToList())
        {
            if (!notZero.Any(n => n.StartsWith(type + "[", StringComparison.Ordinal) || n.StartsWith(type + ".", StringComparison.Ordinal))) zeroChannels.Add(type);
        }
        var zeroCriteria = rules.Criteria.Where(c => c.Enabled && c.Points != 0 && zeroChannels.Any(z => c.Condition.Feature.StartsWith(z + ".", StringComparison.Ordinal)))
            .Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Label} ({c.Points:+0;-0})")).ToList();
        return new RecoveryResult(results, spearman, wrong, leaked)
        {
            BehaviourSpearman = Spearman([.. behaviour.Select(r => r.TrueLogOdds)], [.. behaviour.Select(r => r.SuggestedLogOdds)]),
            ZeroEffectCriteria = zeroCriteria,
        };
    }

    private static double TrueValue(JsonObject e) => e["kind"]!.ToString() == "perUnit"
        ? e["logOdds"]!.GetValue<double>() * e["cap"]!.GetValue<double>() / e["per"]!.GetValue<double>()
        : e["logOdds"]!.GetValue<double>();

    private static bool Applies(JsonObject e, float v)
    {
        if (float.IsNaN(v)) return false;
        var t = e["threshold"]!.GetValue<double>();
        return e["kind"]!.ToString() == "atLeast" ? v >= t : v < t;
    }

    internal static double Spearman(double[] a, double[] b)
    {
        if (a.Length < 3) return double.NaN;
        var ra = Ranks(a);
        var rb = Ranks(b);
        double ma = ra.Average(), mb = rb.Average(), sab = 0, saa = 0, sbb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            sab += (ra[i] - ma) * (rb[i] - mb);
            saa += (ra[i] - ma) * (ra[i] - ma);
            sbb += (rb[i] - mb) * (rb[i] - mb);
        }
        return saa == 0 || sbb == 0 ? 0 : sab / Math.Sqrt(saa * sbb);
    }

    private static double[] Ranks(double[] v)
    {
        var order = Enumerable.Range(0, v.Length).OrderBy(i => v[i]).ToArray();
        var ranks = new double[v.Length];
        for (var k = 0; k < order.Length;)
        {
            var e = k;
            while (e + 1 < order.Length && v[order[e + 1]] == v[order[k]]) e++;
            for (var t = k; t <= e; t++) ranks[order[t]] = (k + e) / 2.0;
            k = e + 1;
        }
        return ranks;
    }

    /// <summary>A plain table for the terminal or BENCHMARKS.md.</summary>
    public static string Format(RecoveryResult r)
    {
        var c = CultureInfo.InvariantCulture;
        var lines = new List<string> { "| true effect | true log-odds | suggested log-odds | sign |", "|---|---:|---:|---|" };
        lines.AddRange(r.Effects.Select(e => string.Create(c, $"| {e.Description} | {e.TrueLogOdds:+0.00;-0.00} | {e.SuggestedLogOdds:+0.00;-0.00} | {(e.SignAgrees ? "ok" : Math.Abs(e.TrueLogOdds) >= 0.3 ? "WRONG" : "(small)")} |")));
        lines.Add(string.Create(c, $"Spearman {r.Spearman:0.000} (behaviour alone {r.BehaviourSpearman:0.000}); wrong signs on effects ≥ 0.3: {r.WrongSigns.Count}; criteria on post-conversion events: {r.PostConversionCriteria.Count}; criteria on channels without effect: {(r.ZeroEffectCriteria.Count == 0 ? "none" : string.Join(", ", r.ZeroEffectCriteria))}"));
        return string.Join('\n', lines);
    }
}
