namespace LeadML.Api.Scoring;

/// <summary>A batch body as read: the batch's model and its leads in order, or the problem that refuses the whole
/// request (no leads, too many, a body of the wrong shape).</summary>
internal sealed record BatchRead(string? Model, LeadRead[] Leads, BatchError? Problem);
