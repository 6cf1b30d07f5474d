namespace LeadML.Api.Store;

/// <summary>A lead's grade at a cut-off and its conversion, if any.</summary>
public sealed record GradedLead(string Grade, DateTime? ConvertedAt);
