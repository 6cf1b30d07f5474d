namespace LeadML.Api.RuleSets;

/// <summary>One audited change: created, edited, approved, restored.</summary>
public sealed record RuleSetAuditEntry(long Id, string Model, int Version, string Action, string? Actor, DateTime At, string? Detail);
