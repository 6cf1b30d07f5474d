namespace LeadML.Api.Scoring;

/// <summary>The batch form: many leads, one answer each, in order.</summary>
public sealed record BatchScoreRequest
{
    /// <summary>Scoring model by name for every lead that names none; the configured default when omitted.</summary>
    public string? Model { get; init; }
    /// <summary>The leads, each as <c>POST /score</c> takes one; one that cannot be used gets an error in its item.</summary>
    public List<ScoreRequest>? Leads { get; init; }
}
