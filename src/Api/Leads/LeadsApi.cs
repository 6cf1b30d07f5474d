using LeadML.Api.Alerts;
using LeadML.Api.Hosting;
using LeadML.Api.Scoring;
using LeadML.Api.Store;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace LeadML.Api.Leads;

/// <summary>
/// Stored leads: <c>PUT /leads/{id}</c>, <c>POST /leads/{id}/events</c>, bulk <c>POST /events</c>,
/// <c>GET /leads/{id}</c>, <c>GET /leads/{id}/history</c>, <c>DELETE /leads/{id}</c> (admin key). Mapped only
/// when a store is configured.
/// </summary>
public static class LeadsApi
{
    private const int MaxIdLength = 256;

    /// <summary>How far past the server's clock a stored event's time may be: a client's clock may run a little ahead,
    /// but an event further in the future has not happened and would score the lead for it ahead of time.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    public static RouteGroupBuilder MapLeadsApi(this IEndpointRouteBuilder app)
    {
        var leads = app.MapGroup("").WithTags("Leads").RequireKey(KeyRole.Scoring);
        if (!app.HasLeadStore()) return leads;
        leads.MapPut("/leads/{id}", Put).WithSummary("Create or update a lead's attributes and dates; scores it");
        leads.MapPost("/leads/{id}/events", PostLeadEvents)
            .WithSummary("Add events of one lead (idempotent by event id); rescores it in the same transaction")
            .WithProblem(StatusCodes.Status409Conflict, EventConflictException.When);
        leads.MapGet("/leads/{id}", Get).WithSummary("A stored lead with its score computed now and explained").WithProblem(StatusCodes.Status404NotFound, "the model is not configured, or has no lead with this id");
        leads.MapGet("/leads/{id}/history", History).WithSummary("Every score change of a lead, with its reason and versions").WithProblem(StatusCodes.Status404NotFound, "the model is not configured, or has no lead with this id");
        leads.MapDelete("/leads/{id}", Delete).RequireKey(KeyRole.Admin).WithSummary("Erase a lead with its events, score history and alerts").WithProblem(StatusCodes.Status404NotFound, "the model is not configured, or has no lead with this id");
        leads.MapPost("/events", PostEvents).WithSummary("Add events of many leads in one transaction (idempotent by event id)")
            .WithProblem(StatusCodes.Status409Conflict, EventConflictException.When);
        return leads;
    }

    private static async Task<Results<Ok<LeadScoreSummary>, ValidationProblem>> Put(string id, LeadRequest request, LeadStore store, LeadRescorer rescorer,
        ModelRegistry registry, AlertSignal signal, TimeProvider clock, string? model = null, CancellationToken ct = default)
    {
        if (CheckId(id, "$.leadId") is { } invalid) return invalid;
        var scoring = registry.Get(request.Model ?? model);
        var now = clock.GetUtcNow().UtcDateTime;
        var parsed = new LeadInput { Attributes = request.Attributes ?? [], CreatedAt = request.CreatedAt?.UtcDateTime ?? now, AsOf = now };
        if (LeadReader.Problem(parsed) is { } problem) return Problems.Invalid("$" + problem.Field, problem.Message);
        var converted = request.ConvertedAt?.UtcDateTime;
        if (converted < parsed.CreatedAt) return Problems.Invalid("$.convertedAt", "is before createdAt");
        var r = await store.WriteAsync(async (c, tx) =>
        {
            var lead = await store.UpsertLeadAsync(c, tx, scoring.Name, id, parsed.Attributes, parsed.CreatedAt, converted, now, ct);
            return await rescorer.RescoreAsync(c, tx, lead, scoring, now, ScoreReasons.Attributes, null, ct);
        }, ct);
        signal.Raised([r.Alert]);
        return TypedResults.Ok(Summary(r));
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
        var response = await store.WriteAsync(async (c, tx) =>
        {
            int accepted = 0, duplicate = 0;
            var summaries = new List<LeadScoreSummary>();
            foreach (var group in byLead)
            {
                var first = group.Min(e => e.Event.Timestamp);
                var lead = await store.EnsureLeadAsync(c, tx, scoring.Name, group.Key, first < now ? first : now, now, ct);
                var added = 0;
                var fresh = new List<StoredEvent>();
                var latest = DateTime.MinValue;
                foreach (var (_, e, at) in group)
                {
                    switch (await store.InsertEventAsync(c, tx, scoring.Name, group.Key, e, now, ct))
                    {
                        case EventInsert.Added:
                            added++;
                            fresh.Add(e);
                            if (e.Timestamp > latest) latest = e.Timestamp;
                            break;
                        case EventInsert.Conflict:
                            throw new EventConflictException($"{at}.eventId",
                                $"event '{e.EventId}' of lead '{group.Key}' is already stored with another type, timestamp or detail; an event id names one event, so send a new id for a new event");
                    }
                }
                accepted += added;
                duplicate += group.Count() - added;
                if (added == 0) continue;
                lead = lead with { EventCount = lead.EventCount + added, LastEventAt = lead.LastEventAt > latest ? lead.LastEventAt : latest };
                var r = await rescorer.RescoreAsync(c, tx, lead, scoring, now, ScoreReasons.Event, null, ct, fresh);
                summaries.Add(Summary(r));
            }
            return new EventsResponse(accepted, duplicate, summaries, Warn(events, scoring));
        }, ct);
        signal.Raised(response.Leads.Select(l => l.Alert));
        return TypedResults.Ok(response);
    }

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
        return TypedResults.Ok(new LeadHistoryResponse(id, scoring.Name, await store.HistoryAsync(scoring.Name, id, ct)));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(string id, LeadStore store, ModelRegistry registry, string? model = null,
        CancellationToken ct = default)
    {
        var scoring = registry.Get(model);
        return await store.DeleteLeadAsync(scoring.Name, id, ct) ? TypedResults.NoContent() : NotFound(scoring.Name, id);
    }

    private static LeadScoreSummary Summary(Rescored r) => new(r.Lead.Id, r.Score.Score, r.Score.Grade, r.Lead.SalesReady, r.Alert);

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
