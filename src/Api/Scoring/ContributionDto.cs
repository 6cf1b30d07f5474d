namespace LeadML.Api.Scoring;

/// <param name="Value">The feature's value (null when missing).</param>
public sealed record ContributionDto(string Feature, string Label, double? Value, double Points);
