using System.Text.Json.Serialization;

namespace LeadML.Api.Scoring;

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
