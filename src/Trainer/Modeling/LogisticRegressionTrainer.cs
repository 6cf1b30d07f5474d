using LeadML.Features.Engine;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace LeadML.Trainer.Modeling;

/// <summary>
/// Fits an L2-regularised logistic regression with L-BFGS. Each column is centred on its mean (over its non-missing
/// values; a missing value becomes the mean). Numeric columns are also divided by their standard deviation, so one
/// <c>l2</c> treats them alike and their weights read as log-odds per standard deviation. Indicator columns (only 0
/// and 1: one-hot category levels, flags) keep their 0/1 scale, so their weights read as log-odds per level and one
/// <c>l2</c> shrinks every level alike. Dividing an indicator by its deviation √(p(1 − p)) would shrink a level the
/// less the rarer it is (a level on 0.03 % of rows would be penalised 3,000 times less than a common one): the levels
/// with the least evidence would get the largest weights. On bank-additional, where the months that fill the test
/// period are rare in training, that cost 0.745 → 0.64 test ROC-AUC at light penalties.
/// </summary>
internal static class LogisticRegressionTrainer
{
    private const int MaxIterations = 1000;

    /// <summary>Fits the model.</summary>
    /// <param name="x">Feature rows, row-major, <paramref name="rows"/> × <paramref name="width"/>; NaN is missing.</param>
    /// <param name="rows">Number of rows.</param>
    /// <param name="width">Number of features.</param>
    /// <param name="y">Labels: 1 converted, 0 not.</param>
    /// <param name="l2">
    /// Penalty <c>l2/2 · ‖w‖²</c> on the standardised weights (not the intercept), added to the MEAN log-loss. So
    /// l2 = 1e-3 is light and l2 = 1 strong whatever the row count; it equals scikit-learn's <c>1 / (C · rows)</c>.
    /// </param>
    /// <param name="weights">Row weights (e.g. to rebalance classes), or null for all 1.</param>
    /// <param name="threads">Threads the objective is evaluated on; the result does not depend on them.</param>
    /// <exception cref="ArgumentException">Sizes disagree, <paramref name="l2"/> is negative, or only one class is present.</exception>
    public static LinearModel Fit(float[] x, int rows, int width, float[] y, double l2, float[]? weights = null, int threads = 1) =>
        FitPath(x, rows, width, y, [l2], weights, threads)[0];

    /// <summary>Fits the model at each penalty of <paramref name="l2s"/>, in their order. The rows are read and
    /// standardised once for all of them, and each fit starts from the solution at the next stronger penalty (a warm
    /// start along the regularisation path, which begins each fit near its optimum): with a penalty the objective is
    /// strictly convex, so it ends at the same optimum as from the intercept alone, to the minimiser's tolerance.</summary>
    /// <param name="threads">Threads the objective is evaluated on; the result does not depend on them.</param>
    /// <exception cref="ArgumentException">As <see cref="Fit"/>, or no penalty given.</exception>
    public static LinearModel[] FitPath(float[] x, int rows, int width, float[] y, IReadOnlyList<double> l2s, float[]? weights = null, int threads = 1)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(l2s);
        if (rows <= 0 || width < 0 || x.Length < (long)rows * width)
        {
            throw new ArgumentException($"x has {x.Length} values; {rows} rows × {width} features need {(long)rows * width}", nameof(x));
        }
        if (y.Length != rows)
        {
            throw new ArgumentException($"y has {y.Length} labels for {rows} rows", nameof(y));
        }
        if (weights is not null && weights.Length != rows)
        {
            throw new ArgumentException($"weights has {weights.Length} values for {rows} rows", nameof(weights));
        }
        if (l2s.Count == 0)
        {
            throw new ArgumentException("no penalty to fit the model at", nameof(l2s));
        }
        foreach (var l2 in l2s)
        {
            if (!(l2 >= 0) || double.IsInfinity(l2))
            {
                throw new ArgumentOutOfRangeException(nameof(l2s), l2, "l2 must be a finite number ≥ 0");
            }
        }

        // Long-tailed non-negative columns (page counts, durations) are read as ln(1 + x): a few huge values would
        // otherwise dominate their standardised scale and the fit.
        var log = LongTailed(x, rows, width);
        if (log is not null) x = Log1pColumns(x, rows, width, log);
        var (means, scales, constant) = Standardisation(x, rows, width);
        var z = Standardise(x, rows, width, means, scales);
        var start = new double[width + 1];
        start[width] = StartingIntercept(y, weights);

