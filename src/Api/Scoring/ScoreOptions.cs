namespace LeadML.Api.Scoring;

/// <summary>How much to explain and how to blend.</summary>
public sealed record ScoreOptions(bool Explain = true, bool Features = false, double BlendWeight = 0.5, int TopContributions = 5);
