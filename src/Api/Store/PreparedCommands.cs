using System.Data.Common;

namespace LeadML.Api.Store;

/// <summary>
/// The prepared commands of one connection by SQL text, run again with new parameter values: parsing and planning a
/// statement costs more than running the small ones of an ingestion. Bounded (SQL built from filters is not kept past
/// the bound); not thread-safe, like the connection it belongs to.
/// </summary>
internal sealed class PreparedCommands(DbConnection connection) : IDisposable
{
    private const int MaxCommands = 128;
    private readonly Dictionary<string, DbCommand> _commands = new(StringComparer.Ordinal);

    /// <summary>The kept command for <paramref name="sql"/> bound to these values, or null when it is not kept.</summary>
    public DbCommand? Rent(DbTransaction? tx, string sql, (string Name, object? Value)[] parameters)
    {
        if (_commands.TryGetValue(sql, out var cmd))
        {
            cmd.Transaction = tx;
            foreach (var (name, value) in parameters) cmd.Parameters[name].Value = value ?? DBNull.Value;
            return cmd;
        }
        if (_commands.Count >= MaxCommands) return null;
        cmd = Sql.Command(connection, tx, sql, parameters);
        cmd.Prepare();
        _commands.Add(sql, cmd);
        return cmd;
    }

    public void Dispose()
    {
        foreach (var cmd in _commands.Values) cmd.Dispose();
        _commands.Clear();
    }
}
