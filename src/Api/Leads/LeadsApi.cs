using LeadML.Api.Alerts;
using LeadML.Api.Hosting;
using LeadML.Api.Scoring;
using LeadML.Api.Store;
using Microsoft.AspNetCore.Http.HttpResults;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace LeadML.Api.Leads;

/// <summary>
/// Stored leads: <c>PUT /leads/{id}</c>, <c>POST /leads/{id}/events</c>, bulk <c>POST /events</c>,
/// <c>GET /leads/{id}</c>, <c>GET /leads/{id}/history</c>, <c>DELETE /leads/{id}</c> (admin key), the as-of rescoring
/// <c>POST /admin/models/{name}/rescore</c> (admin key, <see cref="AsOfRescoring"/>). Mapped only
/// when a store is configured.
/// </summary>
public static class LeadsApi
{
    private const int MaxIdLength = 256;

    /// <summary>The media type of a JSON merge patch (RFC 7396).</summary>
    public const string MergePatch = "application/merge-patch+json";

    /// <summary>How far past the server's clock a stored event's time may be: a client's clock may run a little ahead,
    /// but an event further in the future has not happened and would score the lead for it ahead of time.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    public static RouteGroupBuilder MapLeadsApi(this IEndpointRouteBuilder app)
    {
        var leads = app.MapGroup("").WithTags("Leads").RequireKey(KeyRole.Scoring);
        if (!app.HasLeadStore()) return leads;
        leads.MapPut("/leads/{id}", Put).WithSummary("Create or update a lead's attributes and dates; scores it");
        leads.MapPatch("/leads/{id}", Patch)
            .Accepts<LeadPatch>(MergePatch, "application/json")
            .WithSummary("Change a stored lead by a JSON merge patch: set, change or remove (null) single attributes, change its dates; rescores it")
            .ProducesProblem(StatusCodes.Status404NotFound);
        leads.MapPost("/leads/bulk", PostBulk)
            .WithSummary("Create or replace many leads (at most LeadML:BulkLeadLimit): each answered on its own, the valid ones stored in one transaction");
        leads.MapPost("/leads/{id}/events", PostLeadEvents)
            .WithSummary("Add events of one lead (idempotent by event id); rescores it in the same transaction")
            .WithProblem(StatusCodes.Status409Conflict, EventConflictException.When);
        leads.MapGet("/leads/{id}", Get).WithSummary("A stored lead with its score computed now and explained").WithProblem(StatusCodes.Status404NotFound, "the model is not configured, or has no lead with this id");
        leads.MapGet("/leads/{id}/history", History).WithSummary("Every score change of a lead, with its reason and versions").WithProblem(StatusCodes.Status404NotFound, "the model is not configured, or has no lead with this id");
        leads.MapDelete("/leads/{id}", Delete).RequireKey(KeyRole.Admin).WithSummary("Erase a lead with its events, score history and alerts").WithProblem(StatusCodes.Status404NotFound, "the model is not configured, or has no lead with this id");
        leads.MapPost("/admin/models/{name}/rescore", AsOfRescoring.Post).RequireKey(KeyRole.Admin)
            .WithSummary("Rescore a model's stored leads as of a later time, as the rescoring round at that time would (history and alerts included): see decay without waiting")
            .WithProblem(StatusCodes.Status404NotFound, "the model is not configured");
        leads.MapPost("/events", PostEvents).WithSummary("Add events of many leads in one transaction (idempotent by event id)")
            .WithProblem(StatusCodes.Status409Conflict, EventConflictException.When);
        return leads;
    }

