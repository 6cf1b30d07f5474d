using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using LeadML.Features.Evaluation;
using LeadML.Features.Featurization;
using LeadML.Features.History;
using LeadML.Features.Rules;

namespace LeadML.Features.Bundles;

/// <summary>
/// <c>metrics.json</c>: the figures the trainer measured, read by the report, the Api, comparison and outcomes.
/// Written and read through <see cref="BundleMetricsJson"/> (source-generated, camelCase, indented, absent values left
/// out). Parts a bundle does not have (no comparison yet, a one-class test period) are null.
/// </summary>
public sealed record BundleMetrics
{
    /// <summary>The final model on the test period (out of time, measured once).</summary>
    public PeriodMetrics? Test { get; init; }
    /// <summary>The chosen candidate on the validation period, from its training-only fit.</summary>
    public PeriodMetrics? Validation { get; init; }
    /// <summary>Which model was chosen, and why.</summary>
    public ChosenModel? Chosen { get; init; }
    /// <summary>Every candidate of the search, on the validation period.</summary>
    public IReadOnlyList<CandidateResult> Candidates { get; init; } = [];
    /// <summary>What the history's times are (dates, month names, row order); null in files written before it was recorded.</summary>
    public HistoryTime? Time { get; init; }
    /// <summary>Conversion rate per cut-off (single tables: per month, or per group of rows in row order), with its period.</summary>
    public IReadOnlyList<PeriodRate> PositiveRateByPeriod { get; init; } = [];
    /// <summary>Whether the conversion rate moved between the earliest and the latest third of the history, with the
    /// evidence; null in files written before it was measured.</summary>
    public RateTrend? RateTrend { get; init; }
    /// <summary>What the calibration was fitted on: the out-of-time predictions of each origin (training), or the recent
    /// outcomes of a recalibration; null in files written before it was recorded.</summary>
    public CalibrationFit? CalibrationFit { get; init; }
    /// <summary>Population stability of each feature between training and test.</summary>
    public IReadOnlyList<FeatureDrift> Drift { get; init; } = [];
    /// <summary>What the user should know about the run, in their words.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
    /// <summary>What the leak guard found, with its evidence: columns, category values and event types that look
    /// recorded after the outcome, and a validation ROC-AUC too good to be true. Empty when nothing was found, and in
    /// files written before the guard (the serializer passes null for an absent list, read as empty).</summary>
    public IReadOnlyList<LeakFinding> Leaks { get => _leaks; init => _leaks = value ?? []; }

    private readonly IReadOnlyList<LeakFinding> _leaks = [];
    /// <summary>The suggested points alone, beside the model.</summary>
    public PointsOnlyMetrics? PointsOnly { get; init; }
    /// <summary>The suggested sales-ready threshold and why.</summary>
    public ThresholdChoice? Thresholds { get; init; }
    /// <summary>Share and conversion rate per grade.</summary>
    public GradesByPeriod? Grades { get; init; }
    /// <summary>Leads and conversion rate per cell of the fit × engagement matrix; null without a matrix.</summary>
    public MatrixByPeriod? Matrix { get; init; }
    /// <summary>Traits converters have much more often than leads in general; null when not measured.</summary>
    public IReadOnlyList<ProfileTrait>? Profile { get; init; }
    /// <summary>How much of the model's variation each family of features carries.</summary>
    public IReadOnlyList<FamilyImportance> Importance { get; init; } = [];
    /// <summary>The last comparison of this bundle (new) with the one in force (current); null before any.</summary>
    public ComparisonResult? Comparison { get; init; }

    /// <summary>Reads <c>metrics.json</c> text.</summary>
    /// <exception cref="JsonException">The text is not JSON of this shape.</exception>
    public static BundleMetrics Parse(string json) => JsonSerializer.Deserialize(json, BundleMetricsJson.Default.BundleMetrics) ?? new BundleMetrics();

    /// <summary>The file's text.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, BundleMetricsJson.Default.BundleMetrics);

