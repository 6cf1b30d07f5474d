namespace LeadML.Api.RuleSets;

/// <summary>A request named a rule-set version the model does not have (answered 404).</summary>
public sealed class UnknownRuleSetException(string model, int version) : Exception($"model {model} has no rule set version {version}");
