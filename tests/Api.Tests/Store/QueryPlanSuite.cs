using System.Data.Common;
using LeadML.Api.Store;
using LeadML.Api.Tests.Fixtures;

namespace LeadML.Api.Tests.Store;

/// <summary>
/// The statements the store runs per event, per rescoring batch, per outbox claim and per history read find their rows
/// through an index, never by reading a whole table: each is planned (PostgreSQL <c>EXPLAIN</c>, SQLite <c>EXPLAIN
/// QUERY PLAN</c>) over a store of 20,000 leads of two models (a third converted, the due times spread), 100,000
/// events, 60,000 score changes, 20,000 alerts (100 undelivered) and their deliveries, after <c>ANALYZE</c>, so the
/// planners choose as they would on a grown store. Sequential scans stay allowed: a plan that still reads a whole table
/// with the statistics of 20,000 rows is a missing index.
/// </summary>
public abstract class QueryPlanSuite : IDisposable
{
    private const int Leads = 20_000;
    private LeadStore? _store;

    protected abstract LeadStore Open();

    /// <summary>What asks the database for a statement's plan instead of running it.</summary>
    protected abstract string Explain { get; }

    /// <summary>The column of the plan's rows that holds the text of each step.</summary>
    protected abstract int PlanColumn { get; }

    /// <summary>Whether a plan line reads the whole of <paramref name="table"/>.</summary>
    protected abstract bool ReadsWholeTable(string line, string table);

    /// <summary>Whether a plan line finds rows of <paramref name="table"/> through <paramref name="index"/>.</summary>
    protected abstract bool Searches(string line, string table, string index);

    /// <summary>The index of a table's key (leads: the primary key; events: the lead's event id), as the database
    /// names it.</summary>
    protected abstract string KeyOf(string table);

    public static TheoryData<string> Statements => [.. Cases().Select(c => c.Name)];

    public static TheoryData<string> PostgresStatements => [.. PostgresCases().Select(c => c.Name)];

    protected sealed record Case(string Name, string Sql, string Table, string? Index, params (string Name, object? Value)[] Parameters);

    private static IEnumerable<Case> Cases()
    {
        var (alertsOfLead, alertParameters) = LeadStore.AlertsQuery("sample", "L17", null, null, null, 100);
        var (deliveriesOfLead, deliveryParameters) = LeadStore.DeliveriesQuery(null, "L17", null, 100);
        return
        [
            new("rescoring claim", LeadStore.ClaimDueSql, "leads", "leads_open_due", ("m", "sample"), ("now", 5_000_000L), ("n", 200)),
            new("alerts outbox claim", LeadStore.ClaimAlertsSql, "alerts", "alerts_pending", ("now", 30_000L), ("n", 100)),
            new("lead read", LeadStore.LeadSql, "leads", null, ("m", "sample"), ("id", "L17")),
            new("score write", LeadStore.SaveScoreSql, "leads", null, ("m", "sample"), ("id", "L17"), ("s", 50.0), ("g", "B"), ("sr", 0), ("as", 0),
                ("mv", "v1"), ("rv", "r1"), ("at", 1L), ("next", 2L), ("rc", 1), ("ec", 5), ("le", 1L)),
            new("event idempotency check", LeadStore.StoredEventSql, "events", null, ("m", "sample"), ("l", "L17"), ("e", "E17")),
            new("events of a lead", LeadStore.EventsSql, "events", null, ("m", "sample"), ("l", "L17")),
            new("events of a rescoring batch", LeadStore.EventsOfSql(3), "events", null, ("m", "sample"), ("l0", "L17"), ("l1", "L18"), ("l2", "L19")),
            new("leads of a bulk request", LeadStore.LeadsSql(3), "leads", null, ("m", "sample"), ("l0", "L17"), ("l1", "L18"), ("l2", "L19")),
            new("rescoring claim postponed", LeadStore.PostponeSql(3), "leads", null, ("m", "sample"), ("until", 1L), ("l0", "L17"), ("l1", "L18"), ("l2", "L19")),
            new("score history of a lead", LeadStore.HistorySql, "score_history", "score_history_lead", ("m", "sample"), ("l", "L17")),
            new("alerts of a lead", alertsOfLead, "alerts", "alerts_by_lead", alertParameters),
            new("deliveries of a lead", deliveriesOfLead, "deliveries", "deliveries_by_lead", deliveryParameters),
            new("alerts per cause", LeadStore.CountAlertsForCauseSql, "alerts", "alerts_cause", ("k", "sample:v1:r1")),
        ];
    }

