using System.Globalization;

namespace LeadML.Features.Rules;

/// <summary>
/// One meaning of "sales-ready": the sales-ready threshold is the top grade's lower bound, so a lead is sales-ready
/// exactly when it gets the top grade. A rule set whose top grade starts elsewhere is invalid (<see cref="Problem"/>);
/// rule sets stored before the rule are read with the top grade's minimum moved to the threshold (<see cref="Aligned"/>).
/// </summary>
public static class SalesReadyGrade
{
    /// <summary>Why the rule set breaks the rule (its top grade's minimum differs from the threshold, or no longer lies
    /// above the next grade's), in a marketer's words; null when it keeps it (or has no grades).</summary>
    public static string? Problem(RuleSet rules)
    {
        if (rules.Grades.Count == 0) return null;
        var top = rules.Grades[0];
        var threshold = rules.Thresholds.SalesReady;
        if (top.MinScore != threshold)
        {
            return $"the top grade starts where sales-ready starts: grade {top.Grade} starts at {Num(top.MinScore)} but the sales-ready threshold is {Num(threshold)}; make them equal";
        }
        if (rules.Grades.Count > 1 && rules.Grades[1].MinScore >= threshold)
        {
            var next = rules.Grades[1];
            return $"the top grade starts where sales-ready starts ({Num(threshold)}), so it must stay above grade {next.Grade}'s minimum ({Num(next.MinScore)}); lower grade {next.Grade} first";
        }
        return null;
    }

    /// <summary>The rule set with its top grade starting at the sales-ready threshold (itself when it already does).</summary>
    public static RuleSet Aligned(RuleSet rules) =>
        rules.Grades.Count == 0 || rules.Grades[0].MinScore == rules.Thresholds.SalesReady
            ? rules
            : rules with { Grades = AlignedGrades(rules.Grades, rules.Thresholds.SalesReady) };

    /// <summary>The grades with the top one's minimum set to <paramref name="threshold"/>.</summary>
    public static IReadOnlyList<GradeBand> AlignedGrades(IReadOnlyList<GradeBand> grades, double threshold) =>
        grades.Count == 0 ? grades : [grades[0] with { MinScore = threshold }, .. grades.Skip(1)];

    private static string Num(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
}
