using System.Globalization;

namespace LeadML.Features.Engine;

/// <summary>
/// XGBoost learning parameters for gradient-boosted trees. Defaults suit lead scoring: logistic loss, histogram
/// trees of depth 4, learning rate 0.1, two threads. Names in the docs are XGBoost's own parameter names.
/// </summary>
public sealed record BoosterParameters
{
    /// <summary><c>objective</c>; default <c>binary:logistic</c> (predictions are probabilities, margins log-odds).</summary>
    public string Objective { get; init; } = "binary:logistic";

    /// <summary><c>tree_method</c>; default <c>hist</c>. Validated only when training starts.</summary>
    public string TreeMethod { get; init; } = "hist";

    /// <summary><c>max_depth</c>, the maximum tree depth (≥ 0); default 4. Exact SHAP cost grows with depth squared.</summary>
    public int MaxDepth { get; init; } = 4;

    /// <summary><c>eta</c>, the learning rate in (0, 1]; default 0.1.</summary>
    public double Eta { get; init; } = 0.1;

    /// <summary><c>min_child_weight</c>, the minimum hessian sum in a leaf (≥ 0); default 1.</summary>
    public double MinChildWeight { get; init; } = 1;

    /// <summary><c>lambda</c>, L2 regularization of leaf weights (≥ 0); default 1.</summary>
    public double Lambda { get; init; } = 1;

    /// <summary><c>alpha</c>, L1 regularization of leaf weights (≥ 0); default 0.</summary>
    public double Alpha { get; init; }

    /// <summary><c>subsample</c>, the fraction of rows sampled per tree, in (0, 1]; default 1.</summary>
    public double Subsample { get; init; } = 1;

    /// <summary><c>colsample_bytree</c>, the fraction of columns sampled per tree, in (0, 1]; default 1.</summary>
    public double ColsampleByTree { get; init; } = 1;

    /// <summary><c>nthread</c>, OpenMP threads for training and prediction; default 2. Use 1 on a serving booster
    /// (a second OpenMP thread spin-waits and burns CPU between requests).</summary>
    public int NThread { get; init; } = 2;

    /// <summary><c>seed</c> for row and column sampling; default 0.</summary>
    public int Seed { get; init; }

    /// <summary><c>eval_metric</c> reported each round on the validation set and used for early stopping; default
    /// <c>logloss</c>. Lower is better except for <c>auc</c>, <c>aucpr</c>, <c>ndcg</c>, <c>map</c> and <c>pre</c>.</summary>
    public string EvalMetric { get; init; } = "logloss";

    /// <summary><c>base_score</c>, the initial prediction (a probability for <c>binary:logistic</c>); null leaves the
    /// library default (0.5 in 1.7).</summary>
    public double? BaseScore { get; init; }

    /// <summary>The parameters as XGBoost name/value pairs, numbers formatted with the invariant culture, in the
    /// order they are set on the booster. <c>base_score</c> appears only when <see cref="BaseScore"/> is set.</summary>
    public IReadOnlyList<(string Name, string Value)> ToNativeParameters()
    {
        List<(string, string)> list =
        [
            ("objective", Objective),
            ("tree_method", TreeMethod),
            ("max_depth", Format(MaxDepth)),
            ("eta", Format(Eta)),
            ("min_child_weight", Format(MinChildWeight)),
            ("lambda", Format(Lambda)),
            ("alpha", Format(Alpha)),
            ("subsample", Format(Subsample)),
            ("colsample_bytree", Format(ColsampleByTree)),
            ("nthread", Format(NThread)),
            ("seed", Format(Seed)),
            ("eval_metric", EvalMetric),
        ];
        if (BaseScore is { } baseScore) list.Add(("base_score", Format(baseScore)));
        return list;
    }

    /// <summary>Whether a larger value of <see cref="EvalMetric"/> is better (as XGBoost's own early stopping
    /// decides it).</summary>
    internal bool MetricIsMaximized => IsMaximized(EvalMetric);

    internal static bool IsMaximized(string metric) =>
        metric.StartsWith("auc", StringComparison.Ordinal) || metric.StartsWith("ndcg", StringComparison.Ordinal)
        || metric.StartsWith("map", StringComparison.Ordinal) || metric.StartsWith("pre", StringComparison.Ordinal);

    private static string Format(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