    /// <summary>The metrics as a JSON tree (for the report's data and the trainer's <c>--json</c> output).</summary>
    public JsonObject ToJsonObject() => JsonSerializer.SerializeToNode(this, BundleMetricsJson.Default.BundleMetrics)!.AsObject();
}

/// <summary>A model's figures on one period. With one class only (all converted or none), only the counts are set.</summary>
/// <param name="Rows">Lead snapshots.</param>
/// <param name="Positives">Of which converted within the horizon.</param>
public sealed record PeriodMetrics(int Rows, int Positives)
{
    /// <summary>Area under the ROC curve (0.5 coin toss, 1 perfect ranking).</summary>
    public double? RocAuc { get; init; }
    /// <summary>Its standard error (Hanley–McNeil).</summary>
    public double? RocAucStandardError { get; init; }
    /// <summary>Area under the precision–recall curve.</summary>
    public double? PrAuc { get; init; }
    /// <summary>Mean log-loss (natural log).</summary>
    public double? LogLoss { get; init; }
    /// <summary>Mean squared error of the probabilities.</summary>
    public double? Brier { get; init; }
    /// <summary>Expected calibration error over 10 equal-width bins (0–1).</summary>
    public double? ExpectedCalibrationError { get; init; }
    /// <summary>The same figure under its short name, as the summary and comparison name it.</summary>
    public double? Ece { get; init; }
    /// <summary>Share of rows that converted (0–1).</summary>
    public double? PositiveRate { get; init; }
    /// <summary>The reliability table.</summary>
    public IReadOnlyList<CalibrationBin>? Calibration { get; init; }
    /// <summary>The lift table by decile of score.</summary>
    public IReadOnlyList<LiftRow>? Lift { get; init; }

    /// <summary>The figures of probabilities <paramref name="p"/> against outcomes <paramref name="y"/>; counts only
    /// when there are no rows or only one class.</summary>
    public static PeriodMetrics Of(double[] p, float[] y)
    {
        var positives = y.Count(v => v > 0.5f);
        if (p.Length == 0 || positives == 0 || positives == y.Length) return new PeriodMetrics(y.Length, positives);
        var set = Metrics.Compute(p, y);
        return new PeriodMetrics(y.Length, positives)
        {
            RocAuc = set.RocAuc, RocAucStandardError = set.RocAucStandardError, PrAuc = set.PrAuc, LogLoss = set.LogLoss, Brier = set.Brier,
            ExpectedCalibrationError = set.ExpectedCalibrationError, Ece = set.ExpectedCalibrationError, PositiveRate = set.PositiveRate,
            Calibration = set.Calibration, Lift = set.Lift,
        };
    }
}

/// <summary>The chosen model.</summary>
/// <param name="Description">The candidate, in words ("trees, depth 4, …").</param>
/// <param name="Why">Why it was chosen over the others.</param>
/// <param name="Settings">Its settings by name.</param>
/// <param name="Calibration">The calibration fitted to it (Platt or isotonic).</param>
public sealed record ChosenModel(string Description, string Why, IReadOnlyDictionary<string, string> Settings, string Calibration);

/// <summary>One candidate's result on the validation period.</summary>
/// <param name="Description">The candidate, in words.</param>
/// <param name="Kind">Trees or linear.</param>
/// <param name="Settings">Its settings by name.</param>
/// <param name="ValidationRocAuc">ROC-AUC on the validation period.</param>
/// <param name="ValidationLogLoss">Log-loss there.</param>
/// <param name="Complexity">A size to prefer the simpler of equals (rounds × leaves, or features).</param>
public sealed record CandidateResult(string Description, ModelKind Kind, IReadOnlyDictionary<string, string> Settings, double ValidationRocAuc, double ValidationLogLoss, int Complexity);

/// <summary>The conversion rate of the snapshots at one cut-off, or of a group of single-table rows.</summary>
/// <param name="Cutoff">The cut-off's day (single tables: the group's first day); null when times are synthetic.</param>
/// <param name="Period">train, validation or test.</param>
/// <param name="Rows">Lead snapshots at it.</param>
/// <param name="Positives">Of which converted within the horizon.</param>
/// <param name="Rate">Positives over rows (0–1).</param>
public sealed record PeriodRate(DateOnly? Cutoff, string Period, int Rows, int Positives, double Rate)
{
    /// <summary>Single tables: the group in words ("2018-03", "May, year 2", "rows 1–2,060").</summary>
    public string? Label { get; init; }
}

