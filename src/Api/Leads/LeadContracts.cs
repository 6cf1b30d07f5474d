using System.Text.Json.Serialization;
using System.Text.Json;
using LeadML.Api.Scoring;
using LeadML.Api.Store;

namespace LeadML.Api.Leads;

/// <summary>A lead's attributes and dates (<c>PUT /leads/{id}</c>).</summary>
public sealed record LeadRequest
{
    /// <summary>Scoring model by name; the default when omitted.</summary>
    public string? Model { get; init; }
    /// <summary>Attribute values by column name: strings, numbers, booleans or null.</summary>
    [JsonConverter(typeof(LeadML.Api.Scoring.AttributeTextConverter))]
    public Dictionary<string, string?>? Attributes { get; init; }
    /// <summary>When the lead was created; now when omitted.</summary>
    public DateTimeOffset? CreatedAt { get; init; }
    /// <summary>When the lead converted; a converted lead is no longer rescored nor alerted on.</summary>
    public DateTimeOffset? ConvertedAt { get; init; }
}

/// <summary>
/// A change of a stored lead (<c>PATCH /leads/{id}</c>), a JSON merge patch (RFC 7396): what it sends is set, what it
/// leaves out is kept, and an attribute sent as null is removed. Sent as <c>application/merge-patch+json</c> or
/// <c>application/json</c>.
/// </summary>
public sealed record LeadPatch
{
    private readonly Dictionary<string, string?>? _attributes;
    private readonly DateTimeOffset? _createdAt;
    private readonly DateTimeOffset? _convertedAt;

    /// <summary>Scoring model by name; the default when omitted.</summary>
    public string? Model { get; init; }

    /// <summary>The attributes to set or change (strings, numbers, booleans) and to remove (null); the others stay.</summary>
    [JsonConverter(typeof(LeadML.Api.Scoring.AttributeTextConverter))]
    public Dictionary<string, string?>? Attributes { get => _attributes; init { _attributes = value; AttributesSent = true; } }

    /// <summary>A new creation time; it cannot be removed.</summary>
    public DateTimeOffset? CreatedAt { get => _createdAt; init { _createdAt = value; CreatedAtSent = true; } }

    /// <summary>When the lead converted; a conversion is undone with <c>DELETE /leads/{id}/conversion</c>, not here.</summary>
    public DateTimeOffset? ConvertedAt { get => _convertedAt; init { _convertedAt = value; ConvertedAtSent = true; } }

    // Whether the body named the property at all: a merge patch tells "null" (remove) from "left out" (keep).
    [JsonIgnore] public bool AttributesSent { get; private init; }
    [JsonIgnore] public bool CreatedAtSent { get; private init; }
    [JsonIgnore] public bool ConvertedAtSent { get; private init; }
}

/// <summary>Leads to create or replace in one request (<c>POST /leads/bulk</c>); each item is read and answered on its
/// own, so one bad item does not fail the others.</summary>
public sealed record BulkLeadsRequest
{
    /// <summary>Scoring model by name; the default when omitted.</summary>
    public string? Model { get; init; }
    /// <summary>The leads, each as <see cref="BulkLead"/>; at most <c>LeadML:BulkLeadLimit</c> (1,000 by default).</summary>
    public List<JsonElement>? Leads { get; init; }
}

/// <summary>One lead of <c>POST /leads/bulk</c>: what <c>PUT /leads/{id}</c> takes, with the lead's id.</summary>
public sealed record BulkLead
{
    public string? LeadId { get; init; }
    /// <summary>All the lead's attributes (required; <c>{}</c> for none).</summary>
    [JsonConverter(typeof(LeadML.Api.Scoring.AttributeTextConverter))]
    public Dictionary<string, string?>? Attributes { get; init; }
    /// <summary>When the lead was created; the stored time (now for a new lead) when omitted.</summary>
    public DateTimeOffset? CreatedAt { get; init; }
    /// <summary>When the lead converted; a recorded conversion is kept when omitted.</summary>
    public DateTimeOffset? ConvertedAt { get; init; }
}

/// <summary>What <c>POST /leads/bulk</c> did: how many leads were created, updated, left unchanged (the same as stored)
/// and refused, and one result per lead sent, in order.</summary>
public sealed record BulkLeadsResponse(int Created, int Updated, int Unchanged, int Invalid, IReadOnlyList<BulkLeadResult> Results);

