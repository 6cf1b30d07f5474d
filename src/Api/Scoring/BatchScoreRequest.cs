namespace LeadML.Api.Scoring;

/// <summary>The batch form: many leads, one answer each, in order.</summary>
public sealed record BatchScoreRequest
{
    public string? Model { get; init; }
    public List<ScoreRequest>? Leads { get; init; }
}
