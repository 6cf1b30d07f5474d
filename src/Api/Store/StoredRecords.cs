namespace LeadML.Api.Store;

/// <summary>A stored lead and its latest score. <see cref="SalesReady"/> is the alert state (with hysteresis): it
/// turns true when the score reaches the sales-ready threshold and false only when it falls below threshold −
/// hysteresis, so it can differ from "score ≥ threshold" while a score hovers at the line.</summary>
public sealed record StoredLead(string Model, string Id, IReadOnlyDictionary<string, string?> Attributes, DateTime CreatedAt, DateTime? ConvertedAt,
    double? Score, string? Grade, bool SalesReady, int AlertSeq, string? ModelVersion, string? RuleSetVersion, int EventCount, DateTime? LastEventAt,
    DateTime? ScoredAt, DateTime UpdatedAt, DateTime? NextRescoreAt, int RescoreCount);

/// <summary>One stored event of a lead.</summary>
public sealed record StoredEvent(string EventId, DateTime Timestamp, string Type, string? Detail);

/// <summary>One score change of a lead and why it happened: <c>reason</c> is <c>event</c>, <c>attributes</c>,
/// <c>rescoring</c>, <c>rescoring as of</c>, <c>new rule set</c>, <c>new model</c>, <c>conversion</c> or
/// <c>conversion undone</c>; <see cref="Cause"/> says what exactly (null in entries written before causes were kept).</summary>
public sealed record ScoreChange(DateTime At, double Score, double? PreviousScore, string Grade, bool SalesReady, string ModelVersion, string RuleSetVersion,
    string Reason, ScoreCause? Cause = null);

/// <summary>Why a lead was scored again.</summary>
public static class ScoreReasons
{
    public const string Event = "event";
    public const string Attributes = "attributes";
    public const string Rescoring = "rescoring";
    /// <summary>An administrator's rescoring of stored leads as of a later time (<c>POST /admin/models/{name}/rescore</c>),
    /// to see what time passing does without waiting.</summary>
    public const string RescoringAsOf = "rescoring as of";
    public const string NewRuleSet = "new rule set";
    public const string NewModel = "new model";
    public const string Conversion = "conversion";
    public const string ConversionUndone = "conversion undone";
}

/// <summary>An alert in the outbox. <see cref="Key"/> is unique and stable: it is the idempotency key webhooks see.</summary>
public sealed record StoredAlert(long Seq, string Key, string Model, string LeadId, string Kind, double Score, double? PreviousScore, double Threshold,
    double Hysteresis, string Reason, string ModelVersion, string RuleSetVersion, DateTime RaisedAt, DateTime? DeliveredAt, int Attempts,
    DateTime NextAttemptAt, string? LastError, string Payload);

/// <summary>One delivery attempt of an alert to one webhook.</summary>
public sealed record DeliveryAttempt(long Seq, string AlertKey, string Model, string LeadId, string Webhook, int Attempt, DateTime At, int? StatusCode,
    string? Error, bool Succeeded, double DurationMs, string Instance);

/// <summary>A lead's recorded conversion: when, and optionally its value and where it was recorded (a CRM, a deal).</summary>
public sealed record StoredConversion(DateTime At, double? Value, string? Source);

/// <summary>A bundle put in force for a model (<c>promote</c>, <c>auto</c> after a comparison, or <c>rollback</c>), with
/// the bundle it replaced so that it can be rolled back.</summary>
public sealed record StoredPromotion(long Seq, string Model, string Action, string Bundle, string ModelVersion, string PreviousBundle,
    string PreviousModelVersion, bool Forced, DateTime At, string? Comparison);
