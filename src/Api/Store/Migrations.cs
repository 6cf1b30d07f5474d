using System.Data.Common;
using LeadML.Features.Store;

namespace LeadML.Api.Store;

/// <summary>
/// Applies the store's schema (<see cref="StoreMigrations"/>, shared with the store's history reader) on start: each
/// migration not yet recorded in <c>schema_migrations</c>, rendered for the dialect (<see cref="StoreDialect.Render"/>).
/// </summary>
internal static class Migrations
{
    /// <summary>Every migration, in order (defined with the schema's names in <see cref="StoreMigrations"/>).</summary>
    internal static IReadOnlyList<StoreMigration> All => StoreMigrations.All;

    /// <summary>Applies the migrations not yet recorded, each in its own transaction. On PostgreSQL an advisory lock,
    /// taken before anything is created (the migrations table too: two concurrent <c>CREATE TABLE IF NOT EXISTS</c>
    /// collide there), makes instances that start together apply them once.</summary>
    public static async Task<IReadOnlyList<int>> ApplyAsync(DbConnection connection, StoreDialect dialect, TimeProvider clock, CancellationToken ct)
    {
        await using (var tx = await BeginAsync(connection, dialect, ct))
        {
            await Sql.ExecAsync(connection, tx, $"CREATE TABLE IF NOT EXISTS {StoreSchema.MigrationsTable} (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)", ct);
            await tx.CommitAsync(ct);
        }
        var applied = new List<int>();
        foreach (var m in All)
        {
            await using var tx = await BeginAsync(connection, dialect, ct);
            var done = await Sql.ScalarAsync(connection, tx, $"SELECT COUNT(*) FROM {StoreSchema.MigrationsTable} WHERE version = @v", ct, ("v", m.Version));
            if (Convert.ToInt64(done, System.Globalization.CultureInfo.InvariantCulture) > 0)
            {
                await tx.CommitAsync(ct);
                continue;
            }
            var sql = dialect.IsPostgres && m.PostgresSql is not null ? m.PostgresSql : dialect.Render(m.Sql);
            foreach (var statement in sql.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                await Sql.ExecAsync(connection, tx, statement, ct);
            }
            await Sql.ExecAsync(connection, tx, $"INSERT INTO {StoreSchema.MigrationsTable} (version, name, applied_at) VALUES (@v, @n, @t)", ct,
                ("v", m.Version), ("n", m.Name), ("t", Sql.Ms(clock.GetUtcNow().UtcDateTime)));
            await tx.CommitAsync(ct);
            applied.Add(m.Version);
        }
        return applied;
    }

    /// <summary>A transaction that, on PostgreSQL, holds the migrations' advisory lock until it ends.</summary>
    private static async Task<DbTransaction> BeginAsync(DbConnection connection, StoreDialect dialect, CancellationToken ct)
    {
        var tx = await connection.BeginTransactionAsync(ct);
        try
        {
            if (dialect.IsPostgres) await Sql.ExecAsync(connection, tx, "SELECT pg_advisory_xact_lock(7007007)", ct);
            return tx;
        }
        catch
        {
            await tx.DisposeAsync();
            throw;
        }
    }
}
