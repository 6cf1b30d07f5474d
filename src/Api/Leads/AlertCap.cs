namespace LeadML.Api.Leads;

/// <summary>A cap on the alerts one cause (a new model or rule set) may raise: counted in the outbox itself, so it
/// holds across batches, restarts and instances.</summary>
public sealed record AlertCap(string CauseKey, int Max);
