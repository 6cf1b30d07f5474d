using LeadML.Api.Hosting;

namespace LeadML.Api.Scoring;

/// <summary>Registers scoring: the models loaded from their bundles (approved rule sets come from
/// <see cref="IApprovedRuleSets"/>) and the API keys that guard every endpoint.</summary>
public static class ScoringSetup
{
    public static IHostApplicationBuilder AddScoring(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ApiKeys>();
        builder.Services.AddSingleton<ModelRegistry>();
        return builder;
    }
}
