using LeadML.Api.Monitoring;
using LeadML.Features.Bundles;
using LeadML.Features.Monitoring;
using LeadML.Features.Featurization;
using LeadML.Features.Rules;

namespace LeadML.Api.Scoring;

/// <summary>
/// One loaded scoring model: its bundle, the shared featurizer, the model (a managed evaluator of the trees, proven
/// equal to XGBoost by tests, or the logistic regression), calibration, and the rule set in force. Immutable: a new
/// bundle or rule set makes a new instance that replaces this one atomically, so a request sees one version
/// throughout.
/// </summary>
public sealed class ScoringModel
{
    private readonly BundlePredictor _predictor;

    private ScoringModel(string name, ModelBundle bundle, BundlePredictor predictor, RuleSet suggested, RuleSet rules, RuleSetSource source, LiveDrift? drift)
    {
        Suggested = suggested;
        Drift = drift;
        Name = name;
        Bundle = bundle;
        _predictor = predictor;
        Featurizer = new Featurizer(bundle.Spec);
        Aligner = new AttributeAligner(bundle.Spec);
        Rules = rules;
        RuleSource = source;
        Evaluator = new RuleEvaluator(rules, bundle.Spec);
        EventTypes = bundle.Spec.Channels.Select(c => c.Type).ToHashSet(StringComparer.Ordinal);
        Levels = bundle.Spec.Attributes.ToDictionary(a => a.Column, a => a.Levels.ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
    }

    public string Name { get; }

    /// <summary>Live drift against the bundle's training distributions; null for bundles without a reference.</summary>
    public LiveDrift? Drift { get; }
    public ModelBundle Bundle { get; }
    public Featurizer Featurizer { get; }
    public AttributeAligner Aligner { get; }
    public RuleSet Rules { get; }
    public RuleSetSource RuleSource { get; }
    public RuleEvaluator Evaluator { get; }
    public string ModelVersion => Bundle.Manifest.ModelVersion;
    public FeatureSpec Spec => Bundle.Spec;
    public int Width => Featurizer.Width;

    /// <summary>Event types the model has features for (others are reported as unknown).</summary>
    public IReadOnlySet<string> EventTypes { get; }

    /// <summary>Known category levels per attribute column (others score as "(other)" and are reported).</summary>
    public IReadOnlyDictionary<string, HashSet<string>> Levels { get; }

    /// <summary>The rule set's version label: "suggested" or "v3".</summary>
    public string RuleSetVersion => RuleSource == RuleSetSource.Suggested ? "suggested" : $"v{Rules.Version}";

    /// <summary>Loads a bundle folder with its suggested rule set (or <paramref name="approved"/> when given).</summary>
    public static ScoringModel Load(string name, string directory, RuleSet? approved = null)
    {
        var bundle = ModelBundle.Load(directory);
        var predictor = BundlePredictor.For(bundle);
        var suggested = bundle.ReadOptional<RuleSet>(ModelBundle.SuggestedRuleSetFile)
            ?? throw new BundleException(directory, $"is missing {ModelBundle.SuggestedRuleSetFile}; retrain it with this LeadML");
        var reference = bundle.ReadOptional<DriftReference>(DriftReference.FileName);
        var drift = reference is null ? null : new LiveDrift(reference);
        return approved is null
            ? new ScoringModel(name, bundle, predictor, suggested, suggested, RuleSetSource.Suggested, drift)
            : new ScoringModel(name, bundle, predictor, suggested, approved, RuleSetSource.Approved, drift);
    }

    /// <summary>The same model with another rule set in force.</summary>
    public ScoringModel WithRules(RuleSet rules, RuleSetSource source) => new(Name, Bundle, _predictor, Suggested, rules, source, Drift);

    /// <summary>The same model with <paramref name="rules"/> tried, not in force: it observes no live drift, since the leads
    /// it scores (what-if, impact, a lead tried on the review page) are not traffic.</summary>
    public ScoringModel ForTrial(RuleSet rules) => new(Name, Bundle, _predictor, Suggested, rules, RuleSource, null);

    /// <summary>The bundle's suggested rule set, as loaded with it.</summary>
    public RuleSet Suggested { get; }

    /// <summary>Log-odds of converting within the horizon.</summary>
    public double Margin(ReadOnlySpan<float> x) => _predictor.Margin(x);

    /// <summary>Per-feature contributions to <see cref="Margin"/> plus the bias in the last slot; they sum to it.</summary>
    public void Contributions(ReadOnlySpan<float> x, Span<double> phi) => _predictor.Contributions(x, phi);

    /// <summary>The calibrated probability for a margin.</summary>
    public double Probability(double margin) => Bundle.Calibration.Apply(margin);

    /// <summary>A margin on the rules' 0–100 scale: <c>base + factor × (margin − reference margin)</c>, clamped.</summary>
    public double MarginPoints(double margin) => Math.Clamp(Rules.BasePoints + Rules.Scale.Factor * (margin - Rules.Scale.ReferenceMargin), 0, 100);
}
