using LeadML.Api.Hosting;
using LeadML.Api.Store;

namespace LeadML.Api.Promotion;

/// <summary>Registers champion and challenger (section <c>LeadML:Promotion</c>): following the latest promotion in
/// the store, only with a lead store.</summary>
public static class PromotionSetup
{
    public static IHostApplicationBuilder AddPromotion(this IHostApplicationBuilder builder)
    {
        builder.AddValidatedOptions<PromotionOptions>(PromotionOptions.Section);
        if (!builder.HasLeadStore()) return builder;
        // One instance both polls and serves the promotion endpoints, which change the model in force under its gate.
        builder.Services.AddSingleton<PromotionAdoption>();
        builder.Services.AddHostedService(s => s.GetRequiredService<PromotionAdoption>());
        return builder;
    }
}
