namespace LeadML.Api.Monitoring;

/// <summary>PSI of one feature (or of the probability) over the live traffic seen so far.</summary>
public sealed record FeatureDrift(string Feature, double? Psi, string? Band, long Observed);
