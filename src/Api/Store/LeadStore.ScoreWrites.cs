using System.Data.Common;
using System.Text.Json;
using L = LeadML.Features.Store.StoreSchema.Leads;

namespace LeadML.Api.Store;

/// <summary>What scoring one lead writes: its new score state, the history entry when anything changed, and the alert
/// it raised (counted against <paramref name="CauseKey"/>'s cap when there is one).</summary>
public sealed record ScoreWrite(StoredLead Lead, ScoreChange? Change, StoredAlert? Alert, string? CauseKey);

/// <summary>The leads to create or replace of a bulk request: the attributes and dates <see cref="LeadStore.UpsertLeadAsync"/>
/// takes for one.</summary>
public sealed record LeadUpsert(string Id, IReadOnlyDictionary<string, string?> Attributes, DateTime CreatedAt, DateTime? ConvertedAt);

/// <summary>
/// The set-wise writes of many leads' scores (a rescoring round's part, a bulk request of leads). On PostgreSQL each
/// kind of row (alerts, history entries, score states, upserted leads) goes in one statement of unnested arrays, and
/// the statements of one write are sent together (<see cref="DbBatch"/>): one round trip instead of three a lead. On
/// SQLite, one writer in this process with no network between, the writer's prepared single-row statements stay: that
/// is what SQLite runs fastest.
/// </summary>
public sealed partial class LeadStore
{
    internal static readonly string AddAlertsSql = """
        INSERT INTO alerts (alert_key, model, lead_id, kind, score, previous_score, threshold, hysteresis, reason, cause_key, model_version,
            rule_set_version, raised_at, payload, next_attempt_at)
        SELECT x.k, x.m, x.l, x.kind, x.s, x.p, x.t, x.h, x.r, x.cause, x.mv, x.rv, x.at, x.payload, x.at
        FROM unnest(@k::text[], @m::text[], @l::text[], @kind::text[], @s::double precision[], @p::double precision[], @t::double precision[],
            @h::double precision[], @r::text[], @cause::text[], @mv::text[], @rv::text[], @at::bigint[], @payload::text[])
            WITH ORDINALITY AS x(k, m, l, kind, s, p, t, h, r, cause, mv, rv, at, payload, n)
        ORDER BY x.n
        """;

    internal static readonly string AddHistorySql = """
        INSERT INTO score_history (model, lead_id, at, score, previous_score, grade, sales_ready, model_version, rule_set_version, reason, cause)
        SELECT x.m, x.l, x.at, x.s, x.p, x.g, x.sr, x.mv, x.rv, x.r, x.cause
        FROM unnest(@m::text[], @l::text[], @at::bigint[], @s::double precision[], @p::double precision[], @g::text[], @sr::integer[], @mv::text[],
            @rv::text[], @r::text[], @cause::text[]) WITH ORDINALITY AS x(m, l, at, s, p, g, sr, mv, rv, r, cause, n)
        ORDER BY x.n
        """;

    internal static readonly string SaveScoresSql = """
        UPDATE leads SET score = x.s, grade = x.g, sales_ready = x.sr, alert_seq = x.aseq, model_version = x.mv, rule_set_version = x.rv,
            scored_at = x.at, updated_at = x.at, next_rescore_at = x.next, rescore_count = x.rc, event_count = x.ec, last_event_at = x.le
        FROM unnest(@m::text[], @id::text[], @s::double precision[], @g::text[], @sr::integer[], @aseq::integer[], @mv::text[], @rv::text[],
            @at::bigint[], @next::bigint[], @rc::integer[], @ec::integer[], @le::bigint[]) AS x(m, id, s, g, sr, aseq, mv, rv, at, next, rc, ec, le)
        WHERE leads.model = x.m AND leads.id = x.id
        """;

    /// <summary>PostgreSQL: creates or replaces a bulk request's leads in one statement, in the order given, and returns
    /// them as stored; as <see cref="UpsertLeadSql"/> does for one.</summary>
    internal static readonly string UpsertLeadsSql = $"""
        INSERT INTO {L.Table} ({L.Model}, {L.Id}, {L.Attributes}, {L.CreatedAt}, {L.ConvertedAt}, updated_at)
        SELECT @m, x.id, x.a, x.c, x.conv, @u FROM unnest(@ids::text[], @a::text[], @c::bigint[], @conv::bigint[]) WITH ORDINALITY AS x(id, a, c, conv, n)
        ORDER BY x.n
        ON CONFLICT ({L.Model}, {L.Id}) DO UPDATE SET {L.Attributes} = EXCLUDED.{L.Attributes}, {L.CreatedAt} = EXCLUDED.{L.CreatedAt},
            {L.ConvertedAt} = COALESCE(EXCLUDED.{L.ConvertedAt}, {L.Table}.{L.ConvertedAt}), updated_at = EXCLUDED.updated_at
        RETURNING {LeadColumns}
        """;

