using System.Text.Json.Serialization;

namespace LeadML.Api.Scoring;

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
    /// <summary>The grade of the score; the lowest grade when the lead is disqualified.</summary>
    public required string Grade { get; init; }
    /// <summary>True when the score reaches the sales-ready threshold and no knock-out fired.</summary>
    public required bool SalesReady { get; init; }
    /// <summary>True when a knock-out (disqualifier) of the rule set fired: the lead is never sales-ready and gets the
    /// lowest grade, whatever its score.</summary>
    public bool Disqualified { get; init; }
    /// <summary>The knock-outs that fired, with their labels in words; absent when none did (also with
    /// <c>explain=false</c>: they decide the grade).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<KnockOutDto>? KnockOuts { get; init; }
    /// <summary>Why the lead is disqualified, in one sentence naming the knock-outs that fired; absent when none did.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? DisqualifiedBecause { get; init; }
    /// <summary>The fit × engagement cell, e.g. "A2": A–D by the fit part of the rule points, 1–4 by the engagement part
    /// (A1 the best fit and the most engaged), at the rule set's cut-offs; absent when the rule set has no matrix.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Matrix { get; init; }
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
