using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using System.Security.Cryptography;
using LeadML.Features.Featurization;
using LeadML.Features.History;
using Microsoft.Data.Sqlite;
using Npgsql;
using E = LeadML.Features.Store.StoreSchema.Events;
using L = LeadML.Features.Store.StoreSchema.Leads;

namespace LeadML.Features.Store;

/// <summary>
/// A history kept by the Api's lead store (SQLite file or PostgreSQL database, tables of <see cref="StoreSchema"/>),
/// read directly into a <see cref="LeadHistory"/> (<see cref="Read"/>) or written out as a standard history folder
/// (<see cref="Export"/>): <c>leads.csv</c> (<c>lead_id</c>, <c>created_at</c>, <c>converted_at</c>, one column per
/// stored attribute), <c>events.csv</c> (<c>event_id</c>, <c>lead_id</c>, <c>timestamp</c>, <c>type</c>,
/// <c>detail</c>) and <c>leadml.json</c>. Both give the same history: the leads are the same rows read by the same
/// rules as a leads file (types inferred or set by the schema), the events the same rows in the same order. Training
/// then applies the same point-in-time rules (snapshots never see an event at or after their cut-off, nor a lead
/// converted before it). Attributes are the values stored now: an attribute that a CRM fills only after the sale leaks
/// the outcome, and the leakage warnings of training apply.
/// </summary>
public static class StoreHistory
{
    private const string SqlitePrefix = "sqlite:";
    private const string PostgresPrefix = "postgres:";

    /// <summary>True when <paramref name="history"/> names a store (<c>sqlite:PATH</c> or <c>postgres:CONNECTION</c>)
    /// rather than a folder or file.</summary>
    public static bool IsStore(string history) =>
        history.StartsWith(SqlitePrefix, StringComparison.OrdinalIgnoreCase) || history.StartsWith(PostgresPrefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>The history a command names: a store (<c>sqlite:PATH</c>, <c>postgres:CONNECTION</c>) read directly,
    /// else a history folder, leads file or schema file read by <see cref="HistoryReader.Read"/>.</summary>
    /// <param name="history">The store, folder or file.</param>
    /// <param name="schema">A schema file (for a store: the settings its history keeps).</param>
    /// <param name="model">For a store: the scoring model whose history to read; may be null when it holds one.</param>
    public static LeadHistory ReadAny(string history, string? schema, string? model = null) =>
        IsStore(history) ? Read(history, model, schema) : HistoryReader.Read(history, schema);

    /// <summary>Reads the store's history of one model, as <see cref="Export"/> followed by
    /// <see cref="HistoryReader.Read"/> would, without writing files. Leads and events are streamed from the store (the
    /// events on each read), so memory follows the lead table read, as from files.</summary>
    /// <param name="store"><c>sqlite:PATH</c> or <c>postgres:CONNECTION</c>.</param>
    /// <param name="model">The scoring model whose leads to read; may be null when the store holds one model.</param>
    /// <param name="baseSchema">A schema whose settings the history keeps, as for <see cref="Export"/>.</param>
    /// <exception cref="InvalidDataException">The store cannot be opened, is not a LeadML store, or has no such model.</exception>
    public static LeadHistory Read(string store, string? model, string? baseSchema = null)
    {
        var schema = baseSchema is null ? new HistorySchema() : HistorySchemaFile.Load(baseSchema);
        var report = new ReadReport();
        LeadTable table;
        string fingerprint;
        using (var connection = Open(store))
        {
            model = ChooseModel(connection, store, model);
            string[] header = [.. RoleColumns, .. AttributeColumns(connection, store, model)];
            Adapt(schema, header);
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            using (var rows = new LeadRows($"{Describe(store)} leads", header, LeadRowsOf(connection, model, header, row => Hash(sha, row))))
            {
                table = HistoryReader.ReadLeads(rows, schema, report);
            }
            fingerprint = Fingerprint(store, model, sha);
        }
        return new LeadHistory
        {
            Kind = schema.Kind,
            Schema = schema,
            Leads = table,
            Events = new StoreEvents(store, model, table),
            Report = report,
            LeadsPath = Describe(store),
            Fingerprint = fingerprint,
        };
    }

    /// <summary>Writes the store's history of one model into <paramref name="folder"/> (created when missing).</summary>
    /// <param name="store"><c>sqlite:PATH</c> or <c>postgres:CONNECTION</c>.</param>
    /// <param name="model">The scoring model whose leads to export; may be null when the store holds one model.</param>
    /// <param name="folder">The history folder to write.</param>
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
        string[] header = [.. RoleColumns, .. AttributeColumns(connection, store, model)];
        int leads = 0, converted = 0;
        using (var csv = Writer(Path.Combine(folder, "leads.csv")))
        {
            foreach (var row in LeadRowsOf(connection, model, header).Prepend(header))
            {
                foreach (var field in row) csv.WriteField(field);
                csv.NextRecord();
                if (ReferenceEquals(row, header)) continue;
                leads++;
                if (row[2].Length > 0) converted++;
            }
        }

        long events = 0;
        using (var csv = Writer(Path.Combine(folder, "events.csv")))
        using (var cmd = EventsCommand(connection, model))
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

        Adapt(schema, header);
        HistorySchemaFile.Save(schema, Path.Combine(folder, HistoryReader.DefaultSchemaFile));
        return new StoreExportResult(Path.GetFullPath(folder), model, leads, converted, events, header[RoleColumns.Length..]);
    }

