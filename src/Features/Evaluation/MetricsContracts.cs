namespace LeadML.Features.Evaluation;

/// <summary>One equal-width probability bin of a reliability (calibration) table.</summary>
/// <param name="Bin">Bin number, 1 = lowest probabilities.</param>
/// <param name="Lower">Lower edge of the bin (inclusive), a probability.</param>
/// <param name="Upper">Upper edge of the bin (exclusive, except the last which includes 1).</param>
/// <param name="Count">Rows whose predicted probability falls in the bin.</param>
/// <param name="MeanPredicted">Mean predicted probability of those rows.</param>
/// <param name="ObservedRate">Fraction of those rows that converted.</param>
public sealed record CalibrationBin(int Bin, double Lower, double Upper, int Count, double MeanPredicted, double ObservedRate);

/// <summary>One score group of a lift table.</summary>
/// <param name="Decile">Group number, 1 = highest scores.</param>
/// <param name="Count">Rows in the group.</param>
/// <param name="Positives">Conversions in the group.</param>
/// <param name="Rate">Conversion rate in the group.</param>
/// <param name="Lift">Rate divided by the overall conversion rate.</param>
/// <param name="CumulativeGain">Share of all conversions found in groups 1 to this one.</param>
public sealed record LiftRow(int Decile, int Count, int Positives, double Rate, double Lift, double CumulativeGain);

/// <summary>
/// The evaluation figures of a set of probabilities against outcomes. AUCs are null when only one class is present
/// (they are undefined then), so the record serialises to JSON without NaN.
/// </summary>
public sealed record MetricSet(
    double? RocAuc,
    double? RocAucStandardError,
    double? PrAuc,
    double LogLoss,
    double Brier,
    double ExpectedCalibrationError,
    double PositiveRate,
    IReadOnlyList<CalibrationBin> Calibration,
    IReadOnlyList<LiftRow> Lift);
