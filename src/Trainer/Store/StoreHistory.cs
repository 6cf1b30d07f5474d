using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using LeadML.Features.History;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace LeadML.Trainer.Store;

/// <summary>What an export wrote.</summary>
internal sealed record StoreExportResult(string Folder, string Model, int Leads, int Conversions, long Events, IReadOnlyList<string> Columns);

/// <summary>
/// A history kept by the Api's lead store (SQLite file or PostgreSQL database), written out as a standard history
/// folder: <c>leads.csv</c> (<c>lead_id</c>, <c>created_at</c>, <c>converted_at</c>, one column per stored attribute),
/// <c>events.csv</c> (<c>event_id</c>, <c>lead_id</c>, <c>timestamp</c>, <c>type</c>, <c>detail</c>) and
/// <c>leadml.json</c>. Training then reads it like any export, with the same point-in-time rules (snapshots never see
/// an event at or after their cut-off, nor a lead converted before it). Attributes are the values stored now: an
/// attribute that a CRM fills only after the sale leaks the outcome, and the leakage warnings of training apply.
/// </summary>
internal static class StoreHistory
{
    private const string SqlitePrefix = "sqlite:";
    private const string PostgresPrefix = "postgres:";

    /// <summary>True when <paramref name="history"/> names a store (<c>sqlite:PATH</c> or <c>postgres:CONNECTION</c>)
    /// rather than a folder or file.</summary>
    public static bool IsStore(string history) =>
        history.StartsWith(SqlitePrefix, StringComparison.OrdinalIgnoreCase) || history.StartsWith(PostgresPrefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>Writes the store's history of one model into <paramref name="folder"/> (created when missing).</summary>
    /// <param name="store"><c>sqlite:PATH</c> or <c>postgres:CONNECTION</c>.</param>
    /// <param name="model">The scoring model whose leads to export; may be null when the store holds one model.</param>
    /// <param name="baseSchema">A schema whose settings (column types, ignored columns, negative values and event
    /// types, horizon, snapshots, split) the export keeps; its file and column names and window are replaced by the
    /// export's (the window is left to the default: the last 12 months of the data less the horizon).</param>
    /// <exception cref="InvalidDataException">The store cannot be opened, is not a LeadML store, or has no such model.</exception>
    public static StoreExportResult Export(string store, string? model, string folder, string? baseSchema = null)
    {
        var schema = baseSchema is null ? new HistorySchema() : HistorySchemaFile.Load(baseSchema);
        Directory.CreateDirectory(folder);
        using var connection = Open(store);
        model = ChooseModel(connection, store, model);

        var leads = new List<(string Id, Dictionary<string, string?> Attributes, long Created, long? Converted)>();
        using (var cmd = Command(connection, "SELECT id, attributes, created_at, converted_at FROM leads WHERE model = @m ORDER BY id", ("m", model)))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                var attributes = JsonSerializer.Deserialize<Dictionary<string, string?>>(r.GetString(1)) ?? [];
                leads.Add((r.GetString(0), attributes, Convert.ToInt64(r.GetValue(2), CultureInfo.InvariantCulture),
                    r.IsDBNull(3) ? null : Convert.ToInt64(r.GetValue(3), CultureInfo.InvariantCulture)));
            }
        }
        if (leads.Count == 0) throw new InvalidDataException($"{Describe(store)}: model '{model}' has no leads to export");

