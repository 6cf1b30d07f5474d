using LeadML.Api.Scoring;
using LeadML.Api.Store;

namespace LeadML.Api.Leads;

/// <summary>What scoring a stored lead again did.</summary>
/// <param name="Alert">The alert raised ("sales-ready" or "gone-cold"), or null.</param>
/// <param name="Suppressed">True when a transition raised no alert because the per-change cap was reached.</param>
public sealed record Rescored(StoredLead Lead, ScoreResponse Score, bool Changed, string? Alert, bool Suppressed);
