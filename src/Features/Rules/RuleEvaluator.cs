using LeadML.Features.Featurization;

namespace LeadML.Features.Rules;

/// <summary>
/// Evaluates a rule set over feature vectors of a spec. Compiled once (criteria resolved to feature positions);
/// thread-safe. Criteria and knock-outs over features the spec lacks never fire and are listed in <see cref="UnknownFeatures"/>.
/// Grades follow the sales-ready rule (<see cref="SalesReadyGrade"/>): the top grade starts at the threshold, so a
/// score is sales-ready exactly when it gets the top grade — unless a knock-out fires: a disqualified lead is never
/// sales-ready and gets the lowest grade, whatever its score (<see cref="Grade(double, bool)"/>, <see cref="SalesReady"/>).
/// </summary>
public sealed class RuleEvaluator
{
    private readonly (Criterion Criterion, int Index)[] _criteria;
    private readonly (KnockOut KnockOut, int Index)[] _knockOuts;
    private readonly Dictionary<string, CapGroup> _caps;
    private readonly (double Min, double Max) _fitRange;
    private readonly (double Min, double Max) _engagementRange;

    public RuleEvaluator(RuleSet rules, FeatureSpec spec)
    {
        Rules = SalesReadyGrade.Aligned(rules);
        _caps = rules.CapGroups.ToDictionary(g => g.Name, StringComparer.Ordinal);
        var unknown = new List<string>();
        var list = new List<(Criterion, int)>();
        foreach (var c in rules.Criteria.Where(c => c.Enabled))
        {
            var i = spec.IndexOf(c.Condition.Feature);
            if (i < 0)
            {
                unknown.Add(c.Condition.Feature);
                continue;
            }
            list.Add((c, i));
        }
        _criteria = [.. list];
        var knockOuts = new List<(KnockOut, int)>();
        foreach (var k in rules.KnockOuts.Where(k => k.Enabled))
        {
            var i = spec.IndexOf(k.Condition.Feature);
            if (i < 0)
            {
                unknown.Add(k.Condition.Feature);
                continue;
            }
            knockOuts.Add((k, i));
        }
        _knockOuts = [.. knockOuts];
        UnknownFeatures = unknown;
        _fitRange = Reachable(CriterionGroup.Fit);
        _engagementRange = Reachable(CriterionGroup.Engagement);
    }

    public RuleSet Rules { get; }

    /// <summary>Features named by criteria or knock-outs that the model's spec does not have (they never fire).</summary>
    public IReadOnlyList<string> UnknownFeatures { get; }

    /// <summary>Scores one feature vector. <paramref name="explain"/> false skips building the fired list.</summary>
    public RuleScore Evaluate(ReadOnlySpan<float> vector, bool explain = true)
    {
        var fired = explain ? new List<FiredCriterion>() : null;
        Dictionary<string, (int Pos, int Neg)>? groupTotals = null;
        double fit = 0, engagement = 0;
        int totalPos = 0, totalNeg = 0;
        foreach (var (c, i) in _criteria)
        {
            var v = vector[i];
            if (!c.Condition.Matches(v)) continue;
            var counted = c.Points;
            if (c.CapGroup is { } g && _caps.TryGetValue(g, out var cap))
            {
                groupTotals ??= new Dictionary<string, (int, int)>(StringComparer.Ordinal);
                var (pos, neg) = groupTotals.GetValueOrDefault(g);
                if (counted > 0)
                {
                    counted = Math.Min(counted, Math.Max(0, cap.Max - pos));
                    pos += counted;
                }
                else
                {
                    counted = Math.Max(counted, Math.Min(0, cap.Min - neg));
                    neg += counted;
                }
                groupTotals[g] = (pos, neg);
            }
            if (Rules.TotalCap is { } total)
            {
                counted = counted > 0 ? Math.Min(counted, Math.Max(0, total.Max - totalPos)) : Math.Max(counted, Math.Min(0, total.Min - totalNeg));
                if (counted > 0) totalPos += counted;
                else totalNeg += counted;
            }
            if (c.Group == CriterionGroup.Fit) fit += counted;
            else engagement += counted;
            fired?.Add(new FiredCriterion(c.Id, c.Label, c.Group, c.Points, counted, v));
        }
        var score = Math.Clamp(Rules.BasePoints + fit + engagement, 0, 100);
        return new RuleScore(score, Scale(fit, _fitRange), Scale(engagement, _engagementRange), (IReadOnlyList<FiredCriterion>?)fired ?? [])
        {
            KnockOuts = KnockOuts(vector),
        };
    }