/// <summary>The conversion rate early and late in the history: when it moves, a calibration fitted on the past
/// carries the past's rate.</summary>
/// <param name="Early">The first third of the history's rows (whole periods of <see cref="BundleMetrics.PositiveRateByPeriod"/>).</param>
/// <param name="Late">The last third.</param>
/// <param name="Z">Two-proportion z statistic of the late rate against the early one (positive: rising).</param>
/// <param name="Moving">True when the rates differ by at least a quarter of the early rate and |z| ≥ 4.</param>
/// <param name="Message">The finding in words (also among the warnings when moving).</param>
public sealed record RateTrend(RateSpan Early, RateSpan Late, double Z, bool Moving, string Message);

/// <summary>A stretch of the history and its conversion rate.</summary>
/// <param name="Label">Its first and last period in words ("2025-01-01 – 2025-04-01", "rows 1–13,729", "May, year 1 – Jan, year 2").</param>
/// <param name="Rows">Lead snapshots.</param>
/// <param name="Positives">Of which converted within the horizon.</param>
/// <param name="Rate">Positives over rows (0–1).</param>
public sealed record RateSpan(string Label, int Rows, int Positives, double Rate);

/// <summary>What a bundle's calibration was fitted on.</summary>
/// <param name="Method">How the predictions were gathered: <c>rollingOrigin</c> (training) or <c>recentOutcomes</c> (recalibration).</param>
/// <param name="Kind">The map chosen: Platt or Isotonic.</param>
/// <param name="Why">Why that map, in words.</param>
/// <param name="Origins">The stretches of time predicted, oldest first: each predicted by a model fitted only on what
/// came before it (training), or by the bundle's own model (recalibration).</param>
public sealed record CalibrationFit(string Method, string Kind, string Why, IReadOnlyList<CalibrationOrigin> Origins)
{
    /// <summary>Recalibration: the model version whose calibration was replaced (its trees or weights are kept).</summary>
    public string? RecalibratedFrom { get; init; }
    /// <summary>Recalibration: the calibration error of the replaced calibration on the same outcomes (0–1).</summary>
    public double? EceBefore { get; init; }
    /// <summary>Recalibration: the new calibration's error on those outcomes, 5-fold cross-validated (0–1).</summary>
    public double? EceAfter { get; init; }
}

/// <summary>One stretch of out-of-time predictions the calibration was fitted on.</summary>
/// <param name="Label">The stretch in words (its cut-offs, months or rows).</param>
/// <param name="Rows">Lead snapshots predicted.</param>
/// <param name="Positives">Of which converted within the horizon.</param>
/// <param name="FitRows">Rows the predicting model was fitted on (0 when it is the bundle's own model).</param>
public sealed record CalibrationOrigin(string Label, int Rows, int Positives, int FitRows)
{
    /// <summary>Positives over rows (0–1).</summary>
    public double Rate => Rows == 0 ? 0 : (double)Positives / Rows;
}

/// <summary>One feature's population stability between training and test.</summary>
/// <param name="Feature">The feature's name.</param>
/// <param name="Psi">Population stability index (below 0.1 stable, above 0.25 significant): with test rows weighted to
/// training's distribution of lead age (equal lead age) when snapshots have one; unweighted for expected shifts.</param>
/// <param name="Band">stable, moderate or significant; expected for shifts the calendar makes (lead age, dates, the
/// column that orders rows in time).</param>
public sealed record FeatureDrift(string Feature, double Psi, string Band)
{
    /// <summary>The PSI before weighting to equal lead age, when it was weighted.</summary>
    public double? UnadjustedPsi { get; init; }
    /// <summary>Why the shift is expected (band "expected"), in words; null otherwise.</summary>
    public string? Expected { get; init; }
}

