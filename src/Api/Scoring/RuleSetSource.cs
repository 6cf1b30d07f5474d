namespace LeadML.Api.Scoring;

/// <summary>Where the rule set in force comes from.</summary>
public enum RuleSetSource
{
    /// <summary>The bundle's suggestion: no version has been approved yet.</summary>
    Suggested,
    /// <summary>An approved version.</summary>
    Approved,
}
