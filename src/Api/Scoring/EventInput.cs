namespace LeadML.Api.Scoring;

/// <summary>One activity of a lead.</summary>
public sealed record EventInput
{
    /// <summary>Event type, e.g. page_view, email_open, email_click, form_submit, quote_request, unsubscribe.</summary>
    /// <example>page_view</example>
    public string? Type { get; init; }
    /// <summary>Page path or campaign, when the type has one.</summary>
    /// <example>/pricing</example>
    public string? Detail { get; init; }
    /// <summary>When it happened (ISO 8601).</summary>
    /// <example>2025-11-20T10:00:00Z</example>
    public DateTimeOffset? Timestamp { get; init; }
}
