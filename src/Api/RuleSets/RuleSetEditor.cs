using System.Globalization;
using LeadML.Api.Hosting;
using LeadML.Api.Scoring;
using LeadML.Features.Featurization;
using LeadML.Features.Rules;

namespace LeadML.Api.RuleSets;

/// <summary>
/// Applies an edit (<see cref="RuleSetInput"/>) to a rule set and checks the result against the model's features:
/// every condition (of a criterion or a knock-out) names a feature of the bundle's spec, points are whole numbers from −100 to 100, thresholds lie in
/// 0–100 and grades run best first. The sales-ready threshold is the top grade's lower bound (<see cref="SalesReadyGrade"/>):
/// an edit of the threshold alone moves the top grade's minimum with it, an edit of the grades alone moves the
/// threshold to the top grade's minimum, and an edit that sends both different is refused. The first problem found is a <see cref="RequestValidationException"/> naming
/// its JSON path, e.g. <c>$.criteria[3].points</c>.
/// </summary>
public static partial class RuleSetEditor
{
    public const int MinPoints = -100;
    public const int MaxPoints = 100;
    public const double MaxHysteresis = 50;

    public static RuleSet Apply(RuleSet current, RuleSetInput input, FeatureSpec spec)
    {
        var basePoints = input.BasePoints ?? current.BasePoints;
        if (!double.IsFinite(basePoints) || basePoints < 0 || basePoints > 100)
        {
            throw new RequestValidationException("$.basePoints", $"is {Num(basePoints)}; base points must lie between 0 and 100");
        }
        var criteria = input.Criteria is null ? current.Criteria : Criteria(current, input.Criteria, spec);
        var knockOuts = input.KnockOuts is null ? current.KnockOuts : KnockOuts(current, input.KnockOuts, spec);
        var thresholds = Thresholds(current.Thresholds, input.Thresholds);
        var grades = input.Grades is null ? current.Grades : Grades(input.Grades, current.Grades);
        (thresholds, grades) = SalesReady(input, thresholds, grades);
        var matrix = input.Matrix is { } m
            ? new FitEngagementMatrix(Cuts(m.Fit, current.Matrix?.Fit, "$.matrix.fit"), Cuts(m.Engagement, current.Matrix?.Engagement, "$.matrix.engagement"))
            : current.Matrix;
        return current with { BasePoints = basePoints, Criteria = criteria, KnockOuts = knockOuts, Thresholds = thresholds, Grades = grades, Matrix = matrix };
    }

    /// <summary>One axis of the matrix: three cut-offs from 100 down to 0 (or none).</summary>
    private static IReadOnlyList<double> Cuts(List<double>? sent, IReadOnlyList<double>? current, string path)
    {
        if (sent is null) return current ?? [];
        if (sent.Count is not (0 or 3))
        {
            throw new RequestValidationException(path, $"has {sent.Count} values; give three cut-offs (for A, B, C or 1, 2, 3), highest first, or none");
        }
        for (var k = 0; k < sent.Count; k++)
        {
            if (!double.IsFinite(sent[k]) || sent[k] < 0 || sent[k] > 100)
            {
                throw new RequestValidationException($"{path}[{k}]", $"is {Num(sent[k])}; a cut-off must lie between 0 and 100");
            }
            if (k > 0 && sent[k] > sent[k - 1])
            {
                throw new RequestValidationException($"{path}[{k}]", $"is {Num(sent[k])}, above the one before ({Num(sent[k - 1])}); cut-offs go highest first");
            }
        }
        return [.. sent];
    }

