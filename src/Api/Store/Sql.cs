using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace LeadML.Api.Store;

/// <summary>Small ADO.NET helpers shared by both dialects: commands with <c>@name</c> parameters and the time and
/// number conversions of the schema (Unix milliseconds, INTEGER flags).</summary>
internal static class Sql
{
    public static DbCommand Command(DbConnection c, DbTransaction? tx, string sql, params (string Name, object? Value)[] parameters)
    {
        var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        Bind(cmd.Parameters, cmd.CreateParameter, parameters);
        return cmd;
    }

    private static void Bind(DbParameterCollection target, Func<DbParameter> create, (string Name, object? Value)[] parameters)
    {
        foreach (var (name, value) in parameters)
        {
            var p = create();
            p.ParameterName = name;
            p.Value = value ?? DBNull.Value;
            target.Add(p);
        }
    }

    public static async Task<int> ExecAsync(DbConnection c, DbTransaction? tx, string sql, CancellationToken ct, params (string Name, object? Value)[] parameters)
    {
        var cmd = Rent(c, tx, sql, parameters, out var owned);
        try
        {
            return await cmd.ExecuteNonQueryAsync(ct);
        }
        finally
        {
            if (owned) await cmd.DisposeAsync();
        }
    }

    public static async Task<object?> ScalarAsync(DbConnection c, DbTransaction? tx, string sql, CancellationToken ct, params (string Name, object? Value)[] parameters)
    {
        var cmd = Rent(c, tx, sql, parameters, out var owned);
        try
        {
            var v = await cmd.ExecuteScalarAsync(ct);
            return v is DBNull ? null : v;
        }
        finally
        {
            if (owned) await cmd.DisposeAsync();
        }
    }

    public static async Task<List<T>> ListAsync<T>(DbConnection c, DbTransaction? tx, string sql, Func<DbDataReader, T> read, CancellationToken ct,
        params (string Name, object? Value)[] parameters)
    {
        var cmd = Rent(c, tx, sql, parameters, out var owned);
        try
        {
            await using var r = await cmd.ExecuteReaderAsync(ct);
            var list = new List<T>();
            while (await r.ReadAsync(ct)) list.Add(read(r));
            return list;
        }
        finally
        {
            if (owned) await cmd.DisposeAsync();
        }
    }

    /// <summary>Runs <paramref name="statements"/> in one round trip where the provider can (PostgreSQL), one after
    /// another otherwise.</summary>
    public static async Task BatchAsync(DbConnection c, DbTransaction? tx, IReadOnlyList<(string Sql, (string Name, object? Value)[] Parameters)> statements,
        CancellationToken ct)
    {
        if (!c.CanCreateBatch)
        {
            foreach (var (sql, parameters) in statements) await ExecAsync(c, tx, sql, ct, parameters);
            return;
        }
        await using var batch = c.CreateBatch();
        batch.Transaction = tx;
        foreach (var (sql, parameters) in statements)
        {
            var command = batch.CreateBatchCommand();
            command.CommandText = sql;
            Bind(command.Parameters, command.CreateParameter, parameters);
            batch.BatchCommands.Add(command);
        }
        await batch.ExecuteNonQueryAsync(ct);
    }

    private static readonly ConditionalWeakTable<DbConnection, PreparedCommands> Prepared = new();

    /// <summary>Makes the helpers keep the commands they run on <paramref name="c"/> prepared, for a connection that
    /// lives long and runs the same statements over and over (the SQLite writer). Dispose the result before the
    /// connection.</summary>
    public static PreparedCommands KeepPrepared(DbConnection c)
    {
        var commands = new PreparedCommands(c);
        Prepared.AddOrUpdate(c, commands);
        return commands;
    }

    private static DbCommand Rent(DbConnection c, DbTransaction? tx, string sql, (string Name, object? Value)[] parameters, out bool owned)
    {
        if (Prepared.TryGetValue(c, out var commands) && commands.Rent(tx, sql, parameters) is { } kept)
        {
            owned = false;
            return kept;
        }
        owned = true;
        return Command(c, tx, sql, parameters);
    }

    public static long Ms(DateTime utc) => (DateTime.SpecifyKind(utc, DateTimeKind.Utc).Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond;

    public static DateTime Time(long ms) => new(DateTime.UnixEpoch.Ticks + ms * TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);

    public static long Long(DbDataReader r, int i) => Convert.ToInt64(r.GetValue(i), CultureInfo.InvariantCulture);

    public static int Int(DbDataReader r, int i) => Convert.ToInt32(r.GetValue(i), CultureInfo.InvariantCulture);

    public static double Double(DbDataReader r, int i) => Convert.ToDouble(r.GetValue(i), CultureInfo.InvariantCulture);

    public static double? NullableDouble(DbDataReader r, int i) => r.IsDBNull(i) ? null : Double(r, i);

    public static string? NullableString(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    public static DateTime? NullableTime(DbDataReader r, int i) => r.IsDBNull(i) ? null : Time(Long(r, i));

    public static bool Flag(DbDataReader r, int i) => Long(r, i) != 0;
}
