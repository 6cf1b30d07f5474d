using System.Text.Json.Serialization;
using LeadML.Features.Featurization;

namespace LeadML.Features.Rules;

/// <summary>Where a rule set stands in its life: suggested by the trainer, a draft being edited, or approved.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RuleSetStatus>))]
public enum RuleSetStatus
{
    Suggested,
    Draft,
    Approved,
}

/// <summary>How a condition compares a feature value.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ConditionOp>))]
public enum ConditionOp
{
    /// <summary>value == <see cref="Condition.Value"/> (flags and category levels: 1).</summary>
    Eq,
    /// <summary>value ≥ <see cref="Condition.Value"/>.</summary>
    Gte,
    /// <summary>value &lt; <see cref="Condition.Value"/>.</summary>
    Lt,
    /// <summary><see cref="Condition.Value"/> ≤ value &lt; <see cref="Condition.Upper"/>.</summary>
    Between,
    /// <summary>The value is missing (e.g. no activity ever, for a recency feature).</summary>
    Missing,
    /// <summary>The value is present, whatever it is (e.g. "some activity ever").</summary>
    Present,
}

/// <summary>A machine-checkable condition over one feature of the shared definitions (<see cref="FeatureNames"/>).</summary>
/// <param name="Feature">Feature name, e.g. <c>evt.page_view[/pricing].count_30d</c>.</param>
/// <param name="Op">Comparison.</param>
/// <param name="Value">Threshold or value compared with.</param>
/// <param name="Upper">Upper bound (exclusive) for <see cref="ConditionOp.Between"/>.</param>
/// <param name="OrMissing">Also true when the value is missing (e.g. "no activity for 60+ days" includes "never").</param>
public sealed record Condition(string Feature, ConditionOp Op, double Value = 0, double? Upper = null, bool OrMissing = false)
{
    /// <summary>Whether a feature value satisfies the condition (NaN = missing).</summary>
    public bool Matches(float value)
    {
        if (float.IsNaN(value)) return Op == ConditionOp.Missing || OrMissing;
        return Op switch
        {
            ConditionOp.Eq => value == Value,
            ConditionOp.Gte => value >= Value,
            ConditionOp.Lt => value < Value,
            ConditionOp.Between => value >= Value && value < (Upper ?? double.PositiveInfinity),
            ConditionOp.Missing => false,
            ConditionOp.Present => true,
            _ => false,
        };
    }
}

/// <summary>How many leads a criterion applies to, and how many of them converted (on the evaluation data, unless
/// <paramref name="Period"/> names another period: <c>training</c> for a level no evaluation lead had, whose points
/// were read on the training leads that had it).</summary>
/// <param name="Leads">Leads the criterion fired for.</param>
/// <param name="Conversions">How many of them converted.</param>
/// <param name="ConversionRate">Conversions / leads, 0–1.</param>
/// <param name="Period">Null for the evaluation data; <c>training</c> when read on the training leads.</param>
public sealed record Support(int Leads, int Conversions, double ConversionRate, string? Period = null);

/// <summary>An uncertainty interval for a criterion's points (e.g. a bootstrap 90 % interval).</summary>
/// <param name="Low">The interval's lower end, in points.</param>
/// <param name="High">The interval's upper end, in points.</param>
public sealed record PointsInterval(double Low, double High);

/// <summary>One scoring criterion: a condition, its points, and what a marketer needs to judge it.</summary>
public sealed record Criterion
{
    /// <summary>Stable id within the rule set, e.g. <c>industry-software</c>.</summary>
    public required string Id { get; init; }
    /// <summary>Short readable label, e.g. "pricing-page visits in the last 30 days: 3 or more".</summary>
    public required string Label { get; init; }
    /// <summary>Plain-language explanation (the procedures guide): what it means and why it has these points.</summary>
    public string Description { get; init; } = "";
    /// <summary>Fit (explicit: who the lead is) or engagement (implicit: what the lead does).</summary>
    public required CriterionGroup Group { get; init; }
    /// <summary>Optional cap group: criteria sharing it count together up to the group's cap.</summary>
    public string? CapGroup { get; init; }
    public required Condition Condition { get; init; }
    /// <summary>Points, from -100 to 100.</summary>
    public required int Points { get; init; }
    public bool Enabled { get; init; } = true;
    public Support? Support { get; init; }
    public PointsInterval? Interval { get; init; }
    /// <summary>True when too few leads support it for its points to be trusted.</summary>
    public bool LowSupport { get; init; }
}