    /// <summary>Applies a merge patch to a stored draft: the criteria it names by id are changed (the fields sent),
    /// added (a new id) or removed (null), the others kept in their order, new ones appended; a problem is answered at
    /// the path the patch sent it at (<c>$.criteria.job-title-student.points</c>).</summary>
    public static RuleSet Merge(StoredRuleSet stored, RuleSetPatch patch, FeatureSpec spec)
    {
        List<CriterionInput?>? items = null;
        var paths = new List<string>();
        if (patch.Criteria is { } changes)
        {
            items = [];
            var known = stored.Rules.Criteria.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
            foreach (var c in stored.Rules.Criteria)
            {
                var path = UnknownProperty.Path("$.criteria", c.Id);
                if (!changes.TryGetValue(c.Id, out var change))
                {
                    items.Add(new CriterionInput { Id = c.Id });
                    paths.Add(path);
                }
                else if (change is not null)
                {
                    items.Add(Named(change, c.Id, path));
                    paths.Add(path);
                }
            }
            foreach (var (id, change) in changes)
            {
                if (known.Contains(id)) continue;
                var path = UnknownProperty.Path("$.criteria", id);
                if (change is null) throw new RequestValidationException(path, $"is not a criterion of version {stored.Version}, so there is nothing to remove");
                items.Add(Named(change, id, path));
                paths.Add(path);
            }
        }
        List<KnockOutInput?>? knockOuts = null;
        var knockOutPaths = new List<string>();
        if (patch.KnockOuts is { } koChanges)
        {
            knockOuts = [];
            var known = stored.Rules.KnockOuts.Select(k => k.Id).ToHashSet(StringComparer.Ordinal);
            foreach (var k in stored.Rules.KnockOuts)
            {
                var path = UnknownProperty.Path("$.knockOuts", k.Id);
                if (!koChanges.TryGetValue(k.Id, out var change))
                {
                    knockOuts.Add(new KnockOutInput { Id = k.Id });
                    knockOutPaths.Add(path);
                }
                else if (change is not null)
                {
                    knockOuts.Add(NamedKnockOut(change, k.Id, path));
                    knockOutPaths.Add(path);
                }
            }
            foreach (var (id, change) in koChanges)
            {
                if (known.Contains(id)) continue;
                var path = UnknownProperty.Path("$.knockOuts", id);
                if (change is null) throw new RequestValidationException(path, $"is not a knock-out of version {stored.Version}, so there is nothing to remove");
                knockOuts.Add(NamedKnockOut(change, id, path));
                knockOutPaths.Add(path);
            }
        }
        var input = new RuleSetInput { BasePoints = patch.BasePoints, Criteria = items, KnockOuts = knockOuts, Thresholds = patch.Thresholds, Grades = patch.Grades };
        try
        {
            return Apply(stored.Rules, input, spec);
        }
        catch (RequestValidationException e) when (CriterionPath().Match(e.Path) is { Success: true } m)
        {
            var byId = m.Groups["list"].Value == "criteria" ? paths : knockOutPaths;
            throw new RequestValidationException(byId[int.Parse(m.Groups["index"].Value, CultureInfo.InvariantCulture)] + m.Groups["rest"].Value, e.Message);
        }
    }

    private static KnockOutInput NamedKnockOut(KnockOutInput change, string id, string path) =>
        change.Id is { } given && given.Trim() != id
            ? throw new RequestValidationException($"{path}.id", $"is '{given}' but the knock-out is named by its key '{id}'; an id cannot change")
            : change with { Id = id };

    private static CriterionInput Named(CriterionInput change, string id, string path) =>
        change.Id is { } given && given.Trim() != id
            ? throw new RequestValidationException($"{path}.id", $"is '{given}' but the criterion is named by its key '{id}'; an id cannot change")
            : change with { Id = id };

    [System.Text.RegularExpressions.GeneratedRegex(@"^\$\.(?<list>criteria|knockOuts)\[(?<index>\d+)\](?<rest>.*)$", System.Text.RegularExpressions.RegexOptions.Singleline)]
    private static partial System.Text.RegularExpressions.Regex CriterionPath();

    /// <summary>The criteria and knock-outs of <paramref name="rules"/> whose features the spec lacks, with their JSON paths.</summary>
    public static IReadOnlyList<string> UnknownFeatures(RuleSet rules, FeatureSpec spec) =>
        [.. rules.Criteria.Select((c, i) => (c, i)).Where(x => spec.IndexOf(x.c.Condition.Feature) < 0)
            .Select(x => $"$.criteria[{x.i}].condition.feature '{x.c.Condition.Feature}'"),
         .. rules.KnockOuts.Select((k, i) => (k, i)).Where(x => spec.IndexOf(x.k.Condition.Feature) < 0)
            .Select(x => $"$.knockOuts[{x.i}].condition.feature '{x.k.Condition.Feature}'")];

