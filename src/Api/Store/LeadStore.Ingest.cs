using System.Data.Common;
using E = LeadML.Features.Store.StoreSchema.Events;
using L = LeadML.Features.Store.StoreSchema.Leads;

namespace LeadML.Api.Store;

/// <summary>
/// The set-wise writes of a request that carries many leads' events (<c>POST /events</c>). On PostgreSQL every lead of
/// the request is created in one statement and every event inserted in one statement (arrays unnested, so the text
/// stays one prepared statement whatever the request's size); a network round trip and a statement per event were
/// most of the cost of loading a store. On SQLite, which has one writer in the same process and no network, the
/// writer's prepared single-row statements run in the one transaction: that is what SQLite does fastest.
/// </summary>
public sealed partial class LeadStore
{
    /// <summary>The statement of <see cref="LockLeadsAsync"/> for <paramref name="leads"/> leads (parameters <c>@l0</c>…).</summary>
    internal static string LeadsSql(int leads) => $"SELECT {LeadColumns} FROM leads WHERE model = @m AND id IN ({Placeholders("l", leads)}) ORDER BY id";

    internal static string Placeholders(string prefix, int count) => string.Join(", ", Enumerable.Range(0, count).Select(i => $"@{prefix}{i}"));

    /// <summary>PostgreSQL: creates the missing leads of a request in one statement, in the order given.</summary>
    internal static readonly string EnsureLeadsSql = $$"""
        INSERT INTO {{L.Table}} ({{L.Model}}, {{L.Id}}, {{L.Attributes}}, {{L.CreatedAt}}, updated_at)
        SELECT @m, x.id, '{}', x.c, @u FROM unnest(@ids::text[], @c::bigint[]) WITH ORDINALITY AS x(id, c, n) ORDER BY x.n
        ON CONFLICT ({{L.Model}}, {{L.Id}}) DO NOTHING
        """;

    /// <summary>PostgreSQL: inserts a request's events in one statement, in the order given (so their arrival numbers
    /// follow the request), and returns the ones stored; an event id the lead already has, or had earlier in the same
    /// request, is left out.</summary>
    internal static readonly string InsertEventsSql = $"""
        INSERT INTO {E.Table} ({E.Model}, {E.LeadId}, {E.EventId}, {E.Timestamp}, {E.Type}, {E.Detail}, received_at)
        SELECT @m, x.l, x.e, x.ts, x.t, x.d, @r FROM unnest(@l::text[], @e::text[], @ts::bigint[], @t::text[], @d::text[]) WITH ORDINALITY AS x(l, e, ts, t, d, n)
        ORDER BY x.n
        ON CONFLICT ({E.Model}, {E.LeadId}, {E.EventId}) DO NOTHING
        RETURNING {E.LeadId}, {E.EventId}
        """;

    /// <summary>PostgreSQL: the stored events with the given (lead, event id) pairs, to tell a resent event from a
    /// conflicting one.</summary>
    internal static readonly string StoredEventsSql = $"""
        SELECT ev.{E.LeadId}, ev.{E.EventId}, ev.{E.Timestamp}, ev.{E.Type}, ev.{E.Detail}
        FROM unnest(@l::text[], @e::text[]) AS x(l, e) JOIN {E.Table} ev ON ev.{E.Model} = @m AND ev.{E.LeadId} = x.l AND ev.{E.EventId} = x.e
        """;

    /// <summary>Creates the leads that are missing (no attributes, created at the time given with each) and returns
    /// every one of them locked, by id. Locks are taken in id order, so two requests with overlapping leads cannot
    /// deadlock.</summary>
    public async Task<Dictionary<string, StoredLead>> EnsureLeadsAsync(DbConnection c, DbTransaction tx, string model,
        IReadOnlyList<(string Id, DateTime CreatedAt)> leads, DateTime now, CancellationToken ct)
    {
        var ordered = leads.OrderBy(l => l.Id, StringComparer.Ordinal).ToList();
        if (Dialect.IsPostgres)
        {
            await Sql.ExecAsync(c, tx, EnsureLeadsSql, ct, ("m", model), ("u", Sql.Ms(now)),
                ("ids", ordered.Select(l => l.Id).ToArray()), ("c", ordered.Select(l => Sql.Ms(l.CreatedAt)).ToArray()));
        }
        else
        {
            foreach (var (id, created) in ordered)
            {
                await Sql.ExecAsync(c, tx, EnsureLeadSql, ct, ("m", model), ("id", id), ("c", Sql.Ms(created)), ("u", Sql.Ms(now)));
            }
        }
        return await LockLeadsAsync(c, tx, model, [.. ordered.Select(l => l.Id)], ct);
    }

    /// <summary>Most ids in one statement's <c>IN</c> list: SQLite takes at most 32,766 parameters, and a bulk request's
    /// limit is configurable.</summary>
    internal const int MaxIdsPerStatement = 1_000;

