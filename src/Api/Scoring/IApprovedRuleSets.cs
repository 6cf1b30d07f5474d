using LeadML.Features.Rules;

namespace LeadML.Api.Scoring;

/// <summary>Where approved rule sets come from (the rule-set store); none by default.</summary>
public interface IApprovedRuleSets
{
    /// <summary>The latest approved rule set of a model, or null when none was approved yet.</summary>
    RuleSet? Latest(string model);
}