/// <summary>What the data says of a knock-out: how many leads matched it, how many converted, and how its rate compares
/// with every lead's (the trainer's main suggestion rule: the 90 % Wilson interval's upper bound of the rate below a
/// fifth of the base rate, with at least 40 leads).</summary>
/// <param name="Leads">Leads the condition held for (on the evaluation data, one per lead).</param>
/// <param name="Conversions">How many of them converted.</param>
/// <param name="ConversionRate">Conversions / leads, 0–1.</param>
/// <param name="RateUpper">The upper bound of the 90 % Wilson score interval of that rate, 0–1.</param>
/// <param name="BaseRate">The conversion rate of every lead on the same data, 0–1.</param>
public sealed record KnockOutEvidence(int Leads, int Conversions, double ConversionRate, double RateUpper, double BaseRate)
{
    /// <summary>Which suggestion rule it met: <c>rate</c> (almost never converts: the upper bound below a fifth of the
    /// base rate) or <c>negative event</c> (an event the history marks negative, the upper bound below the base rate).</summary>
    public string? Rule { get; init; }
}

/// <summary>
/// A knock-out (disqualifier): a condition that means "never send this lead to sales, whatever the points" —
/// unsubscribed, hard-bounced, a competitor's domain, a student, a country not served. A lead matching an enabled
/// knock-out is disqualified: not sales-ready and in the lowest grade whatever its score. Conditions are those of
/// criteria; a knock-out has no points.
/// </summary>
public sealed record KnockOut
{
    /// <summary>Stable id within the rule set, e.g. <c>unsubscribed</c>; unique among the knock-outs.</summary>
    public required string Id { get; init; }
    /// <summary>Short readable label, e.g. "Unsubscribed at some time".</summary>
    public required string Label { get; init; }
    /// <summary>Plain-language explanation: why a lead matching it is never sales-ready.</summary>
    public string Description { get; init; } = "";
    public required Condition Condition { get; init; }
    /// <summary>Whether it applies; a disabled knock-out stays in the rule set.</summary>
    public bool Enabled { get; init; } = true;
    /// <summary>What the data says of it (the trainer's suggestions have it; one written by hand may not).</summary>
    public KnockOutEvidence? Evidence { get; init; }
}

/// <summary>A cap on the points that a group of criteria can add (positive) or remove (negative) together.</summary>
/// <param name="Name">Group name referenced by <see cref="Criterion.CapGroup"/>.</param>
/// <param name="Max">Most points the group adds (≥ 0).</param>
/// <param name="Min">Most points the group removes (≤ 0).</param>
public sealed record CapGroup(string Name, int Max, int Min = -100);

/// <summary>A grade band: leads scoring at least <paramref name="MinScore"/> (and below the next band) get it.</summary>
public sealed record GradeBand(string Grade, double MinScore, string Label = "");

/// <summary>
/// The fit × engagement grade of lead-scoring matrices: a letter A–D by the fit part of the rule points (who the lead
/// is, 0–100) and a digit 1–4 by the engagement part (what the lead does, 0–100), A1 the best fit and the most
/// engaged. A view to route leads by; whether a lead is sales-ready stays the score threshold.
/// </summary>
/// <param name="Fit">The lowest fit part for A, B and C, highest first (0–100); below the last: D. Empty when the rule
/// set has no fit criteria (the cell then has no letter).</param>
/// <param name="Engagement">The lowest engagement part for 1, 2 and 3, highest first; below the last: 4. Empty when the
/// rule set has no engagement criteria (the cell then has no digit).</param>
public sealed record FitEngagementMatrix(IReadOnlyList<double> Fit, IReadOnlyList<double> Engagement)
{
    /// <summary>The fit letters, best first.</summary>
    public static readonly IReadOnlyList<string> FitGrades = ["A", "B", "C", "D"];

    /// <summary>The engagement digits, most engaged first.</summary>
    public static readonly IReadOnlyList<string> EngagementGrades = ["1", "2", "3", "4"];

    /// <summary>The cell of a lead with these parts, e.g. "A2".</summary>
    public string Cell(double fit, double engagement) =>
        (Fit.Count == 0 ? "" : FitGrades[Band(Fit, fit)]) + (Engagement.Count == 0 ? "" : EngagementGrades[Band(Engagement, engagement)]);

    /// <summary>Every cell, row by row (A1, A2, … D4).</summary>
    public IReadOnlyList<string> Cells() =>
        [.. (Fit.Count == 0 ? [""] : FitGrades).SelectMany(f => (Engagement.Count == 0 ? [""] : EngagementGrades).Select(e => f + e))];

