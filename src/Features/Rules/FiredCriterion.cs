using LeadML.Features.Featurization;

namespace LeadML.Features.Rules;

/// <summary>A criterion that fired for a lead, with the points it counted for after caps.</summary>
public sealed record FiredCriterion(string Id, string Label, CriterionGroup Group, int Points, int CountedPoints, float Value);