    /// <summary>The knock-outs as sent: ids unique, a condition over a feature of the model (the same checks as a
    /// criterion's), the label defaulting to the condition in words (<see cref="CriterionText"/>).</summary>
    private static List<KnockOut> KnockOuts(RuleSet current, List<KnockOutInput?> items, FeatureSpec spec)
    {
        var byId = current.KnockOuts.GroupBy(k => k.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var result = new List<KnockOut>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var path = $"$.knockOuts[{i}]";
            var item = items[i] ?? throw new RequestValidationException(path, "must be a knock-out object");
            var id = item.Id?.Trim();
            if (string.IsNullOrEmpty(id)) throw new RequestValidationException($"{path}.id", "is required");
            if (seen.TryGetValue(id, out var first))
            {
                throw new RequestValidationException($"{path}.id", $"'{id}' is already used by $.knockOuts[{first}]; knock-out ids are unique within a rule set");
            }
            seen[id] = i;
            byId.TryGetValue(id, out var old);
            var condition = Condition(old?.Condition, item.Condition, $"{path}.condition", spec, "knock-out");
            var sameCondition = old is not null && old.Condition == condition;
            var label = item.Label?.Trim();
            if (item.Label is not null && string.IsNullOrEmpty(label)) throw new RequestValidationException($"{path}.label", "is empty; send words, or leave it out for the condition in words");
            result.Add(new KnockOut
            {
                Id = id,
                Label = label ?? (sameCondition ? old!.Label : CriterionText.Label(spec, condition)),
                Description = item.Description ?? (sameCondition ? old!.Description : ""),
                Condition = condition,
                Enabled = item.Enabled ?? old?.Enabled ?? true,
                // The evidence describes the condition it was measured for; a new condition has none.
                Evidence = sameCondition ? old!.Evidence : null,
            });
        }
        return result;
    }

    private static List<Criterion> Criteria(RuleSet current, List<CriterionInput?> items, FeatureSpec spec)
    {
        var byId = current.Criteria.GroupBy(c => c.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var caps = current.CapGroups.Select(g => g.Name).ToHashSet(StringComparer.Ordinal);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var result = new List<Criterion>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var path = $"$.criteria[{i}]";
            var item = items[i] ?? throw new RequestValidationException(path, "must be a criterion object");
            var id = item.Id?.Trim();
            if (string.IsNullOrEmpty(id)) throw new RequestValidationException($"{path}.id", "is required");
            if (seen.TryGetValue(id, out var first))
            {
                throw new RequestValidationException($"{path}.id", $"'{id}' is already used by $.criteria[{first}]; ids are unique within a rule set");
            }
            seen[id] = i;
            byId.TryGetValue(id, out var old);

            var condition = Condition(old?.Condition, item.Condition, $"{path}.condition", spec);
            var label = (item.Label ?? old?.Label)?.Trim();
            if (string.IsNullOrEmpty(label)) throw new RequestValidationException($"{path}.label", "is required for a new criterion");
            var points = item.Points ?? old?.Points ?? throw new RequestValidationException($"{path}.points", "is required for a new criterion");
            if (!double.IsFinite(points) || points != Math.Round(points) || points < MinPoints || points > MaxPoints)
            {
                throw new RequestValidationException($"{path}.points", $"is {Num(points)}; points are whole numbers from {MinPoints} to {MaxPoints}");
            }
            var capGroup = item.CapGroup ?? old?.CapGroup;
            if (capGroup is not null && !caps.Contains(capGroup))
            {
                throw new RequestValidationException($"{path}.capGroup", $"'{capGroup}' is not a cap group of this rule set");
            }
            var sameCondition = old is not null && old.Condition == condition;
            result.Add(new Criterion
            {
                Id = id,
                Label = label,
                Description = item.Description ?? (sameCondition ? old!.Description : ""),
                Group = item.Group ?? old?.Group ?? spec.Features[spec.IndexOf(condition.Feature)].Group,
                CapGroup = capGroup,
                Condition = condition,
                Points = (int)points,
                Enabled = item.Enabled ?? old?.Enabled ?? true,
                // Support and interval describe the condition they were measured for; a new condition has neither.
                Support = sameCondition ? old!.Support : null,
                Interval = sameCondition ? old!.Interval : null,
                LowSupport = sameCondition && old!.LowSupport,
            });
        }
        return result;
    }

    /// <summary>A condition sent alone (its fields' paths under <c>$</c>), checked as a criterion's is.</summary>
    public static Condition ConditionOf(ConditionInput input, FeatureSpec spec) => Condition(null, input, "$", spec, "condition");

    private static Condition Condition(Condition? old, ConditionInput? input, string path, FeatureSpec spec, string what = "criterion")
    {
        if (old is null && input is null) throw new RequestValidationException(path, $"is required for a new {what}");
        var feature = (input?.Feature ?? old?.Feature)?.Trim();
        if (string.IsNullOrEmpty(feature)) throw new RequestValidationException($"{path}.feature", "is required");
        if (spec.IndexOf(feature) < 0)
        {
            throw new RequestValidationException($"{path}.feature", $"'{feature}' is not a feature of this model (GET /rulesets/{{model}}/features lists them)");
        }
        var op = input?.Op ?? old?.Op ?? throw new RequestValidationException($"{path}.op", "is required (eq, gte, lt, between or missing)");
        var value = input?.Value ?? old?.Value ?? (op == ConditionOp.Missing ? 0 : throw new RequestValidationException($"{path}.value", "is required"));
        if (!double.IsFinite(value)) throw new RequestValidationException($"{path}.value", "must be a finite number");
        var upper = input?.Upper ?? old?.Upper;
        if (op == ConditionOp.Between && (upper is not { } u || !double.IsFinite(u) || u <= value))
        {
            throw new RequestValidationException($"{path}.upper", $"must be a number above value ({Num(value)}) for 'between'");
        }
        return new Condition(feature, op, value, op == ConditionOp.Between ? upper : null, input?.OrMissing ?? old?.OrMissing ?? false);
    }

