using System.Data.Common;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Npgsql;
using E = LeadML.Features.Store.StoreSchema.Events;
using L = LeadML.Features.Store.StoreSchema.Leads;

namespace LeadML.Api.Store;

/// <summary>
/// The lead store on SQLite or PostgreSQL: connections, transactions (retried on deadlock or busy), and the SQL of
/// leads, events, score history, the alerts outbox and the delivery log. Decisions (scores, alerts) are made by the
/// callers inside the transactions this class opens, so a score change and its alert commit together.
/// </summary>
public sealed partial class LeadStore : IDisposable
{
    private const string LeadColumns = "model, id, attributes, created_at, converted_at, score, grade, sales_ready, alert_seq, model_version, rule_set_version, event_count, last_event_at, scored_at, updated_at, next_rescore_at, rescore_count";
    private readonly string? _sqlite;
    private readonly NpgsqlDataSource? _postgres;
    private readonly string _synchronous;
    private readonly GroupCommit? _group;
    private readonly EventCache? _events;

    internal LeadStore(StoreDialect dialect, string connectionString, string synchronous = "FULL")
    {
        Dialect = dialect;
        _synchronous = synchronous.ToUpperInvariant();
        if (dialect.IsPostgres) _postgres = NpgsqlDataSource.Create(connectionString);
        else
        {
            _sqlite = connectionString;
            _events = new EventCache();
            _group = new GroupCommit(this);
        }
    }

    internal StoreDialect Dialect { get; }

    /// <summary>A unique id of this process, written on outbox claims and delivery attempts.</summary>
    public string Instance { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>Creates the SQLite store on a file.</summary>
    public static LeadStore Sqlite(string path, string synchronous = "FULL")
    {
        var full = System.IO.Path.GetFullPath(path);
        var dir = System.IO.Path.GetDirectoryName(full);
        if (dir is not null) Directory.CreateDirectory(dir);
        var cs = new SqliteConnectionStringBuilder { DataSource = full, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = true, DefaultTimeout = 60 }.ToString();
        return new LeadStore(StoreDialect.Sqlite, cs, synchronous);
    }

    /// <summary>Creates the PostgreSQL store on a connection string.</summary>
    public static LeadStore Postgres(string connectionString) => new(StoreDialect.Postgres, connectionString);

    /// <summary>Opens a connection (SQLite: WAL, busy timeout, the configured synchronous level).</summary>
    public async Task<DbConnection> OpenAsync(CancellationToken ct = default)
    {
        if (_postgres is not null) return await _postgres.OpenConnectionAsync(ct);
        var c = new SqliteConnection(_sqlite);
        await c.OpenAsync(ct);
        await Sql.ExecAsync(c, null, $"PRAGMA busy_timeout = 60000; PRAGMA synchronous = {_synchronous};", ct);
        return c;
    }

    /// <summary>Creates or migrates the schema; returns the migrations applied now.</summary>
    public async Task<IReadOnlyList<int>> MigrateAsync(TimeProvider clock, CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct);
        if (!Dialect.IsPostgres) await Sql.ExecAsync(c, null, "PRAGMA journal_mode = WAL", ct);
        return await Migrations.ApplyAsync(c, Dialect, clock, ct);
    }

