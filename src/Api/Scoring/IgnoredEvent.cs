namespace LeadML.Api.Scoring;

/// <summary>An event the score did not count: its JSON path in the request (for a stored lead, its place among the lead's
/// stored events, oldest first) and why.</summary>
public sealed record IgnoredEvent(string Path, string Reason);
