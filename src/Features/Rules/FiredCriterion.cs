using LeadML.Features.Featurization;

namespace LeadML.Features.Rules;

/// <summary>A criterion that fired for a lead, with the points it counted for after caps.</summary>
public sealed record FiredCriterion(string Id, string Label, CriterionGroup Group, int Points, int CountedPoints, float Value);

/// <summary>A knock-out that fired for a lead.</summary>
/// <param name="Id">The knock-out's id.</param>
/// <param name="Label">Its label, in words.</param>
/// <param name="Value">The lead's value of the knock-out's feature (NaN: missing).</param>
public sealed record FiredKnockOut(string Id, string Label, float Value);