    /// <summary>The columns a store's lead rows start with; attributes of the same names are left out.</summary>
    private static readonly string[] RoleColumns = ["lead_id", "created_at", "converted_at"];

    /// <summary>The attribute columns of the model's leads (every attribute name stored, in ordinal order; role names
    /// left out: they win over attributes of the same name, a lead's own id or dates sent as attributes): a first pass
    /// over the lead table that keeps only the names.</summary>
    private static List<string> AttributeColumns(DbConnection connection, string store, string model)
    {
        var roles = new HashSet<string>(RoleColumns, StringComparer.OrdinalIgnoreCase);
        var names = new HashSet<string>(StringComparer.Ordinal);
        var leads = 0;
        using (var cmd = Command(connection, $"SELECT {L.Attributes} FROM {L.Table} WHERE {L.Model} = @m", ("m", model)))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                leads++;
                foreach (var name in Attributes(r.GetString(0)).Keys)
                {
                    if (!roles.Contains(name)) names.Add(name);
                }
            }
        }
        if (leads == 0) throw new InvalidDataException($"{Describe(store)}: model '{model}' has no leads");
        return [.. names.Order(StringComparer.Ordinal)];
    }

    /// <summary>The model's leads as the rows of a leads file, streamed in id order: id, created, converted, then the
    /// attributes of <paramref name="header"/> (times as ISO 8601 UTC with milliseconds). <paramref name="each"/> sees
    /// the header, then every row, as they are given.</summary>
    private static IEnumerable<string[]> LeadRowsOf(DbConnection connection, string model, string[] header, Action<string[]>? each = null)
    {
        each?.Invoke(header);
        var columns = header[RoleColumns.Length..];
        using var cmd = Command(connection, $"SELECT {L.Id}, {L.Attributes}, {L.CreatedAt}, {L.ConvertedAt} FROM {L.Table} WHERE {L.Model} = @m ORDER BY {L.Id}", ("m", model));
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            var attributes = Attributes(r.GetString(1));
            var created = Convert.ToInt64(r.GetValue(2), CultureInfo.InvariantCulture);
            var converted = r.IsDBNull(3) ? "" : Time(Convert.ToInt64(r.GetValue(3), CultureInfo.InvariantCulture));
            string[] row = [r.GetString(0), Time(created), converted, .. columns.Select(k => attributes.GetValueOrDefault(k) ?? "")];
            each?.Invoke(row);
            yield return row;
        }
    }

    private static Dictionary<string, string?> Attributes(string json) => JsonSerializer.Deserialize<Dictionary<string, string?>>(json) ?? [];

    /// <summary>The schema of a store's history: events with the standard names (events of unknown leads skipped), the
    /// base schema's settings kept except its window, outcome and order, and its column settings for columns the store
    /// has.</summary>
    private static void Adapt(HistorySchema schema, string[] header)
    {
        schema.Kind = HistoryKind.Events;
        schema.Leads = new LeadsFileSchema();
        schema.Events = new EventsFileSchema { UnknownLeads = UnknownLeadPolicy.Skip };
        schema.Window = null;
        schema.Outcome = null;
        schema.Order = null;
        var columns = header[RoleColumns.Length..];
        foreach (var column in schema.Columns.Keys.Where(k => !columns.Contains(k, StringComparer.Ordinal)).ToList()) schema.Columns.Remove(column);
    }

    private static DbCommand EventsCommand(DbConnection connection, string model) => Command(connection,
        $"SELECT {E.EventId}, {E.LeadId}, {E.Timestamp}, {E.Type}, {E.Detail} FROM {E.Table} WHERE {E.Model} = @m ORDER BY {E.Timestamp}, {E.Seq}", ("m", model));

    private static void Hash(IncrementalHash sha, string[] row) => sha.AppendData(System.Text.Encoding.UTF8.GetBytes(string.Join('\u001f', row) + "\n"));

    /// <summary>SHA-256 over the leads' rows (header first, hashed by <see cref="Hash"/> as they were read) and the
    /// events' count and last sequence number (hex, first 16 bytes).</summary>
    private static string Fingerprint(string store, string model, IncrementalHash sha)
    {
        using (var connection = Open(store))
        using (var cmd = Command(connection, $"SELECT COUNT(*), MAX({E.Seq}) FROM {E.Table} WHERE {E.Model} = @m", ("m", model)))
        using (var r = cmd.ExecuteReader())
        {
            r.Read();
            sha.AppendData(System.Text.Encoding.UTF8.GetBytes($"{r.GetValue(0)}/{(r.IsDBNull(1) ? "" : r.GetValue(1))}"));
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset())[..32];
    }

    /// <summary>A model's events in the store, streamed in time order on each read (the order of the export's
    /// <c>events.csv</c>); types lower-cased, empty details as none, events of leads not in the table skipped and
    /// counted.</summary>
    private sealed class StoreEvents(string store, string model, LeadTable leads) : IEventSource
    {
        public IEnumerable<LeadEvent> ReadEvents(ReadReport report)
        {
            using var connection = Open(store);
            using var cmd = EventsCommand(connection, model);
            using var r = cmd.ExecuteReader();
            var pool = new TextPool();
            var row = 1L;
            while (r.Read())
            {
                row++;
                var leadId = r.GetString(1).Trim();
                if (!leads.TryGetIndex(leadId, out var index))
                {
                    report.Skip($"{Describe(store)} events: lead id not in its leads", $"{Describe(store)} events row {row} ('{leadId}')");
                    continue;
                }
                var when = DateTime.UnixEpoch.AddMilliseconds(Convert.ToInt64(r.GetValue(2), CultureInfo.InvariantCulture));
                var type = r.GetString(3).Trim();
                if (type.Length == 0) throw new HistoryFormatException($"{Describe(store)} events", row, E.Type, "the event type is empty");
                var detail = r.IsDBNull(4) ? null : r.GetString(4).Trim();
                yield return new LeadEvent(index, when, pool.Intern(type.ToLowerInvariant()), AttributeText.IsMissing(detail ?? "") ? null : pool.Intern(detail!));
            }
        }
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
            using var cmd = Command(connection, $"SELECT DISTINCT {L.Model} FROM {L.Table} ORDER BY {L.Model}");
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
