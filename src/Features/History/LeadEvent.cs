namespace LeadML.Features.History;

/// <summary>One activity of a lead (implicit criterion source). Type and detail strings are interned by the reader,
/// so equal values share one instance.</summary>
/// <param name="LeadIndex">Index of the lead in <see cref="LeadTable.Leads"/>.</param>
/// <param name="Timestamp">When it happened (UTC).</param>
/// <param name="Type">Event type, lower-case as written (e.g. <c>page_view</c>, <c>email_click</c>, <c>unsubscribe</c>).</param>
/// <param name="Detail">Optional detail: page path, campaign, form name; null when empty.</param>
public readonly record struct LeadEvent(int LeadIndex, DateTime Timestamp, string Type, string? Detail);
