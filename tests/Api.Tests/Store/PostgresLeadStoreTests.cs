using LeadML.Api.Tests.Fixtures;

namespace LeadML.Api.Tests.Store;

/// <summary>The lead-store suite on a throwaway PostgreSQL server (one per class), a fresh database per test.</summary>
[Collection(BundleCollection.Name)]
public sealed class PostgresLeadStoreTests(TrainedBundle bundle, PostgresServer server) : LeadStoreSuite(bundle), IClassFixture<PostgresServer>
{
    private readonly string _connectionString = server.CreateDatabase();

    protected override (string Key, string? Value)[] StoreSettings() =>
        [("LeadML:Store:Provider", "postgres"), ("LeadML:Store:ConnectionString", _connectionString)];
}
