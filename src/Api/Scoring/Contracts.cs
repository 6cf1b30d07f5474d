using System.Text.Json;
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

/// <summary>One activity of a lead.</summary>
public sealed record EventInput
{
    /// <summary>Event type, e.g. page_view, email_open, email_click, form_submit, quote_request, unsubscribe.</summary>
    /// <example>page_view</example>
    public string? Type { get; init; }
    /// <summary>Page path or campaign, when the type has one.</summary>
    /// <example>/pricing</example>
    public string? Detail { get; init; }
    /// <summary>When it happened (ISO 8601).</summary>
    /// <example>2025-11-20T10:00:00Z</example>
    public DateTimeOffset? Timestamp { get; init; }
}

/// <summary>The batch form: many leads, one answer each, in order.</summary>
public sealed record BatchScoreRequest
{
    public string? Model { get; init; }
    public List<ScoreRequest>? Leads { get; init; }
}

/// <summary>A hybrid score and its explanation.</summary>
public sealed record ScoreResponse
{
    public string? LeadId { get; init; }
    public required string Model { get; init; }
    public required string ModelVersion { get; init; }
    /// <summary>"suggested" or "v3".</summary>
    public required string RuleSetVersion { get; init; }
    public required string RuleSetSource { get; init; }
    public required DateTimeOffset AsOf { get; init; }
    /// <summary>The hybrid score, 0–100.</summary>
    public required double Score { get; init; }
    public required string Grade { get; init; }
    public required bool SalesReady { get; init; }
    public required RulePoints RulePoints { get; init; }
    /// <summary>Calibrated probability of converting within the model's horizon.</summary>
    public required double ModelProbability { get; init; }
    public required ModelPoints ModelPoints { get; init; }
    /// <summary>How rule points and model points were blended (absent with <c>explain=false</c>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Blend? Blend { get; init; }
    /// <summary>What was odd in the request; absent when nothing was.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ScoreWarnings? Warnings { get; init; }
    /// <summary>Non-zero feature values, when asked with <c>features=true</c>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, double>? Features { get; init; }
}

/// <summary>The approved (or suggested) rule points.</summary>
public sealed record RulePoints
{
    /// <summary>Base points plus the criteria that fired, with caps, clamped to 0–100.</summary>
    public required double Score { get; init; }
    public required double BasePoints { get; init; }
    /// <summary>Fit (explicit criteria: who the lead is), 0–100.</summary>
    public required double Fit { get; init; }
    /// <summary>Engagement (implicit criteria: what the lead does), 0–100.</summary>
    public required double Engagement { get; init; }
    /// <summary>Criteria that fired (absent with <c>explain=false</c>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<FiredCriterionDto>? Criteria { get; init; }
}

/// <param name="Value">The feature's value (null when missing).</param>
public sealed record FiredCriterionDto(string Id, string Label, string Group, int Points, int CountedPoints, double? Value);

/// <summary>The model's view on the rules' scale: baseline + contributions = score (before clamping to 0–100).</summary>
public sealed record ModelPoints
{
    public required double Score { get; init; }
    /// <summary>Points of a lead in every reference band (what the contributions are measured from).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Baseline { get; init; }
    /// <summary>The largest positive and negative contributions, in points.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<ContributionDto>? Contributions { get; init; }
    /// <summary>All other contributions summed, so that the parts add up.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? OtherPoints { get; init; }
}

/// <param name="Value">The feature's value (null when missing).</param>
public sealed record ContributionDto(string Feature, string Label, double? Value, double Points);

/// <summary>How the hybrid score was made.</summary>
public sealed record Blend(double ModelWeight, double RuleScore, double ModelScore, string Formula);

/// <summary>What was odd in the request; scoring went on regardless.</summary>
public sealed record ScoreWarnings
{
    public IReadOnlyList<string> UnknownAttributes { get; init; } = [];
    public IReadOnlyList<string> MissingAttributes { get; init; } = [];
    public IReadOnlyList<string> UnknownCategories { get; init; } = [];
    public IReadOnlyList<string> InvalidValues { get; init; } = [];
    public int IgnoredEvents { get; init; }
    public IReadOnlyList<string> UnknownEventTypes { get; init; } = [];

    /// <summary>True when there is nothing to report.</summary>
    [JsonIgnore]
    public bool IsEmpty => UnknownAttributes.Count + MissingAttributes.Count + UnknownCategories.Count + InvalidValues.Count + UnknownEventTypes.Count == 0 && IgnoredEvents == 0;
}

/// <summary>One item of a batch answer: a score or the problem with that item.</summary>
public sealed record BatchItem(int Index, ScoreResponse? Result, BatchError? Error);

public sealed record BatchError(string Path, string Message);

public sealed record BatchScoreResponse(int Scored, int Failed, IReadOnlyList<BatchItem> Items);
