using LeadML.Features.Engine;
using LeadML.Features.Trees;

namespace LeadML.Features.Bundles;

/// <summary>
/// A bundle's model as the Api serves it: the managed evaluator of the trees (<see cref="TreeEnsemble"/>, proven equal
/// to XGBoost by tests) or the logistic regression. Immutable and safe to share between threads; the native engine
/// is used once, to read the trees, and released.
/// </summary>
public sealed class BundlePredictor
{
    private readonly TreeEnsemble? _trees;
    private readonly LinearModel? _linear;

    private BundlePredictor(TreeEnsemble? trees, LinearModel? linear)
    {
        _trees = trees;
        _linear = linear;
    }

    /// <summary>The predictor of a loaded bundle.</summary>
    /// <exception cref="BundleException">The model's feature count differs from the bundle's features.</exception>
    public static BundlePredictor For(ModelBundle bundle)
    {
        if (bundle.Trees is null)
        {
            return new BundlePredictor(null, bundle.Linear ?? throw new BundleException(bundle.Directory ?? "", $"has neither {ModelBundle.TreesFile} nor {ModelBundle.LinearFile}"));
        }
        using var booster = Booster.Load(bundle.Trees);
        var trees = TreeEnsemble.FromXGBoostJson(booster.SaveJson());
        if (trees.FeatureCount != bundle.Spec.Features.Count)
        {
            throw new BundleException(bundle.Directory ?? "", $"{ModelBundle.TreesFile} has {trees.FeatureCount} features but {ModelBundle.FeaturesFile} has {bundle.Spec.Features.Count}");
        }
        return new BundlePredictor(trees, null);
    }

    /// <summary>Log-odds of converting within the horizon for one feature vector.</summary>
    public double Margin(ReadOnlySpan<float> x) => _trees is not null ? _trees.Margin(x) : _linear!.Margin(x);

    /// <summary>The margins of <paramref name="rows"/> feature vectors laid out row after row.</summary>
    public double[] Margins(float[] x, int rows, int width)
    {
        var margins = new double[rows];
        for (var i = 0; i < rows; i++) margins[i] = Margin(x.AsSpan(i * width, width));
        return margins;
    }

    /// <summary>Per-feature contributions to <see cref="Margin"/> plus the bias in the last slot; they sum to it.</summary>
    public void Contributions(ReadOnlySpan<float> x, Span<double> phi)
    {
        if (_trees is not null) _trees.Contributions(x, phi);
        else _linear!.Contributions(x, phi);
    }
}