    /// <summary>Replaces a lead: a PUT is the lead's whole state, so its attributes are required (a body that forgot them
    /// must not erase the stored ones); a creation time not sent keeps the stored one.</summary>
    private static async Task<Results<Ok<LeadScoreSummary>, ValidationProblem>> Put(string id, LeadRequest request, LeadStore store, LeadRescorer rescorer,
        ModelRegistry registry, AlertSignal signal, TimeProvider clock, string? model = null, CancellationToken ct = default)
    {
        if (CheckId(id, "$.leadId") is { } invalid) return invalid;
        if (request.Attributes is null)
        {
            return Problems.Invalid("$.attributes",
                $"is required: PUT replaces the lead, so send all its attributes ({{}} for none); to change some of them, use PATCH /leads/{id}");
        }
        var scoring = registry.Get(request.Model ?? model);
        var now = clock.GetUtcNow().UtcDateTime;
        if (Unusable(request.Attributes, request.CreatedAt, now) is { } problem) return problem;
        var (done, refused) = await store.WriteAsync<(Rescored?, ValidationProblem?)>(async (c, tx) =>
        {
            var stored = await store.GetLeadAsync(c, tx, scoring.Name, id, ct);
            var created = request.CreatedAt?.UtcDateTime ?? stored?.CreatedAt ?? now;
            var converted = request.ConvertedAt?.UtcDateTime ?? stored?.ConvertedAt;
            if (converted < created) return (null, Problems.Invalid(request.ConvertedAt is null ? "$.createdAt" : "$.convertedAt", ConvertedBeforeCreated(created, converted.Value)));
            return (await ReplaceAsync(c, tx, store, rescorer, scoring, stored, id, request.Attributes, created, request.ConvertedAt?.UtcDateTime, now, ct), null);
        }, ct);
        if (done is null) return refused!;
        signal.Raised([done.Alert]);
        return TypedResults.Ok(Summary(done));
    }

    /// <summary>Changes a stored lead by a JSON merge patch (RFC 7396) and scores it, as a <c>PUT</c> does: the lead is read
    /// and written in one transaction (locked on PostgreSQL), so concurrent patches of other attributes both apply.</summary>
    private static async Task<Results<Ok<LeadScoreSummary>, ProblemHttpResult, ValidationProblem>> Patch(string id, LeadPatch patch, LeadStore store,
        LeadRescorer rescorer, ModelRegistry registry, AlertSignal signal, TimeProvider clock, string? model = null, CancellationToken ct = default)
    {
        if (CheckId(id, "$.leadId") is { } invalid) return invalid;
        if (patch.AttributesSent && patch.Attributes is null)
        {
            return Problems.Invalid("$.attributes",
                "cannot be null: remove single attributes by sending them as null ({\"attributes\": {\"industry\": null}}), or replace them all with PUT");
        }
        if (patch.CreatedAtSent && patch.CreatedAt is null) return Problems.Invalid("$.createdAt", "cannot be removed: a lead always has a creation time");
        if (patch.ConvertedAtSent && patch.ConvertedAt is null)
        {
            return Problems.Invalid("$.convertedAt", $"cannot be removed here: undo a conversion with DELETE /leads/{id}/conversion (admin key)");
        }
        var scoring = registry.Get(patch.Model ?? model);
        var now = clock.GetUtcNow().UtcDateTime;
        if (Unusable(patch.Attributes ?? [], patch.CreatedAt, now) is { } problem) return problem;
        var (done, refused) = await store.WriteAsync<(Rescored?, IResult?)>(async (c, tx) =>
        {
            var stored = await store.GetLeadAsync(c, tx, scoring.Name, id, ct);
            if (stored is null) return (null, NotFound(scoring.Name, id));
            var attributes = new Dictionary<string, string?>(stored.Attributes, StringComparer.Ordinal);
            foreach (var (name, value) in patch.Attributes ?? [])
            {
                if (value is null) attributes.Remove(name);
                else attributes[name] = value;
            }
            var created = patch.CreatedAt?.UtcDateTime ?? stored.CreatedAt;
            if ((patch.ConvertedAt?.UtcDateTime ?? stored.ConvertedAt) is { } converted && converted < created)
            {
                return (null, Problems.Invalid(patch.ConvertedAt is null ? "$.createdAt" : "$.convertedAt", ConvertedBeforeCreated(created, converted)));
            }
            return (await ReplaceAsync(c, tx, store, rescorer, scoring, stored, id, attributes, created, patch.ConvertedAt?.UtcDateTime, now, ct), null);
        }, ct);
        if (done is null) return refused is ProblemHttpResult notFound ? notFound : (ValidationProblem)refused!;
        signal.Raised([done.Alert]);
        return TypedResults.Ok(Summary(done));
    }

