namespace LeadML.Api.Scoring;

/// <summary>A lead as the scorer sees it, whether it came in a request or from the lead store.</summary>
public sealed record LeadInput
{
    public string? LeadId { get; init; }
    public IReadOnlyDictionary<string, string?> Attributes { get; init; } = System.Collections.ObjectModel.ReadOnlyDictionary<string, string?>.Empty;
    public IReadOnlyList<LeadEventInput> Events { get; init; } = [];
    public required DateTime CreatedAt { get; init; }
    public required DateTime AsOf { get; init; }
}
