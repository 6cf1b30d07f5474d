using LeadML.Api.Tests.Fixtures;

namespace LeadML.Api.Tests.Store;

/// <summary>The lead-store suite on a fresh SQLite file per test.</summary>
[Collection(BundleCollection.Name)]
public sealed class SqliteLeadStoreTests(TrainedBundle bundle) : LeadStoreSuite(bundle), IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("leadml-store-").FullName;

    protected override (string Key, string? Value)[] StoreSettings() =>
        [("LeadML:Store:Provider", "sqlite"), ("LeadML:Store:Path", Path.Combine(_dir, "leadml.db"))];

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, true);
    }
}
