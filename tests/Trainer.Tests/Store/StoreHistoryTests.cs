using LeadML.Features.History;
using LeadML.Trainer.Commands;
using LeadML.Features.Store;
using LeadML.Trainer.Tests.Commands;
using Microsoft.Data.Sqlite;

namespace LeadML.Trainer.Tests.Store;

/// <summary>
/// Exporting the Api's lead store as a history. The store here is a SQLite file with the columns the export reads
/// (the Api's own schema, written through the Api, is covered by the Api's loop tests).
/// </summary>
public sealed class StoreHistoryTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("leadml-store-export-").FullName;

    private string Database(params (string Model, string Id, string Attributes, string Created, string? Converted, (string Id, string Ts, string Type, string? Detail)[] Events)[] leads)
    {
        var path = Path.Combine(_root, $"{Guid.NewGuid():N}.db");
        using var c = new SqliteConnection($"Data Source={path}");
        c.Open();
        Exec(c, """
            CREATE TABLE leads (model TEXT NOT NULL, id TEXT NOT NULL, attributes TEXT NOT NULL, created_at BIGINT NOT NULL, converted_at BIGINT NULL, PRIMARY KEY (model, id));
            CREATE TABLE events (seq INTEGER PRIMARY KEY AUTOINCREMENT, model TEXT NOT NULL, lead_id TEXT NOT NULL, event_id TEXT NOT NULL, ts BIGINT NOT NULL,
                type TEXT NOT NULL, detail TEXT NULL)
            """);
        foreach (var l in leads)
        {
            Exec(c, "INSERT INTO leads VALUES (@m, @id, @a, @c, @conv)", ("m", l.Model), ("id", l.Id), ("a", l.Attributes), ("c", Ms(l.Created)),
                ("conv", l.Converted is null ? DBNull.Value : Ms(l.Converted)));
            foreach (var e in l.Events)
            {
                Exec(c, "INSERT INTO events (model, lead_id, event_id, ts, type, detail) VALUES (@m, @l, @e, @ts, @t, @d)", ("m", l.Model), ("l", l.Id), ("e", e.Id),
                    ("ts", Ms(e.Ts)), ("t", e.Type), ("d", (object?)e.Detail ?? DBNull.Value));
            }
        }
        SqliteConnection.ClearAllPools();
        return path;
    }

    private static long Ms(string iso) => DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();

    private static void Exec(SqliteConnection c, string sql, params (string, object)[] ps)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (n, v) in ps) cmd.Parameters.AddWithValue(n, v);
        cmd.ExecuteNonQuery();
    }

    [Fact]
    public void Export_WritesAStandardHistory_ThatTheReaderReadsBack()
    {
        var db = Database(
            ("web", "l1", """{"industry":"Software","company_size":"120","note":"says \"hi\", twice"}""", "2025-01-05T10:00:00Z", "2025-03-01T00:00:00Z",
                [("e1", "2025-01-06T09:00:00.250Z", "page_view", "/pricing"), ("e2", "2025-01-07T09:00:00Z", "email_open", null)]),
            ("web", "l2", """{"industry":"Retail"}""", "2025-02-01T00:00:00Z", null, [("e1", "2025-02-02T00:00:00Z", "webinar", null)]),
            ("shop", "s1", """{"region":"EU"}""", "2025-02-01T00:00:00Z", null, []));
        var folder = Path.Combine(_root, "history");

        var result = StoreHistory.Export($"sqlite:{db}", "web", folder);

        Assert.Equal((2, 1, 3L), (result.Leads, result.Conversions, result.Events));
        Assert.Equal(["company_size", "industry", "note"], result.Columns);
        var lines = File.ReadAllLines(Path.Combine(folder, "leads.csv"));
        Assert.Equal("lead_id,created_at,converted_at,company_size,industry,note", lines[0]);
        Assert.Equal("l1,2025-01-05T10:00:00.000Z,2025-03-01T00:00:00.000Z,120,Software,\"says \"\"hi\"\", twice\"", lines[1]);
        Assert.Equal("event_id,lead_id,timestamp,type,detail", File.ReadLines(Path.Combine(folder, "events.csv")).First());

        var history = HistoryReader.Read(folder);
        Assert.Equal(HistoryKind.Events, history.Kind);
        Assert.Equal(new DateTime(2025, 3, 1, 0, 0, 0, DateTimeKind.Utc), history.Leads.Leads.Single(l => l.Id == "l1").ConvertedAt);
        Assert.Equal(ColumnType.Number, history.Leads.Columns.Single(c => c.Name == "company_size").Type);
        var events = history.Events!.ReadEvents(new ReadReport()).ToList();
        Assert.Equal(3, events.Count);
        Assert.Equal(new DateTime(2025, 1, 6, 9, 0, 0, 250, DateTimeKind.Utc), events[0].Timestamp);
    }

    [Fact]
    public void Read_GivesTheSameHistory_AsExportThenRead()
    {
        var db = Database(
            ("web", "l1", """{"industry":"Software","employees":"120","newsletter":"yes","founded":"2001-04-01","lead_id":"x","note":"  padded  "}""",
                "2025-01-05T10:00:00Z", "2025-03-01T00:00:00Z",
                [("e1", "2025-01-06T09:00:00.250Z", "Page_View", "/pricing"), ("e2", "2025-01-07T09:00:00Z", "email_open", null), ("e3", "2025-01-07T09:00:00Z", "webinar", "NA")]),
            ("web", "l2", """{"industry":"Retail","employees":null,"newsletter":"no"}""", "2025-02-01T00:00:00Z", null,
                [("e1", "2025-02-02T00:00:00Z", "webinar", " spring ")]),
            ("web", "l3", """{"industry":"","employees":"7.5","founded":"1999-12-31"}""", "2025-02-03T00:00:00Z", "2025-02-20T12:30:00Z", []),
            ("shop", "s1", """{"region":"EU"}""", "2025-02-01T00:00:00Z", null, [("e9", "2025-02-02T00:00:00Z", "visit", null)]));
        var baseSchema = Path.Combine(_root, "base.json");
        File.WriteAllText(baseSchema, """{ "columns": { "employees": "number" }, "negative": { "industry": ["Retail"] }, "horizonDays": 45 }""");
        var folder = Path.Combine(_root, "exported");
        StoreHistory.Export($"sqlite:{db}", "web", folder, baseSchema);

        var exported = HistoryReader.Read(folder);
        var direct = StoreHistory.Read($"sqlite:{db}", "web", baseSchema);

        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(exported.Schema, HistorySchemaFile.Json),
            System.Text.Json.JsonSerializer.Serialize(direct.Schema, HistorySchemaFile.Json));
        Assert.Equal(exported.Kind, direct.Kind);
        Assert.Equal(exported.Leads.Columns.Select(Describe), direct.Leads.Columns.Select(Describe));
        Assert.Equal(exported.Leads.Leads.Select(Describe), direct.Leads.Leads.Select(Describe));
        Assert.Equal(exported.Report.Notes, direct.Report.Notes);
        Assert.Equal(exported.Events!.ReadEvents(new ReadReport()), direct.Events!.ReadEvents(new ReadReport()));
        Assert.Equal(4, direct.Events.ReadEvents(new ReadReport()).Count());
        Assert.NotNull(direct.Fingerprint);
    }

    private static string Describe(AttributeColumn c) => $"{c.Name} {c.Type} {c.Inferred} [{string.Join("|", c.NegativeCategories)}]";

    private static string Describe(Lead l) => string.Join(";", l.Id, l.CreatedAt.ToString("O"), l.ConvertedAt?.ToString("O"), l.Outcome, l.Row,
        string.Join("|", l.Categories), string.Join("|", l.Numbers.Select(n => n.ToString("R", System.Globalization.CultureInfo.InvariantCulture))));

    [Fact]
    public void Export_KeepsTheBaseSchemaSettings_ButNotItsWindowOrFileNames()
    {
        var db = Database(("web", "l1", """{"job_title":"Student","zip":"01234"}""", "2025-01-05T10:00:00Z", null, []));
        var baseSchema = Path.Combine(_root, "base.json");
        File.WriteAllText(baseSchema, """
            { "leads": { "file": "contacts.csv", "id": "contact_id" }, "columns": { "zip": "category", "gone": "number" },
              "negative": { "job_title": ["Student"] }, "horizonDays": 60, "window": { "start": "2020-01-01", "end": "2020-12-31" } }
            """);
        var folder = Path.Combine(_root, "with-schema");

        StoreHistory.Export($"sqlite:{db}", null, folder, baseSchema);

        var schema = HistorySchemaFile.Load(Path.Combine(folder, "leadml.json"));
        Assert.Equal(("leads.csv", "lead_id"), (schema.Leads.File, schema.Leads.Id));
        Assert.Equal(60, schema.HorizonDays);
        Assert.Null(schema.Window);
        Assert.Equal(["Student"], schema.Negative["job_title"]);
        Assert.Equal(ColumnType.Category, schema.Columns["zip"]);
        Assert.False(schema.Columns.ContainsKey("gone"));
    }

    [Fact]
    public void Export_StoreWithSeveralModels_NeedsAModelName()
    {
        var db = Database(("web", "l1", "{}", "2025-01-05T10:00:00Z", null, []), ("shop", "s1", "{}", "2025-01-05T10:00:00Z", null, []));
        var e = Assert.Throws<InvalidDataException>(() => StoreHistory.Export($"sqlite:{db}", null, Path.Combine(_root, "x")));
        Assert.Contains("shop, web", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<InvalidDataException>(() => StoreHistory.Export($"sqlite:{db}", "nope", Path.Combine(_root, "x")));
        Assert.Contains("no leads of model 'nope'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cli_BadStores_ExitWithBadInputAndNameTheProblem()
    {
        var missing = Path.Combine(_root, "missing.db");
        var r = Leadml.Run("export", "--store", $"sqlite:{missing}", "--out", Path.Combine(_root, "out"));
        Assert.Equal(CommandErrors.BadInput, r.ExitCode);
        Assert.Contains("missing.db: no such file", r.Error, StringComparison.Ordinal);

        var notAStore = Path.Combine(_root, "empty.db");
        using (var c = new SqliteConnection($"Data Source={notAStore}")) c.Open();
        SqliteConnection.ClearAllPools();
        r = Leadml.Run("train", "--history", $"sqlite:{notAStore}", "--out", Path.Combine(_root, "never"));
        Assert.Equal(CommandErrors.BadInput, r.ExitCode);
        Assert.Contains("not a LeadML lead store", r.Error, StringComparison.Ordinal);

        r = Leadml.Run("export", "--store", "postgres:Host=127.0.0.1;Port=1;Database=none;Username=u;Password=secret-pw;Timeout=2", "--out", Path.Combine(_root, "out"));
        Assert.Equal(CommandErrors.BadInput, r.ExitCode);
        Assert.Contains("postgres:Host=127.0.0.1;Port=1;Database=none: cannot connect", r.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-pw", r.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", r.Error, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_root, true);
    }
}
