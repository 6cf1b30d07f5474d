namespace LeadML.Api.Outcomes;

/// <summary>One grade's observed outcomes beside what the bundle's report promised.</summary>
/// <param name="Leads">Open leads in this grade at the cut-off (scored by the model version in force).</param>
/// <param name="Conversions">Of those, converted within the horizon after the cut-off (so far, when the horizon is not over).</param>
/// <param name="ObservedRate">Conversions over leads; null without leads.</param>
/// <param name="PromisedRate">The grade's conversion rate on the test period in the bundle's report (<c>metrics.json</c>
/// <c>grades.test</c>); null for a grade the bundle's suggestion does not have.</param>
public sealed record GradeOutcome(string Grade, int Leads, int Conversions, double? ObservedRate, double? PromisedRate);

/// <summary>Observed conversion per grade for the model version in force, at one cut-off.</summary>
/// <param name="HorizonComplete">False when the horizon after the cut-off is not over yet: the observed rates can still grow.</param>
public sealed record OutcomesResponse(string Model, string ModelVersion, int HorizonDays, DateTimeOffset Cutoff, bool HorizonComplete, IReadOnlyList<GradeOutcome> Grades);
