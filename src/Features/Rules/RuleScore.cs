namespace LeadML.Features.Rules;

/// <summary>The rule part of a score.</summary>
/// <param name="Score">Base points plus counted points, clamped to 0–100.</param>
/// <param name="Fit">Fit (explicit) points scaled to 0–100 between the lowest and highest reachable fit totals.</param>
/// <param name="Engagement">Engagement (implicit) points scaled the same way.</param>
/// <param name="Fired">Criteria that fired.</param>
public sealed record RuleScore(double Score, double Fit, double Engagement, IReadOnlyList<FiredCriterion> Fired)
{
    /// <summary>The knock-outs that fired (always listed, also without an explanation: they decide sales-readiness).</summary>
    public IReadOnlyList<FiredKnockOut> KnockOuts { get; init; } = [];

    /// <summary>True when a knock-out fired: the lead is not sales-ready and gets the lowest grade, whatever its score.</summary>
    public bool Disqualified => KnockOuts.Count > 0;
}
