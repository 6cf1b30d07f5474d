namespace LeadML.Api.Scoring;

/// <summary>One event of a lead (UTC).</summary>
public readonly record struct LeadEventInput(DateTime Timestamp, string Type, string? Detail)
{
    /// <summary>An event as a request sends it: type and detail trimmed, a blank detail as none.</summary>
    public static LeadEventInput Sent(DateTime utc, string type, string? detail) =>
        new(utc, type.Trim(), string.IsNullOrWhiteSpace(detail) ? null : detail.Trim());
}
