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
    /// condition and points. A list that leaves out criteria of the draft is refused unless <see cref="DropMissing"/>
    /// is true.</summary>
    public List<CriterionInput?>? Criteria { get; init; }
    /// <summary>The complete list of knock-outs (disqualifiers: a lead matching one is never sales-ready and gets the
    /// lowest grade). Edited like <see cref="Criteria"/>: an item whose id the rule set has inherits what it leaves out;
    /// a new id needs a condition (its label defaults to the condition in words). A list that leaves out knock-outs of
    /// the draft is refused unless <see cref="DropMissing"/> is true.</summary>
    public List<KnockOutInput?>? KnockOuts { get; init; }
    /// <summary>The sales-ready threshold and its hysteresis.</summary>
    public ThresholdsInput? Thresholds { get; init; }
    /// <summary>Grade bands, best first, with strictly descending minimum scores.</summary>
    public List<GradeBandInput?>? Grades { get; init; }
    /// <summary>The fit × engagement cut-offs: <c>fit</c> (lowest fit part for A, B, C) and <c>engagement</c> (lowest
    /// engagement part for 1, 2, 3), each three values from 100 down to 0, or empty for an axis without criteria.</summary>
    public MatrixInput? Matrix { get; init; }
    /// <summary>Who edits (audited).</summary>
    public string? EditedBy { get; init; }
    /// <summary><c>PUT</c> only: true to remove the criteria (and knock-outs) the <see cref="Criteria"/> (and
    /// <see cref="KnockOuts"/>) list leaves out. Without it a list
    /// that would drop criteria is refused, so a partial list sent by mistake never deletes them.</summary>
    public bool? DropMissing { get; init; }

    /// <summary>Kept by the Api and ignored on input: accepted so that a GET answer can be sent back.</summary>
    public int? FormatVersion { get; init; }
    /// <summary>Kept by the Api and ignored on input: accepted so that a GET answer can be sent back.</summary>
    public RuleSetStatus? Status { get; init; }
    /// <summary>Kept by the Api and ignored on input: accepted so that a GET answer can be sent back.</summary>
    public string? ModelVersion { get; init; }
    /// <summary>Kept by the Api and ignored on input: accepted so that a GET answer can be sent back.</summary>
    public DateTime? CreatedAt { get; init; }
    /// <summary>Kept by the Api and ignored on input: accepted so that a GET answer can be sent back.</summary>
    public string? ApprovedBy { get; init; }
    /// <summary>Kept by the Api and ignored on input: accepted so that a GET answer can be sent back.</summary>
    public DateTime? ApprovedAt { get; init; }
    /// <summary>Kept by the Api and ignored on input: accepted so that a GET answer can be sent back.</summary>
    public string? Comment { get; init; }
    /// <summary>Kept by the Api and ignored on input: accepted so that a GET answer can be sent back.</summary>
    public int? BasedOn { get; init; }
    /// <summary>Kept by the Api and ignored on input: accepted so that a GET answer can be sent back.</summary>
    public PointsScale? Scale { get; init; }
    /// <summary>Kept by the Api and ignored on input: accepted so that a GET answer can be sent back.</summary>
    public List<CapGroup>? CapGroups { get; init; }
    /// <summary>Kept by the Api and ignored on input: accepted so that a GET answer can be sent back.</summary>
    public CapGroup? TotalCap { get; init; }
}

/// <summary>
/// A change of a draft (<c>PATCH /rulesets/{model}/{version}</c>), a JSON merge patch (RFC 7396): what it sends is
/// changed, what it leaves out is kept. <see cref="Criteria"/> is an object by criterion id: a criterion the draft has
/// takes the fields sent (<c>{"points": 12}</c>, <c>{"enabled": false}</c>), a new id is added (label, condition and
/// points required) and an id sent as null is removed. Sent as <c>application/merge-patch+json</c> or <c>application/json</c>.
/// </summary>
public sealed record RuleSetPatch
{
    private readonly double? _basePoints;
    private readonly Dictionary<string, CriterionInput?>? _criteria;
    private readonly ThresholdsInput? _thresholds;
    private readonly List<GradeBandInput?>? _grades;
    private readonly Dictionary<string, KnockOutInput?>? _knockOuts;

