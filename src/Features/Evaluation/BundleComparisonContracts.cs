namespace LeadML.Features.Evaluation;

/// <summary>One model's figures on the comparison months.</summary>
/// <param name="ModelVersion">The bundle's model version.</param>
/// <param name="RocAuc">ROC-AUC (null with one class only).</param>
/// <param name="PrAuc">PR-AUC (null without conversions).</param>
/// <param name="Ece">Expected calibration error (0–1).</param>
/// <param name="TopDecileLift">Conversion rate of the top-scored tenth over the overall rate.</param>
/// <param name="Rows">Lead snapshots scored.</param>
/// <param name="Positives">Of which converted within the horizon.</param>
public sealed record ComparedModel(string ModelVersion, double? RocAuc, double? PrAuc, double Ece, double TopDecileLift, int Rows, int Positives);

/// <summary>How one criterion's points moved between the current and the new rule set.</summary>
/// <param name="Id">The criterion's id.</param>
/// <param name="Label">Its label, as a marketer reads it.</param>
/// <param name="Current">Its points in the current rule set (null when new).</param>
/// <param name="New">Its points in the new rule set (null when dropped).</param>
/// <param name="Change">new, dropped, sign flipped, moved (by more than its uncertainty), or unchanged.</param>
public sealed record CriterionMove(string Id, string Label, int? Current, int? New, string Change);

/// <summary>Champion (current) against challenger (new) on the same months neither was trained on.</summary>
/// <param name="Current">The bundle in force.</param>
/// <param name="New">The candidate.</param>
/// <param name="From">First cut-off compared.</param>
/// <param name="To">Last cut-off compared.</param>
/// <param name="GradeChanges">Lead snapshots whose grade differs between the two rule sets.</param>
/// <param name="Leads">Lead snapshots compared.</param>
/// <param name="Moves">How each criterion's points moved.</param>
/// <param name="NewNotWorse">True when the candidate is not worse on any metric (within small tolerances).</param>
/// <param name="Verdict">The outcome in a person's words.</param>
public sealed record ComparisonResult(
    ComparedModel Current, ComparedModel New, DateTime From, DateTime To, int GradeChanges, int Leads,
    IReadOnlyList<CriterionMove> Moves, bool NewNotWorse, string Verdict);