        // Role names win over attributes of the same name, which are left out (a lead's own id or dates sent as attributes).
        var roles = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "lead_id", "created_at", "converted_at" };
        var columns = leads.SelectMany(l => l.Attributes.Keys).Where(k => !roles.Contains(k)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        using (var csv = Writer(Path.Combine(folder, "leads.csv")))
        {
            foreach (var h in (string[])["lead_id", "created_at", "converted_at", .. columns]) csv.WriteField(h);
            csv.NextRecord();
            foreach (var (id, attributes, created, converted) in leads)
            {
                csv.WriteField(id);
                csv.WriteField(Time(created));
                csv.WriteField(converted is { } c ? Time(c) : "");
                foreach (var column in columns) csv.WriteField(attributes.GetValueOrDefault(column) ?? "");
                csv.NextRecord();
            }
        }

        long events = 0;
        using (var csv = Writer(Path.Combine(folder, "events.csv")))
        using (var cmd = Command(connection, "SELECT event_id, lead_id, ts, type, detail FROM events WHERE model = @m ORDER BY ts, seq", ("m", model)))
        using (var r = cmd.ExecuteReader())
        {
            foreach (var h in (string[])["event_id", "lead_id", "timestamp", "type", "detail"]) csv.WriteField(h);
            csv.NextRecord();
            while (r.Read())
            {
                csv.WriteField(r.GetString(0));
                csv.WriteField(r.GetString(1));
                csv.WriteField(Time(Convert.ToInt64(r.GetValue(2), CultureInfo.InvariantCulture)));
                csv.WriteField(r.GetString(3));
                csv.WriteField(r.IsDBNull(4) ? "" : r.GetString(4));
                csv.NextRecord();
                events++;
            }
        }

        schema.Kind = HistoryKind.Events;
        schema.Leads = new LeadsFileSchema();
        schema.Events = new EventsFileSchema { UnknownLeads = UnknownLeadPolicy.Skip };
        schema.Window = null;
        schema.Outcome = null;
        schema.Order = null;
        foreach (var column in schema.Columns.Keys.Where(k => !columns.Contains(k, StringComparer.Ordinal)).ToList()) schema.Columns.Remove(column);
        HistorySchemaFile.Save(schema, Path.Combine(folder, HistoryReader.DefaultSchemaFile));
        return new StoreExportResult(Path.GetFullPath(folder), model, leads.Count, leads.Count(l => l.Converted is not null), events, columns);
    }

    private static DbConnection Open(string store)
    {
        try
        {
            if (store.StartsWith(SqlitePrefix, StringComparison.OrdinalIgnoreCase))
            {
                var path = store[SqlitePrefix.Length..];
                if (!File.Exists(path)) throw new InvalidDataException($"{Describe(store)}: no such file");
                var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, DefaultTimeout = 60 }.ToString());
                c.Open();
                return c;
            }
            if (store.StartsWith(PostgresPrefix, StringComparison.OrdinalIgnoreCase))
            {
                var p = new NpgsqlConnection(store[PostgresPrefix.Length..]);
                p.Open();
                return p;
            }
        }
        catch (Exception e) when (e is DbException or ArgumentException or System.Net.Sockets.SocketException or TimeoutException)
        {
            throw new InvalidDataException($"{Describe(store)}: cannot connect: {e.Message}", e);
        }
        throw new InvalidDataException($"'{store}' is not a store: use sqlite:PATH or \"postgres:Host=…;Database=…;Username=…;Password=…\"");
    }

    private static string ChooseModel(DbConnection connection, string store, string? model)
    {
        List<string> models;
        try
        {
            using var cmd = Command(connection, "SELECT DISTINCT model FROM leads ORDER BY model");
            using var r = cmd.ExecuteReader();
            models = [];
            while (r.Read()) models.Add(r.GetString(0));
        }
        catch (DbException e)
        {
            throw new InvalidDataException($"{Describe(store)}: not a LeadML lead store ({e.Message})", e);
        }
        if (model is not null)
        {
            return models.Contains(model, StringComparer.Ordinal) ? model
                : throw new InvalidDataException($"{Describe(store)}: no leads of model '{model}'; the store has {(models.Count == 0 ? "none" : string.Join(", ", models))}");
        }
        return models.Count switch
        {
            0 => throw new InvalidDataException($"{Describe(store)}: the store holds no leads"),
            1 => models[0],
            _ => throw new InvalidDataException($"{Describe(store)}: the store holds several models ({string.Join(", ", models)}); name one with --model"),
        };
    }

    /// <summary>The store as named in messages: a PostgreSQL password is never printed.</summary>
    private static string Describe(string store)
    {
        if (!store.StartsWith(PostgresPrefix, StringComparison.OrdinalIgnoreCase)) return $"store {store}";
        try
        {
            var b = new NpgsqlConnectionStringBuilder(store[PostgresPrefix.Length..]);
            return $"store postgres:Host={b.Host};Port={b.Port};Database={b.Database}";
        }
        catch (ArgumentException)
        {
            return "store postgres:(unreadable connection string)";
        }
    }

    private static DbCommand Command(DbConnection c, string sql, params (string Name, object Value)[] parameters)
    {
        var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = name;
            p.Value = value;
            cmd.Parameters.Add(p);
        }
        return cmd;
    }

    private static CsvWriter Writer(string path) => new(new StreamWriter(path, false, new System.Text.UTF8Encoding(false)));

    /// <summary>RFC 4180 rows: a field with a comma, quote, line break or outer space is quoted, quotes doubled.</summary>
    private sealed class CsvWriter(StreamWriter writer) : IDisposable
    {
        private bool _first = true;

        public void WriteField(string value)
        {
            if (!_first) writer.Write(',');
            _first = false;
            var quote = value.AsSpan().IndexOfAny(",\"\r\n") >= 0 || (value.Length > 0 && (char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1])));
            writer.Write(quote ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value);
        }

        public void NextRecord()
        {
            writer.Write('\n');
            _first = true;
        }

        public void Dispose() => writer.Dispose();
    }

    private static string Time(long ms) => DateTime.UnixEpoch.AddMilliseconds(ms).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