    /// <summary>Points every lead starts with, 0–100.</summary>
    public double? BasePoints { get => _basePoints; init { _basePoints = value; Sent.Add("basePoints"); } }
    /// <summary>Criteria to change, add or remove (null), by id.</summary>
    public Dictionary<string, CriterionInput?>? Criteria { get => _criteria; init { _criteria = value; Sent.Add("criteria"); } }
    /// <summary>Knock-outs to change, add or remove (null), by id: <c>{"unsubscribed": {"enabled": false}}</c>.</summary>
    public Dictionary<string, KnockOutInput?>? KnockOuts { get => _knockOuts; init { _knockOuts = value; Sent.Add("knockOuts"); } }
    /// <summary>The sales-ready threshold and hysteresis to change (either or both).</summary>
    public ThresholdsInput? Thresholds { get => _thresholds; init { _thresholds = value; Sent.Add("thresholds"); } }
    /// <summary>All grade bands, best first (a list is replaced whole, as merge patch does with arrays).</summary>
    public List<GradeBandInput?>? Grades { get => _grades; init { _grades = value; Sent.Add("grades"); } }
    /// <summary>Who edits (audited).</summary>
    public string? EditedBy { get; init; }

    /// <summary>The parts the body named, null or not: a merge patch tells "null" (remove) from "left out" (keep).</summary>
    [System.Text.Json.Serialization.JsonIgnore] public HashSet<string> Sent { get; } = [];
}

/// <summary>One criterion as sent; see <see cref="RuleSetInput.Criteria"/>.</summary>
public sealed record CriterionInput
{
    /// <summary>The criterion's id: an id the rule set has edits that criterion; a new id adds one.</summary>
    public string? Id { get; init; }
    /// <summary>What a person reads, e.g. <c>Viewed pricing 3+ times in 30 days</c>.</summary>
    public string? Label { get; init; }
    /// <summary>A longer explanation, optional.</summary>
    public string? Description { get; init; }
    /// <summary><c>fit</c> (who the lead is) or <c>engagement</c> (what the lead did).</summary>
    public CriterionGroup? Group { get; init; }
    /// <summary>The cap group whose limit its points count towards, optional.</summary>
    public string? CapGroup { get; init; }
    /// <summary>When it fires.</summary>
    public ConditionInput? Condition { get; init; }
    /// <summary>Whole points from −100 to 100.</summary>
    public double? Points { get; init; }
    /// <summary>Whether it counts; a disabled criterion stays in the rule set.</summary>
    public bool? Enabled { get; init; }

    /// <summary>Computed by the Api and ignored on input: accepted so that a GET answer can be sent back.</summary>
    public Support? Support { get; init; }
    /// <summary>Computed by the Api and ignored on input: accepted so that a GET answer can be sent back.</summary>
    public PointsInterval? Interval { get; init; }
    /// <summary>Computed by the Api and ignored on input: accepted so that a GET answer can be sent back.</summary>
    public bool? LowSupport { get; init; }
}

/// <summary>One knock-out as sent; see <see cref="RuleSetInput.KnockOuts"/>.</summary>
public sealed record KnockOutInput
{
    /// <summary>The knock-out's id: an id the rule set has edits that knock-out; a new id adds one.</summary>
    public string? Id { get; init; }
    /// <summary>What a person reads, e.g. <c>Unsubscribed at some time</c>; defaults to the condition in words.</summary>
    public string? Label { get; init; }
    /// <summary>Why a lead matching it is never sales-ready, optional.</summary>
    public string? Description { get; init; }
    /// <summary>When it fires (the conditions of criteria).</summary>
    public ConditionInput? Condition { get; init; }
    /// <summary>Whether it applies; a disabled knock-out stays in the rule set.</summary>
    public bool? Enabled { get; init; }

    /// <summary>Computed by the trainer and ignored on input: accepted so that a GET answer can be sent back.</summary>
    public KnockOutEvidence? Evidence { get; init; }
}

/// <summary>A condition as sent; the feature must be one of the model's (<c>GET /rulesets/{model}/features</c>).</summary>
public sealed record ConditionInput
{
    /// <summary>The feature's name, one of <c>GET /rulesets/{model}/features</c>.</summary>
    public string? Feature { get; init; }
    /// <summary><c>eq</c> (equals <c>value</c>), <c>gte</c> (at least), <c>lt</c> (below), <c>between</c>
    /// (<c>value</c> ≤ x &lt; <c>upper</c>), <c>missing</c> or <c>present</c>.</summary>
    public ConditionOp? Op { get; init; }
    /// <summary>The value compared with (for a category, its code as the features list gives it).</summary>
    public double? Value { get; init; }
    /// <summary>The upper bound of <c>between</c> (excluded).</summary>
    public double? Upper { get; init; }
    /// <summary>Also fires when the feature is missing.</summary>
    public bool? OrMissing { get; init; }
}

/// <summary>A condition in a marketer's words (<c>POST /rulesets/{model}/label</c>).</summary>
/// <param name="Label">The sentence the condition reads as, e.g. <c>Viewed /pricing 3 or more times in the last 30 days</c>:
/// the label a criterion or knock-out over it gets unless another is typed.</param>
public sealed record ConditionLabel(string Label);

