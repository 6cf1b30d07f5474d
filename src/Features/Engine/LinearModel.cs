namespace LeadML.Features.Engine;

/// <summary>
/// A logistic regression on standardised features: margin (log-odds) =
/// <c>Intercept + Σ Weights[j] · (x[j] − Means[j]) / Scales[j]</c>. Saved in the bundle as <c>linear.json</c>
/// (System.Text.Json, web defaults). A missing value (NaN) is read as the training mean, so it adds nothing.
/// </summary>
public sealed class LinearModel
{
    /// <summary>Log-odds of a lead whose every feature sits at its training mean.</summary>
    public double Intercept { get; init; }

    /// <summary>
    /// Log-odds per unit of <c>(x − mean) / scale</c>, in feature-vector order: per standard deviation for numbers, per
    /// level for 0/1 indicators (whose scale is 1).
    /// </summary>
    public double[] Weights { get; init; } = [];

    /// <summary>Training mean of each feature (over non-missing values); the baseline of the contributions.</summary>
    public double[] Means { get; init; } = [];

    /// <summary>
    /// Training standard deviation of each numeric feature; 1 for a 0/1 indicator (category level, flag) and for a
    /// constant feature (whose weight is 0).
    /// </summary>
    public double[] Scales { get; init; } = [];

    /// <summary>Number of features the model expects.</summary>
    /// <summary>Features read as <c>ln(1 + x)</c> before standardising (long-tailed counts and durations); null: none.</summary>
    public bool[]? Log1p { get; init; }

    public int Width => Weights.Length;

    /// <summary>The log-odds margin for one feature vector of <see cref="Width"/> values.</summary>
    /// <exception cref="ArgumentException">The vector's length is not <see cref="Width"/>.</exception>
    public double Margin(ReadOnlySpan<float> x)
    {
        CheckWidth(x.Length, nameof(x));
        var margin = Intercept;
        for (var j = 0; j < Weights.Length; j++)
        {
            margin += Term(x[j], j);
        }
        return margin;
    }

    /// <summary>
    /// Splits the margin into per-feature contributions: <paramref name="phi"/>[j] is feature j's share in log-odds
    /// and the last element is the intercept, so the elements sum to <see cref="Margin"/>. For a linear model these
    /// are exactly the interventional SHAP values with the training mean as the baseline.
    /// </summary>
    /// <param name="x">One feature vector of <see cref="Width"/> values; NaN contributes 0.</param>
    /// <param name="phi">Receives <see cref="Width"/> + 1 values.</param>
    public void Contributions(ReadOnlySpan<float> x, Span<double> phi)
    {
        CheckWidth(x.Length, nameof(x));
        if (phi.Length != Weights.Length + 1)
        {
            throw new ArgumentException($"phi has {phi.Length} elements; the model needs {Weights.Length + 1} (features + intercept)", nameof(phi));
        }
        for (var j = 0; j < Weights.Length; j++)
        {
            phi[j] = Term(x[j], j);
        }
        phi[^1] = Intercept;
    }

    private double Term(float value, int j)
    {
        if (float.IsNaN(value)) return 0.0;
        double v = value;
        if (Log1p is { } log && log[j]) v = Math.Log(1 + Math.Max(0, v));
        return Weights[j] * (v - Means[j]) / Scales[j];
    }

    private void CheckWidth(int length, string name)
    {
        if (length != Weights.Length)
        {
            throw new ArgumentException($"the feature vector has {length} values; the model expects {Weights.Length}", name);
        }
    }
}
