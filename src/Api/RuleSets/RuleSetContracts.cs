using LeadML.Features.Featurization;
using LeadML.Features.Rules;

namespace LeadML.Api.RuleSets;

/// <summary>
/// A rule set as a client sends it to edit a draft (<c>PUT</c>) or to try it (<c>POST …/whatif</c>). Every part is
/// optional: a missing part keeps the one it edits. The <c>rules</c> of <c>GET /rulesets/{model}/{version}</c> are
/// valid input: the parts the Api computes or keeps (its format, status, dates, approval, scale and caps; a criterion's
/// support) are accepted so that they can be sent back, and ignored. Any other property is refused.
/// </summary>
public sealed record RuleSetInput
{
    /// <summary>What-if only: <c>{"version": n}</c> alone evaluates that stored version (0 = the bundle's suggestion); with
    /// any other part present the body is a rule set and this is ignored.</summary>
    public int? Version { get; init; }
    /// <summary>Points every lead starts with, 0–100.</summary>
    public double? BasePoints { get; init; }
    /// <summary>The complete list of criteria. An item whose id the edited rule set has inherits every field it
    /// leaves out (so <c>{ "id": "…", "points": 12 }</c> changes only the points); a new id needs a label, a
    /// condition and points. Criteria left out of the list are removed.</summary>
    public List<CriterionInput?>? Criteria { get; init; }
    public ThresholdsInput? Thresholds { get; init; }
    /// <summary>Grade bands, best first, with strictly descending minimum scores.</summary>
    public List<GradeBandInput?>? Grades { get; init; }
    /// <summary>The fit × engagement cut-offs: <c>fit</c> (lowest fit part for A, B, C) and <c>engagement</c> (lowest
    /// engagement part for 1, 2, 3), each three values from 100 down to 0, or empty for an axis without criteria.</summary>
    public MatrixInput? Matrix { get; init; }
    /// <summary>Who edits (audited).</summary>
    public string? EditedBy { get; init; }

    // Kept by the Api, ignored on input (see the type's summary).
    public int? FormatVersion { get; init; }
    public RuleSetStatus? Status { get; init; }
    public string? ModelVersion { get; init; }
    public DateTime? CreatedAt { get; init; }
    public string? ApprovedBy { get; init; }
    public DateTime? ApprovedAt { get; init; }
    public string? Comment { get; init; }
    public int? BasedOn { get; init; }
    public PointsScale? Scale { get; init; }
    public List<CapGroup>? CapGroups { get; init; }
    public CapGroup? TotalCap { get; init; }
}

/// <summary>One criterion as sent; see <see cref="RuleSetInput.Criteria"/>.</summary>
public sealed record CriterionInput
{
    public string? Id { get; init; }
    public string? Label { get; init; }
    public string? Description { get; init; }
    public CriterionGroup? Group { get; init; }
    public string? CapGroup { get; init; }
    public ConditionInput? Condition { get; init; }
    /// <summary>Whole points from −100 to 100.</summary>
    public double? Points { get; init; }
    public bool? Enabled { get; init; }

    // Computed by the Api, ignored on input (see RuleSetInput's summary).
    public Support? Support { get; init; }
    public PointsInterval? Interval { get; init; }
    public bool? LowSupport { get; init; }
}

/// <summary>A condition as sent; the feature must be one of the model's (<c>GET /rulesets/{model}/features</c>).</summary>
public sealed record ConditionInput
{
    public string? Feature { get; init; }
    public ConditionOp? Op { get; init; }
    public double? Value { get; init; }
    public double? Upper { get; init; }
    public bool? OrMissing { get; init; }
}

/// <summary>The fit × engagement cut-offs as sent; a missing axis keeps the one it edits.</summary>
public sealed record MatrixInput(List<double>? Fit, List<double>? Engagement);

/// <summary>Thresholds as sent: sales-ready score 0–100, hysteresis 0–50 points.</summary>
public sealed record ThresholdsInput(double? SalesReady, double? Hysteresis);

/// <summary>A grade band as sent: its name, its minimum score (0–100) and an optional label.</summary>
public sealed record GradeBandInput(string? Grade, double? MinScore, string? Label);

/// <summary>Body of <c>POST /rulesets/{model}/drafts</c>: the version to start from (null or 0 = the suggestion).</summary>
public sealed record DraftRequest(int? From, string? CreatedBy);

/// <summary>Body of <c>POST …/approve</c>.</summary>
public sealed record ApproveRequest(string? ApprovedBy, string? Comment);

/// <summary>Body of <c>POST …/restore</c>.</summary>
public sealed record RestoreRequest(string? RestoredBy, string? Comment);

/// <summary>Which rule set scores a model now.</summary>
/// <param name="Version">Its version number; 0 for the bundle's suggestion.</param>
/// <param name="Label">"suggested" or "v3", as in score answers.</param>
/// <param name="Source">"suggested" or "approved".</param>
public sealed record InForce(int Version, string Label, string Source);

/// <summary>One version in a list, without its criteria.</summary>
public sealed record RuleSetSummary(int Version, RuleSetStatus Status, string ModelVersion, DateTime CreatedAt, string? CreatedBy,
    DateTime? ApprovedAt, string? ApprovedBy, string? Comment, int? BasedOn, int Criteria, int EnabledCriteria, bool InForce);

/// <summary>Answer of <c>GET /rulesets/{model}</c>: the suggestion, every stored version (oldest first) and which is in force.</summary>
public sealed record RuleSetList(string Model, string ModelVersion, InForce InForce, RuleSetSummary Suggestion, IReadOnlyList<RuleSetSummary> Versions);

/// <summary>One version with its rules.</summary>
public sealed record RuleSetView(RuleSetSummary Summary, RuleSet Rules);

/// <summary>A feature criteria can be written over.</summary>
public sealed record KnownFeature(string Name, string Label, FeatureKind Kind, CriterionGroup Group, bool Negative);