/// <summary>The result of one lead of a bulk request.</summary>
/// <param name="Status"><c>created</c>, <c>updated</c>, <c>unchanged</c> (nothing differed: not written, not rescored)
/// or <c>invalid</c> (nothing of it stored; <see cref="Path"/> and <see cref="Message"/> say why).</param>
public sealed record BulkLeadResult(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? LeadId,
    string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Score = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Grade = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? SalesReady = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Alert = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Path = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Message = null);

/// <summary>One event. <see cref="EventId"/> makes ingestion idempotent: an id the lead already has is a duplicate.</summary>
public sealed record LeadEventRequest
{
    /// <summary>The lead (bulk <c>POST /events</c> only; the path names it otherwise).</summary>
    public string? LeadId { get; init; }
    /// <summary>Your id for the event, at most 256 characters: sent again with the same content it is a duplicate (not
    /// counted twice); with other content it is refused (409).</summary>
    public string? EventId { get; init; }
    /// <summary>The event type, e.g. <c>page_view</c>, <c>email_open</c>, <c>demo_request</c>; a type the model has no
    /// channel for is stored and listed in <c>warnings.unknownEventTypes</c>.</summary>
    public string? Type { get; init; }
    /// <summary>What the event was about, optional: a page path (<c>/pricing</c>), an email name.</summary>
    public string? Detail { get; init; }
    /// <summary>When it happened, with a time zone (<c>2025-11-20T10:00:00Z</c>); at most 5 minutes ahead of the
    /// server's clock.</summary>
    public DateTimeOffset? Timestamp { get; init; }
}

/// <summary>
/// Events of one lead (<c>POST /leads/{id}/events</c>): either one event in the body's own fields, or several in
/// <see cref="Events"/>.
/// </summary>
public sealed record LeadEventsRequest
{
    /// <summary>Scoring model by name; the default when omitted.</summary>
    public string? Model { get; init; }
    /// <summary>The lead, optional: when sent, it must be the one the path names.</summary>
    public string? LeadId { get; init; }
    /// <summary>One event in the body's own fields: its id (as in <c>events[]</c>); not together with <c>events</c>.</summary>
    public string? EventId { get; init; }
    /// <summary>One event in the body's own fields: its type.</summary>
    public string? Type { get; init; }
    /// <summary>One event in the body's own fields: its detail, optional.</summary>
    public string? Detail { get; init; }
    /// <summary>One event in the body's own fields: when it happened, with a time zone.</summary>
    public DateTimeOffset? Timestamp { get; init; }
    /// <summary>Several events of this lead, stored in one transaction.</summary>
    public List<LeadEventRequest>? Events { get; init; }
}

/// <summary>Events of many leads (<c>POST /events</c>), each naming its lead.</summary>
public sealed record BulkEventsRequest
{
    /// <summary>Scoring model by name; the default when omitted.</summary>
    public string? Model { get; init; }
    /// <summary>The events, each naming its lead (<c>leadId</c>); a lead not stored yet is created.</summary>
    public List<LeadEventRequest>? Events { get; init; }
}

/// <summary>What an ingestion stored: new events, duplicates (already stored: not counted again), the new score
/// of each lead that received new events, and what was odd (absent when nothing was).</summary>
public sealed record EventsResponse(int Accepted, int Duplicate, IReadOnlyList<LeadScoreSummary> Leads,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] EventWarnings? Warnings = null);

/// <summary>What was odd in the events sent; they were stored regardless.</summary>
/// <param name="UnknownEventTypes">Types the model has no channel for, as <c>/score</c> lists them: stored, and no
/// feature counts them.</param>
public sealed record EventWarnings(IReadOnlyList<string> UnknownEventTypes);

/// <param name="Alert">"sales-ready" or "gone-cold" when this change raised an alert.</param>
/// <param name="KnockOuts">The knock-outs that disqualify the lead (not sales-ready, the lowest grade); absent when none fired.</param>
public sealed record LeadScoreSummary(string LeadId, double Score, string Grade, bool SalesReady, string? Alert,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<LeadML.Api.Scoring.KnockOutDto>? KnockOuts = null);