    private static Thresholds Thresholds(Thresholds current, ThresholdsInput? input)
    {
        if (input is null) return current;
        var salesReady = input.SalesReady ?? current.SalesReady;
        if (!double.IsFinite(salesReady) || salesReady < 0 || salesReady > 100)
        {
            throw new RequestValidationException("$.thresholds.salesReady", $"is {Num(salesReady)}; the sales-ready threshold is a score from 0 to 100");
        }
        var hysteresis = input.Hysteresis ?? current.Hysteresis;
        if (!double.IsFinite(hysteresis) || hysteresis < 0 || hysteresis > MaxHysteresis)
        {
            throw new RequestValidationException("$.thresholds.hysteresis", $"is {Num(hysteresis)}; the hysteresis is 0 to {Num(MaxHysteresis)} points");
        }
        return new Thresholds(salesReady, hysteresis);
    }

    /// <summary>Keeps the sales-ready threshold and the top grade's minimum one number: the part the edit sent moves the
    /// other; both sent different, or a threshold at or below the next grade's minimum, is refused.</summary>
    private static (Thresholds, IReadOnlyList<GradeBand>) SalesReady(RuleSetInput input, Thresholds thresholds, IReadOnlyList<GradeBand> grades)
    {
        if (grades.Count == 0) return (thresholds, grades);
        var thresholdSent = input.Thresholds?.SalesReady is not null;
        var gradesSent = input.Grades is not null;
        var top = grades[0];
        if (thresholdSent && gradesSent && top.MinScore != thresholds.SalesReady)
        {
            throw new RequestValidationException("$.grades[0].minScore",
                $"is {Num(top.MinScore)} but the sales-ready threshold sent is {Num(thresholds.SalesReady)}; the top grade starts where sales-ready starts: send one of them, or both equal");
        }
        if (gradesSent && !thresholdSent) return (thresholds with { SalesReady = top.MinScore }, grades);
        if (thresholdSent && !gradesSent && grades.Count > 1 && grades[1].MinScore >= thresholds.SalesReady)
        {
            var next = grades[1];
            throw new RequestValidationException("$.thresholds.salesReady",
                $"is {Num(thresholds.SalesReady)} but grade {next.Grade} starts at {Num(next.MinScore)}; the top grade starts where sales-ready starts, so the threshold must stay above grade {next.Grade}'s minimum: lower grade {next.Grade} first, or send both");
        }
        return (thresholds, SalesReadyGrade.AlignedGrades(grades, thresholds.SalesReady));
    }

    private static List<GradeBand> Grades(List<GradeBandInput?> items, IReadOnlyList<GradeBand> current)
    {
        if (items.Count == 0) throw new RequestValidationException("$.grades", "needs at least one grade band");
        var result = new List<GradeBand>(items.Count);
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            var path = $"$.grades[{i}]";
            var g = items[i] ?? throw new RequestValidationException(path, "must be a grade band object");
            var name = g.Grade?.Trim();
            if (string.IsNullOrEmpty(name)) throw new RequestValidationException($"{path}.grade", "is required");
            if (!names.Add(name)) throw new RequestValidationException($"{path}.grade", $"'{name}' appears twice");
            var min = g.MinScore ?? throw new RequestValidationException($"{path}.minScore", "is required");
            if (!double.IsFinite(min) || min < 0 || min > 100)
            {
                throw new RequestValidationException($"{path}.minScore", $"is {Num(min)}; a grade's minimum score lies between 0 and 100");
            }
            if (i > 0 && min >= result[i - 1].MinScore)
            {
                throw new RequestValidationException($"{path}.minScore",
                    $"is {Num(min)} but must be below grade {result[i - 1].Grade}'s {Num(result[i - 1].MinScore)}: grades run best first, in descending order");
            }
            // A band sent without a label keeps the label of the band of the same name.
            var label = g.Label?.Trim() ?? current.FirstOrDefault(c => c.Grade == name)?.Label ?? "";
            result.Add(new GradeBand(name, min, label));
        }
        return result;
    }

    private static string Num(double v) => double.IsFinite(v) ? v.ToString("0.###", CultureInfo.InvariantCulture) : "not a finite number";
}
