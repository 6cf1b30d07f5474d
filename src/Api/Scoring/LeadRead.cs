namespace LeadML.Api.Scoring;

/// <summary>A lead as read from a request: the scorer's input and the model it names, or the lead's first problem (its
/// JSON path and a message).</summary>
internal readonly record struct LeadRead(LeadInput? Lead, string? Model, BatchError? Problem);
