using LeadML.Features.Rules;

namespace LeadML.Api.Scoring;

/// <summary>No approved rule sets: every model scores with its bundle's suggestion.</summary>
public sealed class NoApprovedRuleSets : IApprovedRuleSets
{
    public RuleSet? Latest(string model) => null;
}