    /// <summary>The set-wise statements of a bulk request and of a rescoring part's writes on PostgreSQL (arrays
    /// unnested), which SQLite does not run.</summary>
    protected static IEnumerable<Case> PostgresCases()
    {
        string[] leads = ["L17", "L18", "L19"], events = ["E17", "E18", "E19"];
        return
        [
            new("leads of a bulk request created", LeadStore.EnsureLeadsSql, "leads", null, ("m", "sample"), ("u", 1L), ("ids", leads), ("c", new[] { 1L, 2L, 3L })),
            new("events of a bulk request inserted", LeadStore.InsertEventsSql, "events", null, ("m", "sample"), ("r", 1L), ("l", leads), ("e", events),
                ("ts", new[] { 1L, 2L, 3L }), ("t", new[] { "page_view", "page_view", "webinar" }), ("d", new string?[] { "/pricing", null, null })),
            new("events of a bulk request already stored", LeadStore.StoredEventsSql, "events", null, ("m", "sample"), ("l", leads), ("e", events)),
            new("leads of a bulk request replaced", LeadStore.UpsertLeadsSql, "leads", null, ("m", "sample"), ("u", 1L), ("ids", leads),
                ("a", new[] { "{}", "{}", "{}" }), ("c", new[] { 1L, 2L, 3L }), ("conv", new long?[] { null, 5L, null })),
            new("scores of many leads written", LeadStore.SaveScoresSql, "leads", null, ("m", new[] { "sample", "sample", "sample" }), ("id", leads),
                ("s", new[] { 50.0, 60.0, 70.0 }), ("g", new[] { "B", "B", "A" }), ("sr", new[] { 0, 0, 1 }), ("aseq", new[] { 0, 0, 1 }),
                ("mv", new[] { "v1", "v1", "v1" }), ("rv", new[] { "r1", "r1", "r1" }), ("at", new[] { 1L, 1L, 1L }), ("next", new long?[] { 2L, null, 2L }),
                ("rc", new[] { 1, 1, 1 }), ("ec", new[] { 5, 0, 5 }), ("le", new long?[] { 1L, null, 1L })),
        ];
    }

    [Theory]
    [MemberData(nameof(Statements))]
    public Task Statement_FindsItsRowsThroughAnIndex(string name) => CheckAsync(Cases().Single(c => c.Name == name));

    protected async Task CheckAsync(Case statement)
    {
        var store = await FilledAsync();
        var name = statement.Name;
        await using var c = await store.OpenAsync();
        var plan = await PlanAsync(c, statement.Sql, statement.Parameters);
        var shown = $"plan of the {name}:\n{string.Join('\n', plan)}";

        Assert.False(plan.Any(line => ReadsWholeTable(line, statement.Table)), shown);
        Assert.True(plan.Any(line => Searches(line, statement.Table, statement.Index ?? KeyOf(statement.Table))), shown);
    }

