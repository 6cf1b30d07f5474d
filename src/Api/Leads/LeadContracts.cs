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

/// <summary>One event. <see cref="EventId"/> makes ingestion idempotent: an id the lead already has is a duplicate.</summary>
public sealed record LeadEventRequest
{
    /// <summary>The lead (bulk <c>POST /events</c> only; the path names it otherwise).</summary>
    public string? LeadId { get; init; }
    public string? EventId { get; init; }
    public string? Type { get; init; }
    public string? Detail { get; init; }
    public DateTimeOffset? Timestamp { get; init; }
}

/// <summary>
/// Events of one lead (<c>POST /leads/{id}/events</c>): either one event in the body's own fields, or several in
/// <see cref="Events"/>.
/// </summary>
public sealed record LeadEventsRequest
{
    public string? Model { get; init; }
    /// <summary>The lead, optional: when sent, it must be the one the path names.</summary>
    public string? LeadId { get; init; }
    public string? EventId { get; init; }
    public string? Type { get; init; }
    public string? Detail { get; init; }
    public DateTimeOffset? Timestamp { get; init; }
    public List<LeadEventRequest>? Events { get; init; }
}

/// <summary>Events of many leads (<c>POST /events</c>), each naming its lead.</summary>
public sealed record BulkEventsRequest
{
    public string? Model { get; init; }
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
public sealed record LeadScoreSummary(string LeadId, double Score, string Grade, bool SalesReady, string? Alert);

/// <summary>A stored lead: what is stored, and its score computed now with the explanation.</summary>
public sealed record LeadResponse(string LeadId, string Model, DateTimeOffset CreatedAt, DateTimeOffset? ConvertedAt,
    IReadOnlyDictionary<string, string?> Attributes, int EventCount, DateTimeOffset? LastEventAt, StoredScore Stored, ScoreResponse Current);

/// <summary>The latest stored score. <see cref="SalesReady"/> is the alert state, with hysteresis.</summary>
public sealed record StoredScore(double? Score, string? Grade, bool SalesReady, DateTimeOffset? ScoredAt, string? ModelVersion, string? RuleSetVersion,
    DateTimeOffset? NextRescoreAt);

/// <summary>Every score change of a lead, oldest first.</summary>
public sealed record LeadHistoryResponse(string LeadId, string Model, IReadOnlyList<ScoreChange> Changes);
