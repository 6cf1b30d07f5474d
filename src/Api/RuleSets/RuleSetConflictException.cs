namespace LeadML.Api.RuleSets;

/// <summary>A change that the rule-set life cycle forbids (editing an approved version, approving twice…).</summary>
public sealed class RuleSetConflictException(string message) : Exception(message);
