using LeadML.Api.Scoring;
using LeadML.Api.Store;

namespace LeadML.Api.RuleSets;

/// <summary>Registers where rule-set versions are kept: in the lead store when there is one (they survive restarts
/// and every instance on the database sees them), in memory otherwise.</summary>
public static class RuleSetSetup
{
    public static IHostApplicationBuilder AddRuleSets(this IHostApplicationBuilder builder)
    {
        if (builder.HasLeadStore()) builder.Services.AddSingleton<IRuleSetRepository, StoreRuleSetRepository>();
        else builder.Services.AddSingleton<IRuleSetRepository, InMemoryRuleSetRepository>();
        builder.Services.AddSingleton<IApprovedRuleSets, RepositoryApprovedRuleSets>();
        return builder;
    }
}