/// <summary>What kind of leak a <see cref="LeakFinding"/> is.</summary>
public enum LeakKind
{
    /// <summary>A column whose one-column model separates converted from other leads (ROC-AUC ≥ 0.9 on training).</summary>
    Column,
    /// <summary>A category value held by at least 20 leads, at least 95 % of them converted.</summary>
    Level,
    /// <summary>The chosen model's validation ROC-AUC is at least 0.95.</summary>
    ValidationAuc,
    /// <summary>An event type or detail that, on converted leads, occurs mostly (≥ 80 %) after the conversion.</summary>
    PostConversionEvent,
}

/// <summary>One finding of the leak guard, with its evidence. Only the fields of its kind are set.</summary>
/// <param name="Kind">What was found.</param>
/// <param name="Message">One or two sentences for the user: what, the evidence, and what to do.</param>
public sealed record LeakFinding(LeakKind Kind, string Message)
{
    /// <summary>The column (column and level findings).</summary>
    public string? Column { get; init; }
    /// <summary>The category value (level findings).</summary>
    public string? Level { get; init; }
    /// <summary>The event type (post-conversion findings).</summary>
    public string? EventType { get; init; }
    /// <summary>The event detail, null for the whole type (post-conversion findings).</summary>
    public string? Detail { get; init; }
    /// <summary>ROC-AUC (0.5–1): the one-column model's on training leads, or the model's on validation.</summary>
    public double? RocAuc { get; init; }
    /// <summary>Leads behind the evidence (the value's leads, or the leads the column was measured on).</summary>
    public int? Leads { get; init; }
    /// <summary>Of which converted.</summary>
    public int? Conversions { get; init; }
    /// <summary>Level findings: the share of its leads that converted (0–1); post-conversion findings: the share of
    /// converted leads' events of this kind that came at or after the conversion (0–1).</summary>
    public double? Share { get; init; }
    /// <summary>Post-conversion findings: converted leads' events of this kind (before + after the conversion).</summary>
    public long? Events { get; init; }
    /// <summary>True when training already dealt with it (post-conversion events are left out of the features), so
    /// it does not fail a run with <c>--fail-on-leak</c>.</summary>
    public bool Handled { get; init; }
}

/// <summary>The suggested points alone on the test and validation periods.</summary>
/// <param name="Test">On the test period.</param>
/// <param name="Validation">On the validation period.</param>
/// <param name="Criteria">How many criteria the rule set has.</param>
public sealed record PointsOnlyMetrics(PointsFigures Test, PointsFigures Validation, int Criteria)
{
    /// <summary>How many criteria the table would have with every band (null when the table keeps every band).</summary>
    public int? EveryBand { get; init; }
    /// <summary>What a shorter table costs: the points-only ROC-AUC for each size the compact table went through,
    /// smallest first, then the table with every band. Null when the table keeps every band.</summary>
    public IReadOnlyList<PointsCurvePoint>? Curve { get; init; }
    /// <summary>What the compact table leaves out, and why (families left out, bands merged). Null when it keeps every band.</summary>
    public IReadOnlyList<LeftOutDetail>? LeftOut { get; init; }
    /// <summary>The sample of training + validation rows the compact table was chosen on; null when chosen on every row.</summary>
    public PointsSelectionSample? Sample { get; init; }
}

/// <summary>The rows a compact points table was chosen on at large sizes: every conversion and a share of the other
/// rows, each weighted for those left out. The chosen table's points, scale and support are fitted on every row.</summary>
/// <param name="Rows">Rows in the sample.</param>
/// <param name="Of">Training + validation rows it was drawn from.</param>
/// <param name="NegativeShare">Share of the non-converting rows kept.</param>
public sealed record PointsSelectionSample(int Rows, int Of, double NegativeShare);

/// <summary>One size of the points table and how well it ranks.</summary>
/// <param name="Criteria">Criteria in the table.</param>
/// <param name="ValidationRocAuc">Points-only ROC-AUC on the validation period (the table is chosen on training + validation leads).</param>
/// <param name="TestRocAuc">On the test period.</param>
/// <param name="Ratio">The test figure's share of the model's test ROC-AUC.</param>
public sealed record PointsCurvePoint(int Criteria, double? ValidationRocAuc, double? TestRocAuc, double? Ratio);