    /// <summary>Runs <paramref name="work"/> in one transaction and commits; a deadlock (PostgreSQL) or a busy
    /// database (SQLite) rolls back and runs it again, up to five times.</summary>
    public async Task<T> InTransactionAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken ct = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var c = await OpenAsync(ct);
            await using var tx = await c.BeginTransactionAsync(ct);
            try
            {
                var result = await work(c, tx);
                await tx.CommitAsync(ct);
                return result;
            }
            catch (Exception e) when (attempt < 5 && IsTransient(e))
            {
                Forget();
                await Task.Delay(TimeSpan.FromMilliseconds(20 * attempt * attempt), ct);
            }
            catch
            {
                Forget();
                throw;
            }
        }
    }

    /// <summary>A write that answers after its commit: on SQLite it joins concurrent writes in one transaction
    /// (<see cref="GroupCommit"/>), each in its own savepoint; on PostgreSQL it is its own transaction, since
    /// writers there run in parallel.</summary>
    public Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken ct = default) =>
        _group is not null ? _group.RunAsync(work) : InTransactionAsync(work, ct);

    /// <summary>Drops what the store holds in memory of a transaction that did not commit.</summary>
    internal void Forget() => _events?.Clear();

    private static bool IsTransient(Exception e) => e switch
    {
        PostgresException p => p.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.UniqueViolation,
        SqliteException s => s.SqliteErrorCode is 5 or 6,
        _ => false,
    };

    // ---- leads ----

    internal static StoredLead ReadLead(DbDataReader r) => new(
        r.GetString(0), r.GetString(1), JsonSerializer.Deserialize<Dictionary<string, string?>>(r.GetString(2)) ?? [],
        Sql.Time(Sql.Long(r, 3)), Sql.NullableTime(r, 4), Sql.NullableDouble(r, 5), Sql.NullableString(r, 6), Sql.Flag(r, 7), Sql.Int(r, 8),
        Sql.NullableString(r, 9), Sql.NullableString(r, 10), Sql.Int(r, 11), Sql.NullableTime(r, 12), Sql.NullableTime(r, 13),
        Sql.Time(Sql.Long(r, 14)), Sql.NullableTime(r, 15), Sql.Int(r, 16));

    // The statements below are named where tests check their plans (QueryPlanSuite): each finds its rows by an index.
    internal const string LeadSql = $"SELECT {LeadColumns} FROM leads WHERE model = @m AND id = @id";

    /// <summary>A lead, locked for the rest of the transaction on PostgreSQL when <paramref name="tx"/> is given.</summary>
    public async Task<StoredLead?> GetLeadAsync(DbConnection c, DbTransaction? tx, string model, string id, CancellationToken ct)
    {
        var list = await Sql.ListAsync(c, tx, LeadSql + (tx is null ? "" : Dialect.LockRows), ReadLead, ct,
            ("m", model), ("id", id));
        return list.Count == 0 ? null : list[0];
    }

    public async Task<StoredLead?> GetLeadAsync(string model, string id, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        return await GetLeadAsync(c, null, model, id, ct);
    }

    // The statements that write what the store's history reader reads, in the schema's shared names.
    private static readonly string EnsureLeadSql =
        $"INSERT INTO {L.Table} ({L.Model}, {L.Id}, {L.Attributes}, {L.CreatedAt}, updated_at) VALUES (@m, @id, '{{}}', @c, @u) ON CONFLICT ({L.Model}, {L.Id}) DO NOTHING";

    private static readonly string UpsertLeadSql = $"""
        INSERT INTO {L.Table} ({L.Model}, {L.Id}, {L.Attributes}, {L.CreatedAt}, {L.ConvertedAt}, updated_at) VALUES (@m, @id, @a, @c, @conv, @u)
        ON CONFLICT ({L.Model}, {L.Id}) DO UPDATE SET {L.Attributes} = @a, {L.CreatedAt} = @c, {L.ConvertedAt} = COALESCE(@conv, {L.Table}.{L.ConvertedAt}), updated_at = @u
        """;

    /// <summary>SQLite: the one-lead upsert returning the lead as stored, so a bulk request reads none of them again.</summary>
    private static readonly string UpsertLeadReturningSql = $"{UpsertLeadSql} RETURNING {LeadColumns}";

    private static readonly string InsertEventSql = $"""
        INSERT INTO {E.Table} ({E.Model}, {E.LeadId}, {E.EventId}, {E.Timestamp}, {E.Type}, {E.Detail}, received_at) VALUES (@m, @l, @e, @ts, @t, @d, @r)
        ON CONFLICT ({E.Model}, {E.LeadId}, {E.EventId}) DO NOTHING
        """;

    /// <summary>Creates the lead when missing (no attributes, created at <paramref name="createdAt"/>) and returns
    /// it locked.</summary>
    public async Task<StoredLead> EnsureLeadAsync(DbConnection c, DbTransaction tx, string model, string id, DateTime createdAt, DateTime now, CancellationToken ct)
    {
        if (await GetLeadAsync(c, tx, model, id, ct) is { } existing) return existing;
        await Sql.ExecAsync(c, tx, EnsureLeadSql, ct,
            ("m", model), ("id", id), ("c", Sql.Ms(createdAt)), ("u", Sql.Ms(now)));
        return (await GetLeadAsync(c, tx, model, id, ct))!;
    }

    /// <summary>Creates or replaces a lead's attributes and dates (its score and events stay) and returns it locked. A
    /// missing <paramref name="convertedAt"/> keeps a conversion already recorded (<c>POST /leads/{id}/conversion</c>):
    /// a CRM resending attributes must not erase it; only an admin undoes a conversion.</summary>
    public async Task<StoredLead> UpsertLeadAsync(DbConnection c, DbTransaction tx, string model, string id, IReadOnlyDictionary<string, string?> attributes,
        DateTime createdAt, DateTime? convertedAt, DateTime now, CancellationToken ct)
    {
        await Sql.ExecAsync(c, tx, UpsertLeadSql, ct, ("m", model), ("id", id), ("a", JsonSerializer.Serialize(attributes)), ("c", Sql.Ms(createdAt)),
            ("conv", convertedAt is { } cv ? Sql.Ms(cv) : null), ("u", Sql.Ms(now)));
        return (await GetLeadAsync(c, tx, model, id, ct))!;
    }

    internal static readonly string StoredEventSql =
        $"SELECT {E.Timestamp}, {E.Type}, {E.Detail} FROM {E.Table} WHERE {E.Model} = @m AND {E.LeadId} = @l AND {E.EventId} = @e";

    /// <summary>Stores an event unless the lead already has one with this id. An id already stored is a
    /// <see cref="EventInsert.Duplicate"/> when the stored event has the same time (to the millisecond), type and
    /// detail, and a <see cref="EventInsert.Conflict"/> otherwise, read in the same transaction.</summary>
    public async Task<EventInsert> InsertEventAsync(DbConnection c, DbTransaction tx, string model, string leadId, StoredEvent e, DateTime now, CancellationToken ct)
    {
        var ts = Sql.Ms(e.Timestamp);
        var n = await Sql.ExecAsync(c, tx, InsertEventSql, ct, ("m", model), ("l", leadId), ("e", e.EventId), ("ts", ts), ("t", e.Type), ("d", e.Detail), ("r", Sql.Ms(now)));
        if (n > 0)
        {
            _events?.Added(model, leadId, e);
            return EventInsert.Added;
        }
        var stored = await Sql.ListAsync(c, tx, StoredEventSql, r => (Ts: Sql.Long(r, 0), Type: r.GetString(1), Detail: Sql.NullableString(r, 2)), ct,
            ("m", model), ("l", leadId), ("e", e.EventId));
        return stored.Count == 1 && stored[0].Ts == ts && stored[0].Type == e.Type && stored[0].Detail == e.Detail ? EventInsert.Duplicate : EventInsert.Conflict;
    }

    internal const string EventsSql = "SELECT event_id, ts, type, detail FROM events WHERE model = @m AND lead_id = @l ORDER BY ts, seq";

    /// <summary>A lead's events, oldest first. Inside a transaction on SQLite they come from memory when this process
    /// wrote or read them last (<see cref="EventCache"/>).</summary>
    public async Task<List<StoredEvent>> EventsAsync(DbConnection c, DbTransaction? tx, string model, string leadId, CancellationToken ct)
    {
        var cache = tx is null ? null : _events;
        if (cache?.Get(model, leadId) is { } held) return held;
        var events = await Sql.ListAsync(c, tx, EventsSql,
            r => new StoredEvent(r.GetString(0), Sql.Time(Sql.Long(r, 1)), r.GetString(2), Sql.NullableString(r, 3)), ct, ("m", model), ("l", leadId));
        cache?.Put(model, leadId, events);
        return events;
    }

    internal const string SaveScoreSql = """
        UPDATE leads SET score = @s, grade = @g, sales_ready = @sr, alert_seq = @as, model_version = @mv, rule_set_version = @rv,
            scored_at = @at, updated_at = @at, next_rescore_at = @next, rescore_count = @rc, event_count = @ec, last_event_at = @le
        WHERE model = @m AND id = @id
        """;

    /// <summary>The statement of <see cref="EventsOfAsync"/> for <paramref name="leads"/> leads (parameters <c>@l0</c>…).</summary>
    internal static string EventsOfSql(int leads) =>
        $"SELECT lead_id, event_id, ts, type, detail FROM events WHERE model = @m AND lead_id IN ({Placeholders("l", leads)}) ORDER BY lead_id, ts, seq";

    /// <summary>The events of several leads, each lead's oldest first, in one query: a rescoring batch or a bulk request
    /// reads its leads' events at once instead of one query per lead. Inside a transaction, the leads locked, no event
    /// can be added to them before it commits, and on SQLite the leads whose events this process holds
    /// (<see cref="EventCache"/>) are not read again, and the ones read are held, as <see cref="EventsAsync"/> holds
    /// them. Without a transaction it is a plain read (of a committed state that may change right after).</summary>
    public async Task<Dictionary<string, List<StoredEvent>>> EventsOfAsync(DbConnection c, DbTransaction? tx, string model, IReadOnlyList<string> leadIds,
        CancellationToken ct)
    {
        var byLead = leadIds.Distinct(StringComparer.Ordinal).ToDictionary(id => id, _ => new List<StoredEvent>(), StringComparer.Ordinal);
        var cache = tx is null ? null : _events;
        var ids = new List<string>(byLead.Count);
        foreach (var id in byLead.Keys.ToList())
        {
            if (cache?.Get(model, id) is { } held) byLead[id] = held;
            else ids.Add(id);
        }
        foreach (var part in ids.Chunk(MaxIdsPerStatement))
        {
            await Sql.ListAsync(c, tx, EventsOfSql(part.Length), r =>
            {
                byLead[r.GetString(0)].Add(new StoredEvent(r.GetString(1), Sql.Time(Sql.Long(r, 2)), r.GetString(3), Sql.NullableString(r, 4)));
                return 0;
            }, ct, [("m", model), .. part.Select((id, i) => ($"l{i}", (object?)id))]);
        }
        foreach (var id in ids) cache?.Put(model, id, byLead[id]);
        return byLead;
    }

    /// <summary>Writes a lead's new score state (with its event count and latest event time).</summary>
    public Task SaveScoreAsync(DbConnection c, DbTransaction tx, StoredLead lead, CancellationToken ct) =>
        Sql.ExecAsync(c, tx, SaveScoreSql, ct, ("ec", lead.EventCount), ("le", lead.LastEventAt is { } le ? Sql.Ms(le) : null), ("s", lead.Score), ("g", lead.Grade), ("sr", lead.SalesReady ? 1 : 0), ("as", lead.AlertSeq), ("mv", lead.ModelVersion),
            ("rv", lead.RuleSetVersion), ("at", Sql.Ms(lead.ScoredAt ?? lead.UpdatedAt)), ("next", lead.NextRescoreAt is { } n ? Sql.Ms(n) : null),
            ("rc", lead.RescoreCount), ("m", lead.Model), ("id", lead.Id));

    /// <summary>How a history entry's cause is kept: camelCase JSON without the absent parts.</summary>
    private static readonly JsonSerializerOptions CauseJson = new(JsonSerializerDefaults.Web);

    public Task AddHistoryAsync(DbConnection c, DbTransaction tx, string model, string leadId, ScoreChange h, CancellationToken ct) =>
        Sql.ExecAsync(c, tx, """
            INSERT INTO score_history (model, lead_id, at, score, previous_score, grade, sales_ready, model_version, rule_set_version, reason, cause)
            VALUES (@m, @l, @at, @s, @p, @g, @sr, @mv, @rv, @r, @cause)
            """, ct, ("m", model), ("l", leadId), ("at", Sql.Ms(h.At)), ("s", h.Score), ("p", h.PreviousScore), ("g", h.Grade),
            ("sr", h.SalesReady ? 1 : 0), ("mv", h.ModelVersion), ("rv", h.RuleSetVersion), ("r", h.Reason),
            ("cause", CauseText(h.Cause)));

    private static string? CauseText(ScoreCause? cause) => cause is null ? null : JsonSerializer.Serialize(cause, CauseJson);

    internal const string HistorySql = """
        SELECT at, score, previous_score, grade, sales_ready, model_version, rule_set_version, reason, cause
        FROM score_history WHERE model = @m AND lead_id = @l ORDER BY seq
        """;

    /// <summary>A lead's score changes, oldest first. An entry written before causes were kept (or whose cause cannot be
    /// read) has none; its reason still says why.</summary>
    public async Task<List<ScoreChange>> HistoryAsync(string model, string leadId, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        return await Sql.ListAsync(c, null, HistorySql, r => new ScoreChange(Sql.Time(Sql.Long(r, 0)), Sql.Double(r, 1), Sql.NullableDouble(r, 2), r.GetString(3), Sql.Flag(r, 4),
            r.GetString(5), r.GetString(6), r.GetString(7), ReadCause(Sql.NullableString(r, 8))), ct, ("m", model), ("l", leadId));
    }

    private static ScoreCause? ReadCause(string? json)
    {
        if (json is null) return null;
        try
        {
            return JsonSerializer.Deserialize<ScoreCause>(json, CauseJson);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Erases a lead with its events, score history, alerts and their delivery log; false when unknown.</summary>
    public Task<bool> DeleteLeadAsync(string model, string id, CancellationToken ct) => InTransactionAsync(async (c, tx) =>
    {
        _events?.Remove(model, id);
        var n = await Sql.ExecAsync(c, tx, "DELETE FROM leads WHERE model = @m AND id = @id", ct, ("m", model), ("id", id));
        foreach (var table in new[] { "events", "score_history", "alerts", "deliveries" })
        {
            n += await Sql.ExecAsync(c, tx, $"DELETE FROM {table} WHERE model = @m AND lead_id = @id", ct, ("m", model), ("id", id));
        }
        return n > 0;
    }, ct);

    internal const string ClaimDueSql = $"""
        SELECT {LeadColumns} FROM leads
        WHERE model = @m AND converted_at IS NULL AND next_rescore_at IS NOT NULL AND next_rescore_at <= @now
        ORDER BY next_rescore_at LIMIT @n
        """;

    /// <summary>Due leads of a model (not converted, next rescoring time passed), locked; on PostgreSQL rows another
    /// instance holds are skipped, so two instances never rescore the same lead in the same pass.</summary>
    public Task<List<StoredLead>> ClaimDueAsync(DbConnection c, DbTransaction tx, string model, DateTime now, int limit, CancellationToken ct) =>
        Sql.ListAsync(c, tx, ClaimDueSql + Dialect.ClaimRows, ReadLead, ct, ("m", model), ("now", Sql.Ms(now)), ("n", limit));

    /// <summary>The stale claim reads every open lead of the model when none is stale: once a round, not per event
    /// (its cost at scale is measured by the store benchmark).</summary>
    internal const string ClaimStaleSql = $"""
        SELECT {LeadColumns} FROM leads
        WHERE model = @m AND converted_at IS NULL
          AND (model_version IS NULL OR rule_set_version IS NULL OR model_version <> @mv OR rule_set_version <> @rv)
        ORDER BY id LIMIT @n
        """;

    /// <summary>Leads of a model last scored with another model or rule-set version (or never), locked and skipping
    /// locked rows.</summary>
    public Task<List<StoredLead>> ClaimStaleAsync(DbConnection c, DbTransaction tx, string model, string modelVersion, string ruleSetVersion, int limit, CancellationToken ct) =>
        Sql.ListAsync(c, tx, ClaimStaleSql + Dialect.ClaimRows, ReadLead, ct, ("m", model), ("mv", modelVersion), ("rv", ruleSetVersion), ("n", limit));

    // ---- alerts outbox ----

    public async Task AddAlertAsync(DbConnection c, DbTransaction tx, StoredAlert a, string? causeKey, CancellationToken ct) =>
        await Sql.ExecAsync(c, tx, """
            INSERT INTO alerts (alert_key, model, lead_id, kind, score, previous_score, threshold, hysteresis, reason, cause_key, model_version,
                rule_set_version, raised_at, payload, next_attempt_at)
            VALUES (@k, @m, @l, @kind, @s, @p, @t, @h, @r, @cause, @mv, @rv, @at, @payload, @at)
            """, ct, ("k", a.Key), ("m", a.Model), ("l", a.LeadId), ("kind", a.Kind), ("s", a.Score), ("p", a.PreviousScore), ("t", a.Threshold),
            ("h", a.Hysteresis), ("r", a.Reason), ("cause", causeKey), ("mv", a.ModelVersion), ("rv", a.RuleSetVersion), ("at", Sql.Ms(a.RaisedAt)),
            ("payload", a.Payload));

    internal const string CountAlertsForCauseSql = "SELECT COUNT(*) FROM alerts WHERE cause_key = @k";

    public async Task<long> CountAlertsForCauseAsync(DbConnection c, DbTransaction tx, string causeKey, CancellationToken ct) =>
        Convert.ToInt64(await Sql.ScalarAsync(c, tx, CountAlertsForCauseSql, ct, ("k", causeKey)), System.Globalization.CultureInfo.InvariantCulture);

    private const string AlertColumns = "seq, alert_key, model, lead_id, kind, score, previous_score, threshold, hysteresis, reason, model_version, rule_set_version, raised_at, delivered_at, attempts, next_attempt_at, last_error, payload";

    private static StoredAlert ReadAlert(DbDataReader r) => new(Sql.Long(r, 0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4),
        Sql.Double(r, 5), Sql.NullableDouble(r, 6), Sql.Double(r, 7), Sql.Double(r, 8), r.GetString(9), r.GetString(10), r.GetString(11),
        Sql.Time(Sql.Long(r, 12)), Sql.NullableTime(r, 13), Sql.Int(r, 14), Sql.Time(Sql.Long(r, 15)), Sql.NullableString(r, 16), r.GetString(17));

    /// <summary>Alerts, newest first, filtered by any of model, lead, kind, delivered or not, and raised since.</summary>
    public async Task<List<StoredAlert>> AlertsAsync(string? model, string? leadId, string? kind, bool? delivered, DateTime? since, int limit, CancellationToken ct)
    {
        var (sql, ps) = AlertsQuery(model, leadId, kind, delivered, since, limit);
        await using var c = await OpenAsync(ct);
        return await Sql.ListAsync(c, null, sql, ReadAlert, ct, ps);
    }

    internal static (string Sql, (string, object?)[] Parameters) AlertsQuery(string? model, string? leadId, string? kind, bool? delivered, DateTime? since, int limit)
    {
        var where = new StringBuilder("1 = 1");
        var ps = new List<(string, object?)> { ("n", limit) };
        if (model is not null) { where.Append(" AND model = @m"); ps.Add(("m", model)); }
        if (leadId is not null) { where.Append(" AND lead_id = @l"); ps.Add(("l", leadId)); }
        if (kind is not null) { where.Append(" AND kind = @k"); ps.Add(("k", kind)); }
        if (delivered is not null) where.Append(delivered.Value ? " AND delivered_at IS NOT NULL" : " AND delivered_at IS NULL");
        if (since is not null) { where.Append(" AND raised_at >= @s"); ps.Add(("s", Sql.Ms(since.Value))); }
        return ($"SELECT {AlertColumns} FROM alerts WHERE {where} ORDER BY seq DESC LIMIT @n", [.. ps]);
    }

    internal const string ClaimAlertsSql = $"""
        SELECT {AlertColumns} FROM alerts
        WHERE delivered_at IS NULL AND next_attempt_at <= @now AND (claimed_until IS NULL OR claimed_until < @now)
        ORDER BY seq LIMIT @n
        """;

    /// <summary>Claims undelivered alerts whose next attempt is due and that no live claim holds, for
    /// <paramref name="lease"/>; PostgreSQL skips rows another instance is claiming at the same moment.</summary>
    public Task<List<StoredAlert>> ClaimAlertsAsync(DateTime now, TimeSpan lease, int limit, CancellationToken ct) => InTransactionAsync(async (c, tx) =>
    {
        var due = await Sql.ListAsync(c, tx, ClaimAlertsSql + Dialect.ClaimRows, ReadAlert, ct, ("now", Sql.Ms(now)), ("n", limit));
        foreach (var a in due)
        {
            await Sql.ExecAsync(c, tx, "UPDATE alerts SET claimed_until = @u, claimed_by = @by WHERE seq = @s", ct,
                ("u", Sql.Ms(now + lease)), ("by", Instance), ("s", a.Seq));
        }
        return due;
    }, ct);

    /// <summary>Releases every claim (SQLite on start: one process owns the file, so claims left by a crash are void).</summary>
    public async Task ReleaseClaimsAsync(CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        await Sql.ExecAsync(c, null, "UPDATE alerts SET claimed_until = NULL, claimed_by = NULL WHERE delivered_at IS NULL", ct);
    }

    public async Task LogDeliveryAsync(DeliveryAttempt d, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        await Sql.ExecAsync(c, null, """
            INSERT INTO deliveries (alert_key, model, lead_id, webhook, attempt, at, status_code, error, succeeded, duration_ms, instance)
            VALUES (@k, @m, @l, @w, @a, @at, @sc, @e, @ok, @d, @i)
            """, ct, ("k", d.AlertKey), ("m", d.Model), ("l", d.LeadId), ("w", d.Webhook), ("a", d.Attempt), ("at", Sql.Ms(d.At)), ("sc", d.StatusCode),
            ("e", d.Error), ("ok", d.Succeeded ? 1 : 0), ("d", d.DurationMs), ("i", d.Instance));
    }

    /// <summary>Webhooks that already accepted this alert (so a retry after a partial failure skips them).</summary>
    public async Task<HashSet<string>> AcceptedByAsync(string alertKey, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        var list = await Sql.ListAsync(c, null, "SELECT DISTINCT webhook FROM deliveries WHERE alert_key = @k AND succeeded = 1", r => r.GetString(0), ct, ("k", alertKey));
        return [.. list];
    }

    /// <summary>Marks an alert delivered (only by the instance holding its claim), or schedules its next attempt.</summary>
    public async Task FinishAlertAsync(long seq, bool delivered, int attempts, DateTime now, DateTime nextAttempt, string? error, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        if (delivered)
        {
            await Sql.ExecAsync(c, null, "UPDATE alerts SET delivered_at = @now, attempts = attempts + @a, claimed_until = NULL, last_error = NULL WHERE seq = @s", ct,
                ("now", Sql.Ms(now)), ("a", attempts), ("s", seq));
        }
        else
        {
            await Sql.ExecAsync(c, null, "UPDATE alerts SET next_attempt_at = @next, attempts = attempts + @a, claimed_until = NULL, last_error = @e WHERE seq = @s", ct,
                ("next", Sql.Ms(nextAttempt)), ("a", attempts), ("e", error), ("s", seq));
        }
    }

    public async Task<List<DeliveryAttempt>> DeliveriesAsync(string? alertKey, string? leadId, bool? succeeded, int limit, CancellationToken ct)
    {
        var (sql, ps) = DeliveriesQuery(alertKey, leadId, succeeded, limit);
        await using var c = await OpenAsync(ct);
        return await Sql.ListAsync(c, null, sql, r => new DeliveryAttempt(Sql.Long(r, 0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), Sql.Int(r, 5),
            Sql.Time(Sql.Long(r, 6)), r.IsDBNull(7) ? null : Sql.Int(r, 7), Sql.NullableString(r, 8), Sql.Flag(r, 9), Sql.Double(r, 10), r.GetString(11)), ct, ps);
    }

    internal static (string Sql, (string, object?)[] Parameters) DeliveriesQuery(string? alertKey, string? leadId, bool? succeeded, int limit)
    {
        var where = new StringBuilder("1 = 1");
        var ps = new List<(string, object?)> { ("n", limit) };
        if (alertKey is not null) { where.Append(" AND alert_key = @k"); ps.Add(("k", alertKey)); }
        if (leadId is not null) { where.Append(" AND lead_id = @l"); ps.Add(("l", leadId)); }
        if (succeeded is not null) { where.Append(" AND succeeded = @ok"); ps.Add(("ok", succeeded.Value ? 1 : 0)); }
        return ($"""
            SELECT seq, alert_key, model, lead_id, webhook, attempt, at, status_code, error, succeeded, duration_ms, instance
            FROM deliveries WHERE {where} ORDER BY seq DESC LIMIT @n
            """, [.. ps]);
    }

    public void Dispose()
    {
        _group?.StopAsync().GetAwaiter().GetResult();
        _postgres?.Dispose();
        if (_sqlite is not null) SqliteConnection.ClearAllPools();
    }
}