    /// <summary>The enabled knock-outs that fire for a feature vector (an empty list, not allocated, when none does).</summary>
    public IReadOnlyList<FiredKnockOut> KnockOuts(ReadOnlySpan<float> vector)
    {
        List<FiredKnockOut>? fired = null;
        foreach (var (k, i) in _knockOuts)
        {
            if (!k.Condition.Matches(vector[i])) continue;
            (fired ??= []).Add(new FiredKnockOut(k.Id, k.Label, vector[i]));
        }
        return (IReadOnlyList<FiredKnockOut>?)fired ?? [];
    }

    /// <summary>Whether an enabled knock-out fires for a feature vector.</summary>
    public bool IsDisqualified(ReadOnlySpan<float> vector)
    {
        foreach (var (k, i) in _knockOuts)
        {
            if (k.Condition.Matches(vector[i])) return true;
        }
        return false;
    }

    /// <summary>For each of a sample's rows (<paramref name="rows"/> × <paramref name="width"/>), whether a knock-out
    /// fires.</summary>
    public bool[] Disqualified(ReadOnlySpan<float> x, int rows, int width)
    {
        var result = new bool[rows];
        if (_knockOuts.Length == 0) return result;
        for (var i = 0; i < rows; i++) result[i] = IsDisqualified(x.Slice(i * width, width));
        return result;
    }

    /// <summary>The grade of a score, or the lowest grade when the lead is disqualified (a knock-out fired).</summary>
    public string Grade(double score, bool disqualified) =>
        disqualified ? (Rules.Grades.Count > 0 ? Rules.Grades[^1].Grade : "") : Grade(score);

    /// <summary>Whether a score is sales-ready: at or above the threshold, and not disqualified by a knock-out.</summary>
    public bool SalesReady(double score, bool disqualified) => !disqualified && score >= Rules.Thresholds.SalesReady;

    /// <summary>The scores of a sample's rows, without explanations.</summary>
    /// <param name="x">Feature vectors, row after row (<paramref name="rows"/> × <paramref name="width"/>).</param>
    /// <param name="rows">How many rows.</param>
    /// <param name="width">Features per row (the spec's width).</param>
    public double[] Scores(ReadOnlySpan<float> x, int rows, int width)
    {
        var scores = new double[rows];
        for (var i = 0; i < rows; i++) scores[i] = Evaluate(x.Slice(i * width, width), explain: false).Score;
        return scores;
    }

    /// <summary>The grade for a score (the first band whose minimum it reaches; the last band otherwise).</summary>
    public string Grade(double score)
    {
        foreach (var g in Rules.Grades)
        {
            if (score >= g.MinScore) return g.Grade;
        }
        return Rules.Grades.Count > 0 ? Rules.Grades[^1].Grade : "";
    }

    private static double Scale(double points, (double Min, double Max) range) =>
        range.Max <= range.Min ? 0 : Math.Clamp(100 * (points - range.Min) / (range.Max - range.Min), 0, 100);

    /// <summary>The lowest and highest totals a group of criteria can reach, honouring caps. Criteria over one
    /// feature are bands that exclude each other, so each feature adds at most its best (or worst) band.</summary>
    private (double Min, double Max) Reachable(CriterionGroup group)
    {
        double min = 0, max = 0;
        foreach (var byCap in _criteria.Where(c => c.Criterion.Group == group).GroupBy(c => c.Criterion.CapGroup ?? "\0" + c.Criterion.Condition.Feature, StringComparer.Ordinal))
        {
            var byFeature = byCap.GroupBy(c => c.Criterion.Condition.Feature, StringComparer.Ordinal).ToList();
            var pos = byFeature.Sum(f => Math.Max(0, f.Max(c => c.Criterion.Points)));
            var neg = byFeature.Sum(f => Math.Min(0, f.Min(c => c.Criterion.Points)));
            if (byCap.First().Criterion.CapGroup is { } g && _caps.TryGetValue(g, out var cap))
            {
                pos = Math.Min(pos, cap.Max);
                neg = Math.Max(neg, cap.Min);
            }
            max += pos;
            min += neg;
        }
        return (min, max);
    }
}
