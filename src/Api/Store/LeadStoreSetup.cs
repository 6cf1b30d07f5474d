using LeadML.Api.Alerts;
using LeadML.Api.Leads;
using LeadML.Api.RuleSets;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LeadML.Api.Store;

/// <summary>Registers the lead store and what lives on it: the schema migrated on start, the rule-set repository in
/// the store (replacing the in-memory one), rescoring, and the alert outbox delivery.</summary>
public static class LeadStoreSetup
{
    /// <summary>Call after the scoring services are registered (it replaces their in-memory rule-set repository).</summary>
    public static WebApplicationBuilder AddLeadStore(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(StoreOptions.Section);
        builder.Services.AddOptions<StoreOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<RescoringOptions>().Bind(builder.Configuration.GetSection(RescoringOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<AlertOptions>().Bind(builder.Configuration.GetSection(AlertOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<List<WebhookOptions>>().Bind(builder.Configuration.GetSection(WebhookOptions.Section));

        var options = section.Get<StoreOptions>() ?? new StoreOptions();
        var provider = options.Provider.ToLowerInvariant();
        if (provider == "none") return builder;
        var store = provider switch
        {
            "sqlite" => LeadStore.Sqlite(Path.IsPathRooted(options.Path) ? options.Path : Path.Combine(builder.Environment.ContentRootPath, options.Path), options.Synchronous),
            "postgres" => LeadStore.Postgres(string.IsNullOrWhiteSpace(options.ConnectionString)
                ? throw new InvalidOperationException("LeadML:Store:Provider is postgres but LeadML:Store:ConnectionString is not set")
                : options.ConnectionString),
            _ => throw new InvalidOperationException($"LeadML:Store:Provider '{options.Provider}' is not sqlite, postgres or none"),
        };
        // The schema must exist before the model registry reads approved rule sets from it, so migrate now: a store
        // that cannot be reached stops the start with its own message.
        store.MigrateAsync(TimeProvider.System).GetAwaiter().GetResult();
        builder.Services.AddSingleton(store);
        builder.Services.Replace(ServiceDescriptor.Singleton<IRuleSetRepository, StoreRuleSetRepository>());
        builder.Services.AddSingleton<AlertSignal>();
        builder.Services.AddSingleton<LeadRescorer>();
        builder.Services.AddHostedService<RescoringService>();
        builder.Services.AddHostedService<AlertDelivery>();
        builder.Services.AddOptions<Promotion.PromotionOptions>().Bind(builder.Configuration.GetSection(Promotion.PromotionOptions.Section));
        builder.Services.AddHostedService<Promotion.PromotionAdoption>();
        return builder;
    }
}
