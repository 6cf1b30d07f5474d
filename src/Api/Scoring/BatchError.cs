namespace LeadML.Api.Scoring;

public sealed record BatchError(string Path, string Message);