    /// <summary>Writes what scoring many leads decided, in the caller's transaction: each one's alert, history entry
    /// and score state, as <see cref="AddAlertAsync"/>, <see cref="AddHistoryAsync"/> and <see cref="SaveScoreAsync"/>
    /// do for one. Alerts and history entries are numbered in the order given.</summary>
    public async Task SaveScoresAsync(DbConnection c, DbTransaction tx, IReadOnlyList<ScoreWrite> writes, CancellationToken ct)
    {
        if (writes.Count == 0) return;
        if (!Dialect.IsPostgres)
        {
            foreach (var w in writes)
            {
                if (w.Alert is { } a) await AddAlertAsync(c, tx, a, w.CauseKey, ct);
                if (w.Change is { } h) await AddHistoryAsync(c, tx, w.Lead.Model, w.Lead.Id, h, ct);
                await SaveScoreAsync(c, tx, w.Lead, ct);
            }
            return;
        }
        var statements = new List<(string Sql, (string, object?)[] Parameters)>(3);
        var alerts = writes.Where(w => w.Alert is not null).ToList();
        if (alerts.Count > 0)
        {
            var a = alerts.Select(w => w.Alert!).ToList();
            statements.Add((AddAlertsSql,
            [
                ("k", a.Select(x => x.Key).ToArray()), ("m", a.Select(x => x.Model).ToArray()), ("l", a.Select(x => x.LeadId).ToArray()),
                ("kind", a.Select(x => x.Kind).ToArray()), ("s", a.Select(x => x.Score).ToArray()), ("p", a.Select(x => x.PreviousScore).ToArray()),
                ("t", a.Select(x => x.Threshold).ToArray()), ("h", a.Select(x => x.Hysteresis).ToArray()), ("r", a.Select(x => x.Reason).ToArray()),
                ("cause", alerts.Select(w => w.CauseKey).ToArray()), ("mv", a.Select(x => x.ModelVersion).ToArray()),
                ("rv", a.Select(x => x.RuleSetVersion).ToArray()), ("at", a.Select(x => Sql.Ms(x.RaisedAt)).ToArray()), ("payload", a.Select(x => x.Payload).ToArray()),
            ]));
        }
        var changes = writes.Where(w => w.Change is not null).ToList();
        if (changes.Count > 0)
        {
            var h = changes.Select(w => w.Change!).ToList();
            statements.Add((AddHistorySql,
            [
                ("m", changes.Select(w => w.Lead.Model).ToArray()), ("l", changes.Select(w => w.Lead.Id).ToArray()), ("at", h.Select(x => Sql.Ms(x.At)).ToArray()),
                ("s", h.Select(x => x.Score).ToArray()), ("p", h.Select(x => x.PreviousScore).ToArray()), ("g", h.Select(x => x.Grade).ToArray()),
                ("sr", h.Select(x => x.SalesReady ? 1 : 0).ToArray()), ("mv", h.Select(x => x.ModelVersion).ToArray()),
                ("rv", h.Select(x => x.RuleSetVersion).ToArray()), ("r", h.Select(x => x.Reason).ToArray()), ("cause", h.Select(x => CauseText(x.Cause)).ToArray()),
            ]));
        }
        var leads = writes.Select(w => w.Lead).ToList();
        statements.Add((SaveScoresSql,
        [
            ("m", leads.Select(l => l.Model).ToArray()), ("id", leads.Select(l => l.Id).ToArray()), ("s", leads.Select(l => l.Score).ToArray()),
            ("g", leads.Select(l => l.Grade).ToArray()), ("sr", leads.Select(l => l.SalesReady ? 1 : 0).ToArray()), ("aseq", leads.Select(l => l.AlertSeq).ToArray()),
            ("mv", leads.Select(l => l.ModelVersion).ToArray()), ("rv", leads.Select(l => l.RuleSetVersion).ToArray()),
            ("at", leads.Select(l => Sql.Ms(l.ScoredAt ?? l.UpdatedAt)).ToArray()), ("next", leads.Select(l => l.NextRescoreAt is { } n ? Sql.Ms(n) : (long?)null).ToArray()),
            ("rc", leads.Select(l => l.RescoreCount).ToArray()), ("ec", leads.Select(l => l.EventCount).ToArray()),
            ("le", leads.Select(l => l.LastEventAt is { } le ? Sql.Ms(le) : (long?)null).ToArray()),
        ]));
        await Sql.BatchAsync(c, tx, statements, ct);
    }

    /// <summary>Creates or replaces many leads' attributes and dates (their scores and events stay), as
    /// <see cref="UpsertLeadAsync"/> does for one, and returns them as stored, by id. The ids must differ; locks are
    /// taken in the order given.</summary>
    public async Task<Dictionary<string, StoredLead>> UpsertLeadsAsync(DbConnection c, DbTransaction tx, string model, IReadOnlyList<LeadUpsert> leads,
        DateTime now, CancellationToken ct)
    {
        var stored = new Dictionary<string, StoredLead>(leads.Count, StringComparer.Ordinal);
        if (leads.Count == 0) return stored;
        if (Dialect.IsPostgres)
        {
            var rows = await Sql.ListAsync(c, tx, UpsertLeadsSql, ReadLead, ct, ("m", model), ("u", Sql.Ms(now)), ("ids", leads.Select(l => l.Id).ToArray()),
                ("a", leads.Select(l => JsonSerializer.Serialize(l.Attributes)).ToArray()), ("c", leads.Select(l => Sql.Ms(l.CreatedAt)).ToArray()),
                ("conv", leads.Select(l => l.ConvertedAt is { } cv ? Sql.Ms(cv) : (long?)null).ToArray()));
            foreach (var lead in rows) stored[lead.Id] = lead;
            return stored;
        }
        foreach (var l in leads)
        {
            var rows = await Sql.ListAsync(c, tx, UpsertLeadReturningSql, ReadLead, ct, ("m", model), ("id", l.Id), ("a", JsonSerializer.Serialize(l.Attributes)),
                ("c", Sql.Ms(l.CreatedAt)), ("conv", l.ConvertedAt is { } cv ? Sql.Ms(cv) : null), ("u", Sql.Ms(now)));
            stored[l.Id] = rows[0];
        }
        return stored;
    }
}