    /// <summary>The leads of a model with these ids, by id; locked for the rest of the transaction on PostgreSQL when
    /// <paramref name="tx"/> is given (in id order, when the ids are given in id order). Unknown ids are left out.</summary>
    public async Task<Dictionary<string, StoredLead>> LockLeadsAsync(DbConnection c, DbTransaction? tx, string model, IReadOnlyList<string> ids, CancellationToken ct)
    {
        var leads = new Dictionary<string, StoredLead>(ids.Count, StringComparer.Ordinal);
        foreach (var part in ids.Chunk(MaxIdsPerStatement))
        {
            var list = await Sql.ListAsync(c, tx, LeadsSql(part.Length) + (tx is null ? "" : Dialect.LockRows), ReadLead, ct,
                [("m", model), .. part.Select((id, i) => ($"l{i}", (object?)id))]);
            foreach (var lead in list) leads[lead.Id] = lead;
        }
        return leads;
    }

    /// <summary>Stores a request's events, each unless its lead already has one with its id (stored before, or earlier
    /// in this request), and says for each, in the order given, what happened: as <see cref="InsertEventAsync"/> does
    /// for one event. The leads must be locked (<see cref="EnsureLeadsAsync"/>).</summary>
    public async Task<EventInsert[]> InsertEventsAsync(DbConnection c, DbTransaction tx, string model, IReadOnlyList<(string LeadId, StoredEvent Event)> events,
        DateTime now, CancellationToken ct)
    {
        var outcome = new EventInsert[events.Count];
        if (!Dialect.IsPostgres)
        {
            for (var i = 0; i < events.Count; i++) outcome[i] = await InsertEventAsync(c, tx, model, events[i].LeadId, events[i].Event, now, ct);
            return outcome;
        }
        if (events.Count == 0) return outcome;
        var inserted = await Sql.ListAsync(c, tx, InsertEventsSql, r => (r.GetString(0), r.GetString(1)), ct, ("m", model), ("r", Sql.Ms(now)),
            ("l", events.Select(e => e.LeadId).ToArray()), ("e", events.Select(e => e.Event.EventId).ToArray()),
            ("ts", events.Select(e => Sql.Ms(e.Event.Timestamp)).ToArray()), ("t", events.Select(e => e.Event.Type).ToArray()),
            ("d", events.Select(e => e.Event.Detail).ToArray()));
        // Each pair returned is the first event of the request with that lead and id (later ones conflicted with it).
        var added = inserted.ToHashSet();
        var rest = new List<int>();
        for (var i = 0; i < events.Count; i++)
        {
            if (added.Remove((events[i].LeadId, events[i].Event.EventId))) outcome[i] = EventInsert.Added;
            else rest.Add(i);
        }
        if (rest.Count == 0) return outcome;
        var stored = (await Sql.ListAsync(c, tx, StoredEventsSql, r => (Key: (r.GetString(0), r.GetString(1)), Ts: Sql.Long(r, 2), Type: r.GetString(3), Detail: Sql.NullableString(r, 4)), ct,
            ("m", model), ("l", rest.Select(i => events[i].LeadId).ToArray()), ("e", rest.Select(i => events[i].Event.EventId).ToArray())))
            .DistinctBy(s => s.Key).ToDictionary(s => s.Key, s => (s.Ts, s.Type, s.Detail));
        foreach (var i in rest)
        {
            var e = events[i].Event;
            outcome[i] = stored.TryGetValue((events[i].LeadId, e.EventId), out var s) && s.Ts == Sql.Ms(e.Timestamp) && s.Type == e.Type && s.Detail == e.Detail
                ? EventInsert.Duplicate : EventInsert.Conflict;
        }
        return outcome;
    }

    /// <summary>The statement that moves claimed leads' next rescoring time to the end of a claim (parameters <c>@l0</c>…).</summary>
    internal static string PostponeSql(int leads) => $"UPDATE leads SET next_rescore_at = @until WHERE model = @m AND id IN ({Placeholders("l", leads)})";

    /// <summary>Claims due leads for a rescoring done outside this transaction: the leads <see cref="ClaimDueAsync"/>
    /// finds get <paramref name="until"/> as their next rescoring time, so that no instance claims them again before
    /// then (nor after a crash, until then); returned as they are now stored.</summary>
    public async Task<List<StoredLead>> LeaseDueAsync(DbConnection c, DbTransaction tx, string model, DateTime now, DateTime until, int limit, CancellationToken ct)
    {
        var leads = await ClaimDueAsync(c, tx, model, now, limit, ct);
        if (leads.Count == 0) return leads;
        await Sql.ExecAsync(c, tx, PostponeSql(leads.Count), ct, [("m", model), ("until", Sql.Ms(until)), .. leads.Select((l, i) => ($"l{i}", (object?)l.Id))]);
        var stored = Sql.Time(Sql.Ms(until));
        return [.. leads.Select(l => l with { NextRescoreAt = stored })];
    }
}
