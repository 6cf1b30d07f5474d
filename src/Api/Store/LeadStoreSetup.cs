using LeadML.Api.Hosting;
using Microsoft.Extensions.Options;

namespace LeadML.Api.Store;

/// <summary>Registers the lead store (section <c>LeadML:Store</c>): SQLite, PostgreSQL or none. Lead state, alerts,
/// rescoring, promotion and stored rule sets ask <see cref="HasLeadStore(IHostApplicationBuilder)"/> whether there
/// is one.</summary>
public static class LeadStoreSetup
{
    public static IHostApplicationBuilder AddLeadStore(this IHostApplicationBuilder builder)
    {
        builder.AddValidatedOptions<StoreOptions>(StoreOptions.Section);
        if (!builder.HasLeadStore()) return builder;
        var contentRoot = builder.Environment.ContentRootPath;
        builder.Services.AddSingleton(services => Open(services.GetRequiredService<IOptions<StoreOptions>>().Value, contentRoot,
            services.GetRequiredService<TimeProvider>()));
        return builder;
    }

    /// <summary>Whether the settings name a store (<c>LeadML:Store:Provider</c> is not <c>none</c>), read from the
    /// configuration itself, so no registration has to come before another.</summary>
    public static bool HasLeadStore(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(StoreOptions.Section).Get<StoreOptions>() ?? new StoreOptions();
        return !string.Equals(options.Provider, "none", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Whether a store was registered: endpoint groups of lead state stay empty without one.</summary>
    public static bool HasLeadStore(this IEndpointRouteBuilder app) => app.ServiceProvider.GetService<LeadStore>() is not null;

    /// <summary>Opens the store and brings its schema up to date. The store is first asked for when the model
    /// registry reads approved rule sets at start, so a store that cannot be reached stops the start with its own
    /// message, and the schema exists before anything reads it.</summary>
    private static LeadStore Open(StoreOptions options, string contentRoot, TimeProvider clock)
    {
        var store = options.Provider.ToLowerInvariant() switch
        {
            "sqlite" => LeadStore.Sqlite(options.SqlitePath(contentRoot), options.Synchronous),
            "postgres" => LeadStore.Postgres(string.IsNullOrWhiteSpace(options.ConnectionString)
                ? throw new InvalidOperationException("LeadML:Store:Provider is postgres but LeadML:Store:ConnectionString is not set")
                : options.ConnectionString),
            _ => throw new InvalidOperationException($"LeadML:Store:Provider '{options.Provider}' is not sqlite, postgres or none"),
        };
        // Services are built synchronously; migrating here, once, keeps every reader of the store free of a
        // "schema ready yet?" check.
        store.MigrateAsync(clock).GetAwaiter().GetResult();
        return store;
    }
}
