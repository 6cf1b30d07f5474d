using LeadML.Features.Rules;

namespace LeadML.Api.RuleSets;

/// <summary>A stored rule-set version of one scoring model. <see cref="Rules"/> carries the same version and status.</summary>
public sealed record StoredRuleSet(string Model, int Version, RuleSetStatus Status, RuleSet Rules, DateTime CreatedAt, string? CreatedBy,
    DateTime? ApprovedAt, string? ApprovedBy, string? Comment, int? BasedOn);