    /// <summary>A lead of a bulk request that can be stored: where it was sent, and what it holds.</summary>
    private sealed record BulkItem(int Index, string LeadId, BulkLead Lead);

    /// <summary>Creates or replaces many leads. Each item is read and checked on its own: one that cannot be used is
    /// answered with its path and message, and the valid ones are stored and scored in one transaction (leads locked in
    /// id order), so an answer names exactly what was stored. An item equal to the stored lead is not written again.
    /// The request's leads are read in one statement, their events in one, and the changed ones written set-wise
    /// (<see cref="LeadStore.UpsertLeadsAsync"/>, <see cref="LeadRescorer.WriteManyAsync"/>), each scored as
    /// <c>PUT /leads/{id}</c> scores it.</summary>
    private static async Task<Results<Ok<BulkLeadsResponse>, ValidationProblem>> PostBulk(BulkLeadsRequest request, LeadStore store, LeadRescorer rescorer,
        ModelRegistry registry, AlertSignal signal, IOptions<LeadMlOptions> options, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json,
        TimeProvider clock, string? model = null, CancellationToken ct = default)
    {
        if (request.Leads is not { } leads) return Problems.Invalid("$.leads", "is required: an array of leads, each { leadId, attributes, createdAt?, convertedAt? }");
        var limit = options.Value.BulkLeadLimit;
        if (leads.Count > limit) return Problems.Invalid("$.leads", $"holds {leads.Count:N0} leads; the limit is {limit:N0} per request (LeadML:BulkLeadLimit)");
        var scoring = registry.Get(request.Model ?? model);
        var now = clock.GetUtcNow().UtcDateTime;
        var results = new BulkLeadResult?[leads.Count];
        var valid = new List<BulkItem>(leads.Count);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < leads.Count; i++)
        {
            var at = $"$.leads[{i}]";
            var (item, path, message) = ReadBulkItem(leads[i], json.Value.SerializerOptions, at, now);
            if (item is not null && seen.TryGetValue(item.LeadId!, out var first))
            {
                (path, message) = ($"{at}.leadId", $"'{item.LeadId}' is already sent at $.leads[{first}]; send each lead once");
                item = null;
            }
            if (item is null)
            {
                results[i] = new BulkLeadResult(leads[i].ValueKind == JsonValueKind.Object && leads[i].TryGetProperty("leadId", out var id)
                    && id.ValueKind == JsonValueKind.String ? id.GetString() : null, "invalid", Path: path, Message: message);
                continue;
            }
            seen[item.LeadId!] = i;
            valid.Add(new BulkItem(i, item.LeadId!, item));
        }
        var alerts = await store.WriteAsync(async (c, tx) =>
        {
            var ordered = valid.OrderBy(v => v.LeadId, StringComparer.Ordinal).ToList();
            var stored = await store.LockLeadsAsync(c, tx, scoring.Name, [.. ordered.Select(v => v.LeadId)], ct);
            var writes = new List<(BulkItem Item, StoredLead? Stored, DateTime Created)>(ordered.Count);
            foreach (var item in ordered)
            {
                var (index, id, lead) = item;
                var before = stored.GetValueOrDefault(id);
                var created = lead.CreatedAt?.UtcDateTime ?? before?.CreatedAt ?? now;
                if ((lead.ConvertedAt?.UtcDateTime ?? before?.ConvertedAt) is { } converted && converted < created)
                {
                    results[index] = new BulkLeadResult(id, "invalid", Path: $"$.leads[{index}].{(lead.ConvertedAt is null ? "createdAt" : "convertedAt")}",
                        Message: ConvertedBeforeCreated(created, converted));
                    continue;
                }
                if (before is not null && Same(before, lead, created))
                {
                    results[index] = new BulkLeadResult(id, "unchanged", before.Score, before.Grade, before.SalesReady);
                    continue;
                }
                writes.Add((item, before, created));
            }
            var upserted = await store.UpsertLeadsAsync(c, tx, scoring.Name,
                [.. writes.Select(w => new LeadUpsert(w.Item.LeadId, w.Item.Lead.Attributes!, w.Created, w.Item.Lead.ConvertedAt?.UtcDateTime))], now, ct);
            var events = await store.EventsOfAsync(c, tx, scoring.Name, [.. writes.Select(w => w.Item.LeadId)], ct);
            var plans = writes.Select(w => rescorer.Plan(upserted[w.Item.LeadId], scoring, events[w.Item.LeadId], now)).ToList();
            var done = await rescorer.WriteManyAsync(c, tx, plans, scoring, ScoreReasons.Attributes, null, ct,
                [.. writes.Select(w => (ScoreCause?)ScoreCause.Of(w.Stored, w.Item.Lead.Attributes!, w.Created))]);
            for (var i = 0; i < writes.Count; i++)
            {
                var ((index, id, _), before, _) = writes[i];
                var r = done[i];
                results[index] = new BulkLeadResult(id, before is null ? "created" : "updated", r.Score.Score, r.Score.Grade, r.Lead.SalesReady, r.Alert);
            }
            return done.Select(r => r.Alert).ToList();
        }, ct);
        signal.Raised(alerts);
        var all = results.Select(r => r!).ToList();
        return TypedResults.Ok(new BulkLeadsResponse(all.Count(r => r.Status == "created"), all.Count(r => r.Status == "updated"),
            all.Count(r => r.Status == "unchanged"), all.Count(r => r.Status == "invalid"), all));
    }

    /// <summary>One lead of a bulk request read on its own, as <c>PUT /leads/{id}</c> reads its body; or the path and
    /// message of why it cannot be used.</summary>
    private static (BulkLead? Lead, string? Path, string? Message) ReadBulkItem(JsonElement element, JsonSerializerOptions options, string at, DateTime now)
    {
        if (element.ValueKind != JsonValueKind.Object) return (null, at, "must be a JSON object: { leadId, attributes, createdAt?, convertedAt? }");
        BulkLead lead;
        try
        {
            lead = element.Deserialize<BulkLead>(options)!;
        }
        catch (JsonException e)
        {
            var (path, message) = Problems.Explain(e, typeof(BulkLead), options, at);
            return (null, path, message);
        }
        if (string.IsNullOrWhiteSpace(lead.LeadId)) return (null, $"{at}.leadId", "is required");
        if (lead.LeadId.Length > MaxIdLength) return (null, $"{at}.leadId", $"is longer than {MaxIdLength} characters");
        if (lead.Attributes is null) return (null, $"{at}.attributes", "is required: all the lead's attributes ({} for none), as PUT /leads/{id} takes them");
        if (Unusable(lead.Attributes, lead.CreatedAt, now, at) is { } problem)
        {
            var (path, messages) = problem.ProblemDetails.Errors.First();
            return (null, path, messages[0]);
        }
        return (lead, null, null);
    }

    /// <summary>Whether storing <paramref name="lead"/> would change nothing of <paramref name="stored"/>.</summary>
    private static bool Same(StoredLead stored, BulkLead lead, DateTime created) =>
        Sql.Ms(stored.CreatedAt) == Sql.Ms(created)
        && (lead.ConvertedAt is not { } converted || (stored.ConvertedAt is { } s && Sql.Ms(s) == Sql.Ms(converted.UtcDateTime)))
        && stored.Attributes.Count == lead.Attributes!.Count
        && lead.Attributes.All(a => stored.Attributes.TryGetValue(a.Key, out var v) && v == a.Value);

    /// <summary>Why attributes or a creation time cannot be stored (an attribute value that is an object or an array, a
    /// creation time in the future), or null.</summary>
    private static ValidationProblem? Unusable(IReadOnlyDictionary<string, string?> attributes, DateTimeOffset? createdAt, DateTime now, string at = "$")
    {
        var parsed = new LeadInput { Attributes = attributes, CreatedAt = createdAt?.UtcDateTime ?? now, AsOf = now };
        if (LeadReader.Problem(parsed) is not { } problem) return null;
        return problem.Field == ".createdAt"
            ? Problems.Invalid($"{at}.createdAt", $"is {createdAt:O}, in the future; a lead cannot be created after now")
            : Problems.Invalid(at + problem.Field, problem.Message);
    }

    private static string ConvertedBeforeCreated(DateTime created, DateTime converted) =>
        $"the lead would convert ({converted:O}) before it was created ({created:O}); a lead converts after its creation";

    /// <summary>Stores a lead's attributes and dates (a null <paramref name="convertedAt"/> keeps a recorded conversion)
    /// and scores it, in the caller's transaction; the history names the attributes that differ from
    /// <paramref name="stored"/> (null: a new lead).</summary>
    private static async Task<Rescored> ReplaceAsync(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction tx, LeadStore store, LeadRescorer rescorer,
        ScoringModel scoring, StoredLead? stored, string id, IReadOnlyDictionary<string, string?> attributes, DateTime createdAt, DateTime? convertedAt, DateTime now,
        CancellationToken ct)
    {
        var lead = await store.UpsertLeadAsync(c, tx, scoring.Name, id, attributes, createdAt, convertedAt, now, ct);
        return await rescorer.RescoreAsync(c, tx, lead, scoring, now, ScoreReasons.Attributes, null, ct, cause: ScoreCause.Of(stored, attributes, createdAt));
    }

    private static async Task<Results<Ok<EventsResponse>, ValidationProblem>> PostLeadEvents(string id, LeadEventsRequest request, LeadStore store,
        LeadRescorer rescorer, ModelRegistry registry, AlertSignal signal, IOptions<LeadMlOptions> options, TimeProvider clock, string? model = null,
        CancellationToken ct = default)
    {
        if (CheckId(id, "$.leadId") is { } invalid) return invalid;
        if (request.Events is not null && SingleEventField(request) is { } single)
        {
            return Problems.Invalid(single, "cannot be sent with 'events': send one event in the body's own fields or several in 'events', not both");
        }
        var events = request.Events is not null
            ? request.Events
            : [new LeadEventRequest { LeadId = request.LeadId, EventId = request.EventId, Type = request.Type, Detail = request.Detail, Timestamp = request.Timestamp }];
        var path = request.Events is not null ? "$.events" : null;
        var parsed = new List<ParsedEvent>(events.Count);
        for (var i = 0; i < events.Count; i++)
        {
            var at = path is null ? "$" : $"{path}[{i}]";
            var e = events[i];
            if (e is null) return Problems.Invalid(at, "must be an object");
            if (e.LeadId is not null && e.LeadId != id) return Problems.Invalid($"{at}.leadId", $"is '{e.LeadId}' but the path names lead '{id}'");
            if (Add(e, at, id, clock, parsed) is { } unusable) return unusable;
        }
        return await IngestAsync(parsed, request.Model ?? model, store, rescorer, registry, signal, options.Value, clock, ct);
    }

    private static async Task<Results<Ok<EventsResponse>, ValidationProblem>> PostEvents(BulkEventsRequest request, LeadStore store, LeadRescorer rescorer,
        ModelRegistry registry, AlertSignal signal, IOptions<LeadMlOptions> options, TimeProvider clock, string? model = null, CancellationToken ct = default)
    {
        if (request.Events is not { } events) return Problems.Invalid("$.events", "is required");
        var parsed = new List<ParsedEvent>(events.Count);
        for (var i = 0; i < events.Count; i++)
        {
            var at = $"$.events[{i}]";
            var e = events[i];
            if (e is null) return Problems.Invalid(at, "must be an object");
            if (string.IsNullOrWhiteSpace(e.LeadId)) return Problems.Invalid($"{at}.leadId", "is required");
            if (CheckId(e.LeadId, $"{at}.leadId") is { } invalid) return invalid;
            if (Add(e, at, e.LeadId, clock, parsed) is { } unusable) return unusable;
        }
        return await IngestAsync(parsed, request.Model ?? model, store, rescorer, registry, signal, options.Value, clock, ct);
    }

    /// <summary>The path of the first single-event field set in a body, or null when it sets none.</summary>
    private static string? SingleEventField(LeadEventsRequest r) =>
        r.EventId is not null ? "$.eventId" : r.Type is not null ? "$.type" : r.Timestamp is not null ? "$.timestamp" : r.Detail is not null ? "$.detail" : null;

    /// <summary>An event to store, with the JSON path it was read at.</summary>
    private sealed record ParsedEvent(string LeadId, StoredEvent Event, string Path);

    /// <summary>Adds the event at <paramref name="at"/> to <paramref name="parsed"/>, or answers why it cannot be used.</summary>
    private static ValidationProblem? Add(LeadEventRequest e, string at, string leadId, TimeProvider clock, List<ParsedEvent> parsed)
    {
        if (string.IsNullOrWhiteSpace(e.EventId)) return Problems.Invalid($"{at}.eventId", "is required (it makes a resent event a duplicate)");
        if (e.EventId.Length > MaxIdLength) return Problems.Invalid($"{at}.eventId", $"is longer than {MaxIdLength} characters");
        if (string.IsNullOrWhiteSpace(e.Type)) return Problems.Invalid($"{at}.type", "is required");
        if (e.Timestamp is null) return Problems.Invalid($"{at}.timestamp", "is required");
        if (e.Timestamp.Value - clock.GetUtcNow() > MaxClockSkew)
        {
            return Problems.Invalid($"{at}.timestamp", $"is in the future; an event may be at most {MaxClockSkew.TotalMinutes:0} minutes ahead of the server's clock");
        }
        var sent = LeadEventInput.Sent(e.Timestamp.Value.UtcDateTime, e.Type, e.Detail);
        parsed.Add(new ParsedEvent(leadId, new StoredEvent(e.EventId, sent.Timestamp, sent.Type, sent.Detail), at));
        return null;
    }

    /// <summary>Stores the events of every lead and rescores each lead that got new ones, all in one transaction
    /// (leads locked in id order, so concurrent requests cannot deadlock); the answer is sent after the commit, so
    /// an acknowledged event is stored. An event id the lead already has with other content refuses the whole request
    /// (<see cref="EventConflictException"/>, 409): the transaction rolls back, so nothing of it is stored.</summary>
    private static async Task<Results<Ok<EventsResponse>, ValidationProblem>> IngestAsync(List<ParsedEvent> events, string? model,
        LeadStore store, LeadRescorer rescorer, ModelRegistry registry, AlertSignal signal, LeadMlOptions options, TimeProvider clock, CancellationToken ct)
    {
        if (events.Count > options.BatchLimit)
        {
            return Problems.Invalid("$.events", $"holds {events.Count:N0} events; the limit is {options.BatchLimit:N0} per request");
        }
        var scoring = registry.Get(model);
        var byLead = events.GroupBy(e => e.LeadId, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        var now = clock.GetUtcNow().UtcDateTime;
        var ordered = byLead.SelectMany(g => g).ToList();
        var response = await store.WriteAsync(async (c, tx) =>
        {
            var leads = await store.EnsureLeadsAsync(c, tx, scoring.Name, [.. byLead.Select(g => (g.Key, Min(g.Min(e => e.Event.Timestamp), now)))], now, ct);
            var outcome = await store.InsertEventsAsync(c, tx, scoring.Name, [.. ordered.Select(e => (e.LeadId, e.Event))], now, ct);
            var fresh = new Dictionary<string, List<StoredEvent>>(StringComparer.Ordinal);
            for (var i = 0; i < ordered.Count; i++)
            {
                var (leadId, e, at) = ordered[i];
                if (outcome[i] == EventInsert.Conflict)
                {
                    throw new EventConflictException($"{at}.eventId",
                        $"event '{e.EventId}' of lead '{leadId}' is already stored with another type, timestamp or detail; an event id names one event, so send a new id for a new event");
                }
                if (outcome[i] == EventInsert.Added) (fresh.TryGetValue(leadId, out var list) ? list : fresh[leadId] = []).Add(e);
            }
            var stored = await store.EventsOfAsync(c, tx, scoring.Name, [.. fresh.Keys], ct);
            var summaries = new List<LeadScoreSummary>(fresh.Count);
            foreach (var group in byLead)
            {
                if (!fresh.TryGetValue(group.Key, out var added)) continue;
                var lead = leads[group.Key];
                var latest = added.Max(e => e.Timestamp);
                lead = lead with { EventCount = lead.EventCount + added.Count, LastEventAt = lead.LastEventAt > latest ? lead.LastEventAt : latest };
                var r = await rescorer.RescoreAsync(c, tx, lead, scoring, now, ScoreReasons.Event, null, ct, added, stored: stored[group.Key]);
                summaries.Add(Summary(r));
            }
            var accepted = fresh.Values.Sum(l => l.Count);
            return new EventsResponse(accepted, events.Count - accepted, summaries, Warn(events, scoring));
        }, ct);
        signal.Raised(response.Leads.Select(l => l.Alert));
        return TypedResults.Ok(response);
    }

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;

    /// <summary>The event types sent that the model has no channel for, in order, each once; null when there are none.</summary>
    private static EventWarnings? Warn(List<ParsedEvent> events, ScoringModel scoring)
    {
        var unknown = new SortedSet<string>(events.Select(e => e.Event.Type).Where(t => !scoring.EventTypes.Contains(t)), StringComparer.Ordinal);
        return unknown.Count == 0 ? null : new EventWarnings([.. unknown]);
    }

    private static async Task<Results<Ok<LeadResponse>, ProblemHttpResult>> Get(string id, LeadStore store, ModelRegistry registry,
        IOptions<LeadMlOptions> options, TimeProvider clock, string? model = null, bool explain = true, CancellationToken ct = default)
    {
        var scoring = registry.Get(model);
        await using var c = await store.OpenAsync(ct);
        var lead = await store.GetLeadAsync(c, null, scoring.Name, id, ct);
        if (lead is null) return NotFound(scoring.Name, id);
        var events = await store.EventsAsync(c, null, scoring.Name, id, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var o = options.Value;
        var current = LeadScorer.Score(scoring, LeadRescorer.Input(lead, events, now), new ScoreOptions(explain, false, o.BlendWeight, o.TopContributions));
        return TypedResults.Ok(new LeadResponse(lead.Id, lead.Model, Utc(lead.CreatedAt), Utc(lead.ConvertedAt), lead.Attributes, lead.EventCount,
            Utc(lead.LastEventAt), new StoredScore(lead.Score, lead.Grade, lead.SalesReady, Utc(lead.ScoredAt), lead.ModelVersion, lead.RuleSetVersion,
            Utc(lead.NextRescoreAt)), current));
    }

    private static async Task<Results<Ok<LeadHistoryResponse>, ProblemHttpResult>> History(string id, LeadStore store, ModelRegistry registry,
        string? model = null, CancellationToken ct = default)
    {
        var scoring = registry.Get(model);
        if (await store.GetLeadAsync(scoring.Name, id, ct) is null) return NotFound(scoring.Name, id);
        return TypedResults.Ok(new LeadHistoryResponse(id, scoring.Name, [.. (await store.HistoryAsync(scoring.Name, id, ct)).Select(LeadHistoryEntry.Of)]));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(string id, LeadStore store, ModelRegistry registry, string? model = null,
        CancellationToken ct = default)
    {
        var scoring = registry.Get(model);
        return await store.DeleteLeadAsync(scoring.Name, id, ct) ? TypedResults.NoContent() : NotFound(scoring.Name, id);
    }

    private static LeadScoreSummary Summary(Rescored r) => new(r.Lead.Id, r.Score.Score, r.Score.Grade, r.Lead.SalesReady, r.Alert, r.Score.KnockOuts);

    private static ProblemHttpResult NotFound(string model, string id) => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown lead",
        detail: $"model {model} has no lead '{id}'", extensions: new Dictionary<string, object?>
        {
            ["errors"] = new Dictionary<string, string[]> { ["$.leadId"] = [$"model {model} has no lead '{id}'"] },
        });

    private static ValidationProblem? CheckId(string id, string path) =>
        string.IsNullOrWhiteSpace(id) ? Problems.Invalid(path, "is required")
        : id.Length > MaxIdLength ? Problems.Invalid(path, $"is longer than {MaxIdLength} characters")
        : null;

    private static DateTimeOffset Utc(DateTime t) => new(t, TimeSpan.Zero);

    private static DateTimeOffset? Utc(DateTime? t) => t is { } v ? new DateTimeOffset(v, TimeSpan.Zero) : null;
}
