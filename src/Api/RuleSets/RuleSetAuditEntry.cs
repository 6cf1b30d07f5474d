namespace LeadML.Api.RuleSets;

/// <summary>One audited change: created, edited, approved, discarded (a restore is the creation and approval of a copy).</summary>
/// <param name="Id">The entry's number, in the order the changes were made.</param>
/// <param name="Model">The scoring model.</param>
/// <param name="Version">The rule-set version changed.</param>
/// <param name="Action"><c>created</c>, <c>edited</c>, <c>approved</c> or <c>discarded</c>.</param>
/// <param name="Actor">Who made the change; null when no name was given.</param>
/// <param name="At">When (UTC).</param>
/// <param name="Detail">What the change was, in words: for <c>created</c> the version it was copied from, for <c>edited</c> every
/// change the edit made (as the diff's <c>sentences</c> say it, e.g. "“Job title: Student”: -27 → -30 points."), for
/// <c>approved</c> the approver's comment.</param>
public sealed record RuleSetAuditEntry(long Id, string Model, int Version, string Action, string? Actor, DateTime At, string? Detail);
