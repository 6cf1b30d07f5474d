using LeadML.Features.Rules;

namespace LeadML.Api.RuleSets;

/// <summary>The registry's view of the repository: the latest approved rule set of a model.</summary>
public sealed class RepositoryApprovedRuleSets(IRuleSetRepository repository) : Scoring.IApprovedRuleSets
{
    public RuleSet? Latest(string model) => repository.LatestApprovedAsync(model).GetAwaiter().GetResult()?.Rules;
}
