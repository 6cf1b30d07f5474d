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