        // Strongest penalty first: its optimum is nearest the intercept-only start, and each weaker one moves on from it.
        var models = new LinearModel[l2s.Count];
        foreach (var k in Enumerable.Range(0, l2s.Count).OrderByDescending(k => l2s[k]))
        {
            var objective = new LogisticObjective(z, rows, width, y, weights, l2s[k], threads);
            var theta = Minimise(objective, start);
            start = theta;
            var w = theta[..width];
            for (var j = 0; j < width; j++)
            {
                if (constant[j]) w[j] = 0.0;
            }
            models[k] = new LinearModel { Intercept = theta[width], Weights = w, Means = means, Scales = scales, Log1p = log };
        }
        return models;
    }

    /// <summary>Columns with only non-negative values, more than 10 distinct ones, and a skewness above 2; null when none.</summary>
    internal static bool[]? LongTailed(float[] x, int rows, int width)
    {
        bool[]? result = null;
        var values = new List<double>(rows);
        for (var j = 0; j < width; j++)
        {
            values.Clear();
            var negative = false;
            for (var i = 0; i < rows; i++)
            {
                var v = x[(long)i * width + j];
                if (float.IsNaN(v)) continue;
                if (v < 0) { negative = true; break; }
                values.Add(v);
            }
            if (negative || values.Count < 30 || values.Distinct().Take(11).Count() <= 10) continue;
            var mean = values.Average();
            var m2 = values.Average(v => (v - mean) * (v - mean));
            if (m2 <= 0) continue;
            var m3 = values.Average(v => (v - mean) * (v - mean) * (v - mean));
            if (m3 / Math.Pow(m2, 1.5) <= 2) continue;
            result ??= new bool[width];
            result[j] = true;
        }
        return result;
    }

    private static float[] Log1pColumns(float[] x, int rows, int width, bool[] log)
    {
        var copy = (float[])x.Clone();
        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < width; j++)
            {
                var k = (long)i * width + j;
                if (log[j] && !float.IsNaN(copy[k])) copy[k] = (float)Math.Log(1 + Math.Max(0, (double)copy[k]));
            }
        }
        return copy;
    }

    private static double[] Minimise(LogisticObjective objective, double[] start)
    {
        var best = (double[])start.Clone();
        var bestValue = double.PositiveInfinity;
        var gradient = new double[objective.Parameters];
        var function = ObjectiveFunction.Gradient(v =>
        {
            var theta = v.AsArray() ?? v.ToArray();
            var value = objective.Evaluate(theta, gradient);
            if (value < bestValue)
            {
                bestValue = value;
                Array.Copy(theta, best, theta.Length);
            }
            return (value, Vector<double>.Build.DenseOfArray((double[])gradient.Clone()));
        });
        var minimiser = new LimitedMemoryBfgsMinimizer(
            gradientTolerance: 1e-7, parameterTolerance: 1e-10, functionProgressTolerance: 1e-12, memory: 10, maximumIterations: MaxIterations);
        try
        {
            var result = minimiser.FindMinimum(function, Vector<double>.Build.DenseOfArray(start));
            return result.MinimizingPoint.ToArray();
        }
        catch (OptimizationException)
        {
            // The line search can give up within rounding distance of the optimum (a flat valley with a strong
            // penalty); the best point evaluated so far is then as good as converged.
            return best;
        }
    }

    private static (double[] Means, double[] Scales, bool[] Constant) Standardisation(float[] x, int rows, int width)
    {
        var sum = new double[width];
        var count = new long[width];
        for (var i = 0; i < rows; i++)
        {
            var row = x.AsSpan(i * width, width);
            for (var j = 0; j < width; j++)
            {
                if (!float.IsNaN(row[j]))
                {
                    sum[j] += row[j];
                    count[j]++;
                }
            }
        }
        var means = new double[width];
        for (var j = 0; j < width; j++) means[j] = count[j] == 0 ? 0.0 : sum[j] / count[j];

        var squares = new double[width];
        for (var i = 0; i < rows; i++)
        {
            var row = x.AsSpan(i * width, width);
            for (var j = 0; j < width; j++)
            {
                if (!float.IsNaN(row[j]))
                {
                    var d = row[j] - means[j];
                    squares[j] += d * d;
                }
            }
        }
        var indicator = Indicators(x, rows, width);
        var scales = new double[width];
        var constant = new bool[width];
        for (var j = 0; j < width; j++)
        {
            var sd = count[j] == 0 ? 0.0 : Math.Sqrt(squares[j] / count[j]);
            constant[j] = !(sd > 1e-12 * Math.Max(1.0, Math.Abs(means[j])));
            scales[j] = constant[j] || indicator[j] ? 1.0 : sd;
        }
        return (means, scales, constant);
    }

    /// <summary>Columns whose non-missing values are all 0 or 1.</summary>
    internal static bool[] Indicators(float[] x, int rows, int width)
    {
        var indicator = new bool[width];
        Array.Fill(indicator, true);
        for (var i = 0; i < rows; i++)
        {
            var row = x.AsSpan(i * width, width);
            for (var j = 0; j < width; j++)
            {
                var v = row[j];
                if (indicator[j] && !float.IsNaN(v) && v != 0f && v != 1f) indicator[j] = false;
            }
        }
        return indicator;
    }

    private static double[] Standardise(float[] x, int rows, int width, double[] means, double[] scales)
    {
        var z = new double[(long)rows * width];
        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < width; j++)
            {
                var v = x[i * width + j];
                z[i * width + j] = float.IsNaN(v) ? 0.0 : (v - means[j]) / scales[j];
            }
        }
        return z;
    }

    private static double StartingIntercept(float[] y, float[]? weights)
    {
        var positive = 0.0;
        var total = 0.0;
        for (var i = 0; i < y.Length; i++)
        {
            var w = weights?[i] ?? 1f;
            positive += w * y[i];
            total += w;
        }
        var rate = positive / total;
        if (!(rate > 0 && rate < 1))
        {
            throw new ArgumentException($"the rows hold a single class (weighted positive rate {rate:G4}); a logistic regression needs conversions and non-conversions", nameof(y));
        }
        return Math.Log(rate / (1 - rate));
    }
}