    private static int Band(IReadOnlyList<double> cuts, double part)
    {
        for (var k = 0; k < cuts.Count && k < 3; k++)
        {
            if (part >= cuts[k]) return k;
        }
        return Math.Min(cuts.Count, 3);
    }
}

/// <summary>When a lead is sales-ready, and how far it must fall before it counts as going cold.</summary>
/// <param name="SalesReady">Score at or above which a lead is sales-ready (0–100).</param>
/// <param name="Hysteresis">A sales-ready lead goes cold when it falls below <c>SalesReady - Hysteresis</c>.</param>
public sealed record Thresholds(double SalesReady, double Hysteresis);

/// <summary>How log-odds contributions map to points (scorecard convention): <c>points = factor × log-odds</c>,
/// <c>factor = PDO / ln 2</c>, so <see cref="Pdo"/> points double the odds.</summary>
/// <param name="Pdo">Points that double the odds.</param>
/// <param name="Factor">Points per unit of log-odds.</param>
/// <param name="ReferenceMargin">The model's log-odds for a lead in every family's reference (0-point) band: a
/// margin <c>m</c> is worth <c>BasePoints + Factor × (m − ReferenceMargin)</c> points, on the rules' scale.</param>
public sealed record PointsScale(double Pdo, double Factor, double ReferenceMargin = 0);

/// <summary>
/// A versioned rule set (design §6): criteria with points, base points, caps, thresholds and grades, and who
/// approved it when, and knock-outs that disqualify a lead whatever its points. Scores are <c>BasePoints + Σ points of the criteria that fire</c>, with group caps, clamped to
/// 0–100. The sales-ready threshold is the top grade's lower bound (<see cref="SalesReadyGrade"/>): a rule set read
/// from JSON whose top grade starts elsewhere (written before the rule) is read with the top grade's minimum moved to
/// the threshold, so nothing stored fails to load.
/// </summary>
public sealed record RuleSet : IJsonOnDeserialized
{
    public const int CurrentFormatVersion = 1;

    public int FormatVersion { get; init; } = CurrentFormatVersion;
    /// <summary>Version number (1, 2, …) once stored; 0 for the bundle's suggestion.</summary>
    public int Version { get; init; }
    public RuleSetStatus Status { get; init; } = RuleSetStatus.Suggested;
    /// <summary>The model version the suggestion came from.</summary>
    public required string ModelVersion { get; init; }
    public DateTime CreatedAt { get; init; }
    public string? ApprovedBy { get; init; }
    public DateTime? ApprovedAt { get; init; }
    public string? Comment { get; init; }
    /// <summary>The version a draft or restore was based on.</summary>
    public int? BasedOn { get; init; }
    public required PointsScale Scale { get; init; }
    public required double BasePoints { get; init; }
    public required IReadOnlyList<Criterion> Criteria { get; init; }
    public IReadOnlyList<CapGroup> CapGroups { get; init; } = [];
    /// <summary>Optional cap on all criteria together (after the group caps): at most <c>Max</c> points added and
    /// <c>Min</c> removed in total, whatever fires. Its name is ignored.</summary>
    public CapGroup? TotalCap { get; init; }
    public required Thresholds Thresholds { get; init; }
    /// <summary>Grade bands, best first (e.g. A ≥ 75, B ≥ 55, C ≥ 35, D ≥ 0).</summary>
    public required IReadOnlyList<GradeBand> Grades { get => _grades; init => _grades = value; }
    private IReadOnlyList<GradeBand> _grades = [];
    /// <summary>The fit × engagement matrix's cut-offs; null in rule sets written before it existed (no matrix then).</summary>
    public FitEngagementMatrix? Matrix { get; init; }
    /// <summary>Knock-outs (disqualifiers): a lead matching an enabled one is not sales-ready and gets the lowest grade,
    /// whatever its score. Empty in rule sets written before knock-outs existed.</summary>
    public IReadOnlyList<KnockOut> KnockOuts { get => _knockOuts; init => _knockOuts = value ?? []; }
    private IReadOnlyList<KnockOut> _knockOuts = [];

    /// <summary>A rule set written before the sales-ready rule is read with its top grade starting at the threshold.</summary>
    void IJsonOnDeserialized.OnDeserialized()
    {
        _knockOuts ??= [];
        if (Thresholds is not null && _grades is { Count: > 0 }) _grades = SalesReadyGrade.AlignedGrades(_grades, Thresholds.SalesReady);
    }
}