    private async Task<LeadStore> FilledAsync()
    {
        _store = Open();
        await _store.MigrateAsync(TimeProvider.System);
        await using var c = await _store.OpenAsync();
        // Recursive counters, which both databases take: lead g of model "other" when g is a multiple of 4, converted
        // (and off the schedule) when a multiple of 3, due at g seconds otherwise.
        const string EmptyJson = "'{}'";
        const string Counter = "WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < {0}) ";
        foreach (var sql in new[]
        {
            $"""
            INSERT INTO leads (model, id, attributes, created_at, converted_at, updated_at, next_rescore_at, model_version, rule_set_version, score)
            {string.Format(null, Counter, Leads)}
            SELECT CASE WHEN g % 4 = 0 THEN 'other' ELSE 'sample' END, 'L' || g, {EmptyJson}, 0, CASE WHEN g % 3 = 0 THEN 1 ELSE NULL END, 0,
                CASE WHEN g % 3 = 0 THEN NULL ELSE g * 1000 END, 'v1', 'r1', 50 FROM s
            """,
            $"""
            INSERT INTO events (model, lead_id, event_id, ts, type, detail, received_at)
            {string.Format(null, Counter, 5 * Leads)}
            SELECT 'sample', 'L' || (g % {Leads} + 1), 'E' || g, g, 'page_view', '/pricing', g FROM s
            """,
            $"""
            INSERT INTO score_history (model, lead_id, at, score, grade, sales_ready, model_version, rule_set_version, reason)
            {string.Format(null, Counter, 3 * Leads)}
            SELECT 'sample', 'L' || (g % {Leads} + 1), g, 50, 'B', 0, 'v1', 'r1', 'event' FROM s
            """,
            $"""
            INSERT INTO alerts (alert_key, model, lead_id, kind, score, threshold, hysteresis, reason, cause_key, model_version, rule_set_version,
                raised_at, payload, delivered_at, next_attempt_at)
            {string.Format(null, Counter, Leads)}
            SELECT 'k' || g, 'sample', 'L' || g, 'sales-ready', 80, 70, 5, 'event', CASE WHEN g % 100 = 0 THEN 'sample:v1:r' || g ELSE NULL END,
                'v1', 'r1', g, {EmptyJson}, CASE WHEN g > {Leads - 100} THEN NULL ELSE g END, g FROM s
            """,
            $"""
            INSERT INTO deliveries (alert_key, model, lead_id, webhook, attempt, at, succeeded, duration_ms, instance)
            {string.Format(null, Counter, Leads)}
            SELECT 'k' || g, 'sample', 'L' || g, 'https://crm.example/hook', 1, g, 1, 12.5, 'test' FROM s
            """,
            "ANALYZE",
        })
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = sql;
            await cmd.ExecuteNonQueryAsync();
        }
        return _store;
    }

    /// <summary>The plan's lines, as the database prints them.</summary>
    private async Task<List<string>> PlanAsync(DbConnection c, string sql, (string Name, object? Value)[] parameters)
    {
        await using var cmd = Sql.Command(c, null, $"{Explain} {sql}", parameters);
        var lines = new List<string>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync()) lines.Add(r.GetString(PlanColumn));
        return lines;
    }

    public virtual void Dispose()
    {
        _store?.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>The plans on PostgreSQL (a throwaway server, a fresh database per test).</summary>
public sealed class PostgresQueryPlanTests(PostgresServer server) : QueryPlanSuite, IClassFixture<PostgresServer>
{
    protected override LeadStore Open() => LeadStore.Postgres(server.CreateDatabase());

    protected override string KeyOf(string table) => table == "leads" ? "leads_pkey" : "events_model_lead_id_event_id_key";

    protected override string Explain => "EXPLAIN";

    protected override int PlanColumn => 0;

    protected override bool ReadsWholeTable(string line, string table) => line.Contains($"Seq Scan on {table} ", StringComparison.Ordinal);

    // An INSERT … ON CONFLICT finds the row it would conflict with through its arbiter index.
    protected override bool Searches(string line, string table, string index) =>
        line.Contains($" using {index} on {table}", StringComparison.Ordinal) || line.Contains($"Bitmap Index Scan on {index}", StringComparison.Ordinal)
        || line.Contains($"Conflict Arbiter Indexes: {index}", StringComparison.Ordinal);

    [Theory]
    [MemberData(nameof(PostgresStatements))]
    public Task PostgresStatement_FindsItsRowsThroughAnIndex(string name) => CheckAsync(PostgresCases().Single(c => c.Name == name));
}

/// <summary>The plans on SQLite (a fresh file per test).</summary>
public sealed class SqliteQueryPlanTests : QueryPlanSuite
{
    private readonly string _root = Directory.CreateTempSubdirectory("leadml-plans-").FullName;

    protected override LeadStore Open() => LeadStore.Sqlite(Path.Combine(_root, "leadml.db"));

    protected override string KeyOf(string table) => $"sqlite_autoindex_{table}_1";

    protected override string Explain => "EXPLAIN QUERY PLAN";

    // Rows of (id, parent, unused, detail).
    protected override int PlanColumn => 3;

    // "SCAN leads" reads every row; so does "SCAN leads USING INDEX …" (the whole index, in its order).
    protected override bool ReadsWholeTable(string line, string table) => line == $"SCAN {table}" || line.StartsWith($"SCAN {table} ", StringComparison.Ordinal);

    protected override bool Searches(string line, string table, string index) =>
        line.StartsWith($"SEARCH {table} USING ", StringComparison.Ordinal) && line.Contains($"INDEX {index} (", StringComparison.Ordinal);

    public override void Dispose()
    {
        base.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_root, true);
    }
}