/// <summary>A stored lead: what is stored, and its score computed now with the explanation.</summary>
public sealed record LeadResponse(string LeadId, string Model, DateTimeOffset CreatedAt, DateTimeOffset? ConvertedAt,
    IReadOnlyDictionary<string, string?> Attributes, int EventCount, DateTimeOffset? LastEventAt, StoredScore Stored, ScoreResponse Current);

/// <summary>The latest stored score. <see cref="SalesReady"/> is the alert state, with hysteresis.</summary>
public sealed record StoredScore(double? Score, string? Grade, bool SalesReady, DateTimeOffset? ScoredAt, string? ModelVersion, string? RuleSetVersion,
    DateTimeOffset? NextRescoreAt);

/// <summary>Every score change of a lead, oldest first.</summary>
public sealed record LeadHistoryResponse(string LeadId, string Model, IReadOnlyList<LeadHistoryEntry> Changes);

/// <summary>One score change of a lead: the new score and why it changed.</summary>
/// <param name="At">When the lead was scored (for reason <c>rescoring as of</c>: the time it was scored as of).</param>
/// <param name="Score">The new score, 0–100.</param>
/// <param name="PreviousScore">The score before; null for the lead's first score.</param>
/// <param name="Grade">The new grade.</param>
/// <param name="SalesReady">The alert state after the change (with hysteresis).</param>
/// <param name="ModelVersion">The model version that scored it.</param>
/// <param name="RuleSetVersion">The rule set that scored it: <c>v3</c>, or <c>suggested</c> (the bundle's own).</param>
/// <param name="Reason"><c>event</c>, <c>attributes</c>, <c>rescoring</c> (time passing), <c>rescoring as of</c> (an
/// administrator's test of time passing), <c>new rule set</c>, <c>new model</c>, <c>conversion</c> or <c>conversion undone</c>.</param>
/// <param name="Description">What changed, in words: "Requested a demo; Viewed /pricing", "Job title changed", "Rule set
/// v2 replaced the suggested points", "Time passed: scored again 7 days after its last score".</param>
/// <param name="Cause">What exactly caused it: the events, the attributes, the versions replaced, the conversion;
/// absent for changes recorded before causes were kept.</param>
public sealed record LeadHistoryEntry(DateTimeOffset At, double Score, double? PreviousScore, string Grade, bool SalesReady, string ModelVersion,
    string RuleSetVersion, string Reason, string Description, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ScoreCause? Cause)
{
    /// <summary>The entry for a stored change, with its description.</summary>
    public static LeadHistoryEntry Of(ScoreChange c) => new(new DateTimeOffset(c.At, TimeSpan.Zero), c.Score, c.PreviousScore, c.Grade, c.SalesReady,
        c.ModelVersion, c.RuleSetVersion, c.Reason, ScoreChangeText.Describe(c), c.Cause);
}

/// <summary>Rescore a model's stored leads as of a later time (<c>POST /admin/models/{name}/rescore</c>).</summary>
public sealed record AsOfRescoringRequest
{
    /// <summary>The time to score the leads as of, with a time zone (<c>2027-01-04T09:00:00Z</c>): now or later, at most
    /// 10 years ahead. Every lead whose next rescoring falls by then is scored as a rescoring round at that time would.</summary>
    public DateTimeOffset? AsOf { get; init; }
}

/// <summary>What an as-of rescoring did.</summary>
/// <param name="Model">The model whose leads were rescored.</param>
/// <param name="AsOf">The time they were scored as of.</param>
/// <param name="Rescored">Leads scored (those due for rescoring by then: not converted, active or sales-ready).</param>
/// <param name="Changed">Of them, leads whose score or grade changed (each got a history entry, reason <c>rescoring as of</c>).</param>
/// <param name="BecameSalesReady">Leads that became sales-ready.</param>
/// <param name="WentCold">Leads that stopped being sales-ready (fell below the threshold minus the hysteresis).</param>
/// <param name="Alerts">Alerts raised (sales-ready and gone-cold, delivered to the webhooks like any other).</param>
public sealed record AsOfRescoringResponse(string Model, DateTimeOffset AsOf, int Rescored, int Changed, int BecameSalesReady, int WentCold, int Alerts);
