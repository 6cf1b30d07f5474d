namespace LeadML.Api.Scoring;

/// <param name="Value">The feature's value (null when missing).</param>
public sealed record FiredCriterionDto(string Id, string Label, string Group, int Points, int CountedPoints, double? Value);
