using LeadML.Features.Featurization;
using LeadML.Features.Rules;

namespace LeadML.Api.RuleSets;

/// <summary>
/// A rule set as a client sends it to edit a draft (<c>PUT</c>) or to try it (<c>POST …/whatif</c>). Every part is
/// optional: a missing part keeps the one it edits. The output of <c>GET /rulesets/{model}/{version}</c> is valid
/// input (parts the Api computes, such as support, are ignored).
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
    /// <summary>Who edits (audited).</summary>
    public string? EditedBy { get; init; }
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