/// <summary>Detail the compact points table does not carry.</summary>
/// <param name="Family">The family's id (as in <see cref="FamilyImportance.Family"/>).</param>
/// <param name="Label">Its label.</param>
/// <param name="Group">Fit or engagement.</param>
/// <param name="Bands">Criteria it has with every band.</param>
/// <param name="Kept">Criteria it keeps in the table (0: left out).</param>
/// <param name="Why">Why, in words.</param>
public sealed record LeftOutDetail(string Family, string Label, CriterionGroup Group, int Bands, int Kept, string Why);

/// <summary>The points-only score's ranking on one period.</summary>
/// <param name="Rows">Lead snapshots.</param>
/// <param name="RocAuc">Points-only ROC-AUC (null with one class).</param>
/// <param name="Ratio">Its share of the model's ROC-AUC (test only).</param>
public sealed record PointsFigures(int Rows, double? RocAuc = null, double? Ratio = null);

/// <summary>The suggested threshold.</summary>
/// <param name="SalesReady">Score from which a lead is sales-ready (0–100).</param>
/// <param name="Hysteresis">Points below it before a sales-ready lead counts as gone cold.</param>
/// <param name="Why">How it was chosen, in words.</param>
public sealed record ThresholdChoice(double SalesReady, double Hysteresis, string Why);

/// <summary>Grade statistics on the test and validation periods.</summary>
/// <param name="Test">On the test period (what the report promises).</param>
/// <param name="Validation">On the validation period (where the grades were chosen).</param>
public sealed record GradesByPeriod(IReadOnlyList<GradeStat> Test, IReadOnlyList<GradeStat> Validation);

/// <summary>The fit × engagement matrix's cells on the test and validation periods.</summary>
/// <param name="Test">On the test period (what the report promises).</param>
/// <param name="Validation">On the validation period (where the cut-offs were chosen).</param>
public sealed record MatrixByPeriod(IReadOnlyList<MatrixCell> Test, IReadOnlyList<MatrixCell> Validation);

/// <summary>A trait of the ideal prospect: how over-represented it is among converters.</summary>
/// <param name="Criterion">The criterion's id.</param>
/// <param name="Label">Its label.</param>
/// <param name="Group">Fit or engagement.</param>
/// <param name="Lift">Conversion rate with the trait divided by the overall conversion rate.</param>
/// <param name="Leads">Leads with the trait.</param>
/// <param name="Conversions">Of which converted.</param>
/// <param name="ShareOfConverters">Share of all converters that had the trait.</param>
/// <param name="ShareOfLeads">Share of all leads that had the trait.</param>
public sealed record ProfileTrait(string Criterion, string Label, CriterionGroup Group, double Lift, int Leads, int Conversions, double ShareOfConverters, double ShareOfLeads);

/// <summary>How much of the model's variation a family of features carries.</summary>
/// <param name="Family">The family's id.</param>
/// <param name="Label">Its label.</param>
/// <param name="Group">Fit or engagement.</param>
/// <param name="MeanAbsContribution">Mean absolute contribution to the margin (log-odds).</param>
/// <param name="Share">Its share of all families' contributions (0–1).</param>
/// <param name="Kept">Whether it became criteria.</param>
/// <param name="Representative">The family kept in its place when it was folded into another, else null.</param>
public sealed record FamilyImportance(string Family, string Label, CriterionGroup Group, double MeanAbsContribution, double Share, bool Kept, string? Representative);

/// <summary>The source-generated serializer of <see cref="BundleMetrics"/>: the bundle files' settings (camelCase,
/// indented, enums as camelCase strings), absent values left out.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(CamelCaseEnums<ModelKind>), typeof(CamelCaseEnums<CriterionGroup>), typeof(CamelCaseEnums<LeakKind>), typeof(CamelCaseEnums<HistoryTime>)])]
[JsonSerializable(typeof(BundleMetrics))]
[JsonSerializable(typeof(ComparisonResult))]
public sealed partial class BundleMetricsJson : JsonSerializerContext;
