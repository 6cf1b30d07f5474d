using System.Text.Json.Serialization;

namespace LeadML.Api.Scoring;

/// <summary>One lead to score: its attributes, optionally its recent events, and the time to score it at.</summary>
public sealed record ScoreRequest
{
    /// <summary>Scoring model by name; the configured default when omitted.</summary>
    /// <example>sample</example>
    public string? Model { get; init; }
    /// <summary>Your id for the lead, echoed back.</summary>
    /// <example>L000123</example>
    public string? LeadId { get; init; }
    /// <summary>Attribute values by column name: strings, numbers, booleans or null.</summary>
    /// <example>{"industry":"Software","job_title":"CEO","company_size":250,"country":"Germany","budget_known":"yes"}</example>
    [JsonConverter(typeof(AttributeTextConverter))]
    public Dictionary<string, string?>? Attributes { get; init; }
    /// <summary>The lead's activity. Events at or after <c>asOf</c> are ignored (point in time).</summary>
    /// <example>[{"type":"page_view","detail":"/pricing","timestamp":"2025-11-20T10:00:00Z"},{"type":"quote_request","timestamp":"2025-11-28T09:30:00Z"}]</example>
    public List<EventInput>? Events { get; init; }
    /// <summary>When the lead was created; defaults to <c>asOf</c> (a new lead).</summary>
    /// <example>2025-09-01T00:00:00Z</example>
    public DateTimeOffset? CreatedAt { get; init; }
    /// <summary>The time to score at; defaults to now.</summary>
    /// <example>2025-12-01T00:00:00Z</example>
    public DateTimeOffset? AsOf { get; init; }
}
