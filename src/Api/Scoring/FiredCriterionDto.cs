namespace LeadML.Api.Scoring;

/// <param name="Value">The feature's value (null when missing).</param>
public sealed record FiredCriterionDto(string Id, string Label, string Group, int Points, int CountedPoints, double? Value);

/// <summary>A knock-out (disqualifier) that fired for a lead.</summary>
/// <param name="Id">The knock-out's id in the rule set.</param>
/// <param name="Label">What it means, in words, e.g. "Unsubscribed at some time".</param>
/// <param name="Value">The lead's value of the knock-out's feature (null when missing).</param>
public sealed record KnockOutDto(string Id, string Label, double? Value)
{
    /// <summary>The knock-outs of a rule score as answered (null when none fired).</summary>
    public static IReadOnlyList<KnockOutDto>? Of(LeadML.Features.Rules.RuleScore rules) =>
        rules.Disqualified ? [.. rules.KnockOuts.Select(k => new KnockOutDto(k.Id, k.Label, float.IsFinite(k.Value) ? k.Value : null))] : null;
}
