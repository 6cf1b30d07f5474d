using System.Text.Json.Nodes;

namespace LeadML.Api.Promotion;

/// <summary><c>POST /admin/models/{name}/compare</c>: a candidate bundle folder (relative to the content root, or absolute).</summary>
public sealed record CompareRequest
{
    /// <summary>The candidate bundle's folder, relative to the Api's content root or absolute.</summary>
    public string? Bundle { get; init; }
}

/// <summary><c>POST /admin/models/{name}/promote</c>: the bundle to put in force; <see cref="Force"/> promotes even without
/// a comparison against the bundle in force that found it not worse.</summary>
public sealed record PromoteRequest
{
    /// <summary>The bundle's folder, relative to the Api's content root or absolute.</summary>
    public string? Bundle { get; init; }
    /// <summary>Promote even without a comparison that found it not worse than the bundle in force.</summary>
    public bool Force { get; init; }
}

/// <summary>The comparison (as <c>leadml compare --json</c> prints it) and whether it promoted the candidate (automatic
/// promotion, setting <c>LeadML:Promotion:Auto</c>).</summary>
public sealed record CompareResponse(string Model, string Bundle, JsonObject Comparison, bool NotWorse, bool Promoted, string Message);

/// <summary>What a promotion or rollback did.</summary>
public sealed record PromotionResponse(string Model, string Action, string Bundle, string ModelVersion, string PreviousBundle, string PreviousModelVersion,
    bool Forced, DateTimeOffset At);

/// <summary><c>POST /admin/models/{name}/recalibrate</c>: where to write the recalibrated bundle, and optionally from which
/// day its outcomes are taken.</summary>
public sealed record RecalibrateRequest
{
    /// <summary>The new bundle's folder, relative to the Api's content root or absolute; it must not exist. Default: beside
    /// the bundle in force, named after it with <c>-recalibrated-</c> and the time.</summary>
    public string? Out { get; init; }
    /// <summary>Fit on every complete outcome from this time on instead of the latest horizon (after the bundle's
    /// training window). Default: the cut-offs of the latest horizon whose outcomes are all known.</summary>
    public DateTimeOffset? From { get; init; }
}

/// <summary>What a recalibration wrote: a new bundle version with the model of the bundle in force and a calibration
/// refitted on the store's recent outcomes. It is not in force until promoted.</summary>
public sealed record RecalibrateResponse
{
    /// <summary>The scoring model.</summary>
    public required string Model { get; init; }
    /// <summary>The new bundle's folder (absolute), for compare and promote.</summary>
    public required string Bundle { get; init; }
    /// <summary>The new bundle's model version.</summary>
    public required string ModelVersion { get; init; }
    /// <summary>The model version whose trees or weights it keeps (the bundle in force).</summary>
    public required string RecalibratedFrom { get; init; }
    /// <summary>The calibration map chosen: Platt or Isotonic.</summary>
    public required string Calibration { get; init; }
    /// <summary>The first cut-off of the outcomes it was fitted on.</summary>
    public required DateTimeOffset OutcomesFrom { get; init; }
    /// <summary>The last cut-off of the outcomes it was fitted on.</summary>
    public required DateTimeOffset OutcomesTo { get; init; }
    /// <summary>Lead snapshots it was fitted on.</summary>
    public required int Rows { get; init; }
    /// <summary>Of which converted within the horizon.</summary>
    public required int Positives { get; init; }
    /// <summary>Expected calibration error (0–1) of the bundle in force on those outcomes.</summary>
    public required double EceBefore { get; init; }
    /// <summary>Expected calibration error (0–1) of the new calibration on them, 5-fold cross-validated.</summary>
    public required double EceAfter { get; init; }
    /// <summary>What was done and what to do next, in words.</summary>
    public required string Message { get; init; }
}
