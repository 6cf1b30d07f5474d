namespace LeadML.Features.Rules;

/// <summary>The rule part of a score.</summary>
/// <param name="Score">Base points plus counted points, clamped to 0–100.</param>
/// <param name="Fit">Fit (explicit) points scaled to 0–100 between the lowest and highest reachable fit totals.</param>
/// <param name="Engagement">Engagement (implicit) points scaled the same way.</param>
/// <param name="Fired">Criteria that fired.</param>
public sealed record RuleScore(double Score, double Fit, double Engagement, IReadOnlyList<FiredCriterion> Fired);
