namespace LeadML.Api.Tests.Fixtures;

/// <summary>Where an Api under test keeps its rule sets and leads for one test: nowhere (in memory), a fresh SQLite file in
/// a temporary folder, or a fresh database on a class's throwaway PostgreSQL server. Disposing removes the SQLite folder
/// (the PostgreSQL server drops its databases when it stops).</summary>
public sealed class TestStore : IDisposable
{
    private readonly string? _folder;

    private TestStore((string Key, string? Value)[] settings, string? folder)
    {
        Settings = settings;
        _folder = folder;
    }

    /// <summary>The settings that point the Api at this store.</summary>
    public (string Key, string? Value)[] Settings { get; }

    /// <summary>No store: the in-memory rule-set repository.</summary>
    public static TestStore InMemory() => new([], null);

    /// <summary>A fresh SQLite file in a new temporary folder.</summary>
    public static TestStore Sqlite()
    {
        var folder = Directory.CreateTempSubdirectory("leadml-store-").FullName;
        return new([("LeadML:Store:Provider", "sqlite"), ("LeadML:Store:Path", Path.Combine(folder, "leadml.db"))], folder);
    }

    /// <summary>A fresh database on <paramref name="server"/>.</summary>
    public static TestStore Postgres(PostgresServer server) =>
        new([("LeadML:Store:Provider", "postgres"), ("LeadML:Store:ConnectionString", server.CreateDatabase())], null);

    public void Dispose()
    {
        if (_folder is null) return;
        // Pooled connections keep the file open.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, true);
    }
}