/// <summary>The fit × engagement cut-offs as sent; a missing axis keeps the one it edits.</summary>
/// <param name="Fit">The lowest fit part (0–100) for A, B and C, highest first; below the last: D.</param>
/// <param name="Engagement">The lowest engagement part (0–100) for 1, 2 and 3, highest first; below the last: 4.</param>
public sealed record MatrixInput(List<double>? Fit, List<double>? Engagement);

/// <summary>Thresholds as sent: sales-ready score 0–100, hysteresis 0–50 points.</summary>
/// <param name="SalesReady">Score (0–100) at or above which a lead is sales-ready.</param>
/// <param name="Hysteresis">Points (0–50) a sales-ready lead must fall below the threshold to go cold.</param>
public sealed record ThresholdsInput(double? SalesReady, double? Hysteresis);

/// <summary>A grade band as sent: its name, its minimum score (0–100) and an optional label.</summary>
/// <param name="Grade">The grade's name, e.g. <c>A</c>.</param>
/// <param name="MinScore">The lowest score (0–100) in this grade.</param>
/// <param name="Label">What the grade means, optional.</param>
public sealed record GradeBandInput(string? Grade, double? MinScore, string? Label);

/// <summary>Body of <c>POST /rulesets/{model}/drafts</c>: the version to start from (null or 0 = the suggestion).</summary>
/// <param name="From">The version to copy; null or 0 copies the suggestion.</param>
/// <param name="CreatedBy">Who creates the draft (audited).</param>
public sealed record DraftRequest(int? From, string? CreatedBy);

/// <summary>Body of <c>POST …/approve</c>.</summary>
/// <param name="ApprovedBy">Who approves (required, audited).</param>
/// <param name="Comment">Why, optional (audited).</param>
public sealed record ApproveRequest(string? ApprovedBy, string? Comment);

/// <summary>Body of <c>POST …/restore</c>.</summary>
/// <param name="RestoredBy">Who restores (required, audited).</param>
/// <param name="Comment">Why, optional (audited).</param>
public sealed record RestoreRequest(string? RestoredBy, string? Comment);

/// <summary>Which rule set scores a model now.</summary>
/// <param name="Version">Its version number; 0 for the bundle's suggestion.</param>
/// <param name="Label">"suggested" or "v3", as in score answers.</param>
/// <param name="Source">"suggested" or "approved".</param>
public sealed record InForce(int Version, string Label, string Source);

/// <summary>One version in a list, without its criteria.</summary>
/// <param name="KnockOuts">How many enabled knock-outs (disqualifiers) it holds.</param>
public sealed record RuleSetSummary(int Version, RuleSetStatus Status, string ModelVersion, DateTime CreatedAt, string? CreatedBy,
    DateTime? ApprovedAt, string? ApprovedBy, string? Comment, int? BasedOn, int Criteria, int EnabledCriteria, bool InForce, int KnockOuts = 0);

/// <summary>Answer of <c>GET /rulesets/{model}</c>: the suggestion, every stored version (oldest first), the open drafts and
/// which is in force.</summary>
/// <param name="Drafts">The drafts not yet approved nor discarded, most recently changed first: several reviewers may each
/// have one open, so a client lets its user choose rather than take the newest.</param>
public sealed record RuleSetList(string Model, string ModelVersion, InForce InForce, RuleSetSummary Suggestion, IReadOnlyList<RuleSetSummary> Versions,
    IReadOnlyList<OpenDraft> Drafts);

/// <summary>A draft still open: who started it, from which version, and its last change.</summary>
/// <param name="Version">The draft's version number.</param>
/// <param name="BasedOn">The version it was copied from; null for a copy of the suggestion.</param>
/// <param name="CreatedBy">Who created it; null when no name was given.</param>
/// <param name="CreatedAt">When it was created (UTC).</param>
/// <param name="UpdatedAt">When it last changed (UTC): its last edit, or its creation.</param>
/// <param name="UpdatedBy">Who made that change; null when no name was given.</param>
/// <param name="Edits">How many times it was edited.</param>
/// <param name="Criteria">How many criteria it has.</param>
public sealed record OpenDraft(int Version, int? BasedOn, string? CreatedBy, DateTime CreatedAt, DateTime UpdatedAt, string? UpdatedBy, int Edits, int Criteria);

/// <summary>One version with its rules.</summary>
public sealed record RuleSetView(RuleSetSummary Summary, RuleSet Rules);

/// <summary>A feature criteria can be written over.</summary>
public sealed record KnownFeature(string Name, string Label, FeatureKind Kind, CriterionGroup Group, bool Negative);
