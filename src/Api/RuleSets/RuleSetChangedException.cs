namespace LeadML.Api.RuleSets;

/// <summary>A draft changed since the client read it: its <c>If-Match</c> no longer matches (answered 412).</summary>
public sealed class RuleSetChangedException(string message) : Exception(message);
