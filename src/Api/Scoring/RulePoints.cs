using System.Text.Json.Serialization;

namespace LeadML.Api.Scoring;

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
