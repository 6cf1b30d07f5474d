namespace LeadML.Api.Scoring;

/// <summary>How the hybrid score was made.</summary>
public sealed record Blend(double ModelWeight, double RuleScore, double ModelScore, string Formula);
