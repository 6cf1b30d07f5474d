namespace LeadML.Features.Engine;

/// <summary>
/// Maps a model margin (log-odds) to a calibrated conversion probability. Saved in the bundle as
/// <c>calibration.json</c> (System.Text.Json, web defaults). Probabilities from <see cref="Apply"/> lie in (0, 1);
/// isotonic ones within [<see cref="MinProbability"/>, 1 − <see cref="MinProbability"/>].
/// </summary>
public sealed class Calibration
{
    /// <summary>The smallest probability an isotonic map returns (and 1 minus the largest), so log-loss stays finite.</summary>
    public const double MinProbability = 1e-6;

    /// <summary>Which map is used.</summary>
    public CalibrationKind Kind { get; init; }

    /// <summary>Platt slope on the margin (1 for <see cref="CalibrationKind.None"/>).</summary>
    public double A { get; init; } = 1.0;

    /// <summary>Platt offset in log-odds (0 for <see cref="CalibrationKind.None"/>).</summary>
    public double B { get; init; }

    /// <summary>Isotonic knots on the margin scale, strictly increasing; empty for the other kinds.</summary>
    public double[] Thresholds { get; init; } = [];

    /// <summary>Isotonic probabilities at <see cref="Thresholds"/>, non-decreasing; empty for the other kinds.</summary>
    public double[] Values { get; init; } = [];

    /// <summary>The uncalibrated map: probability = sigmoid(margin).</summary>
    public static Calibration Identity { get; } = new() { Kind = CalibrationKind.None };

    /// <summary>Platt scaling: probability = sigmoid(<paramref name="a"/> · margin + <paramref name="b"/>).</summary>
    public static Calibration ForPlatt(double a, double b)
    {
        if (!double.IsFinite(a) || !double.IsFinite(b))
        {
            throw new ArgumentException($"Platt parameters must be finite (a = {a}, b = {b})");
        }
        return new Calibration { Kind = CalibrationKind.Platt, A = a, B = b };
    }

    /// <summary>
    /// An isotonic map: linear interpolation of <paramref name="values"/> between <paramref name="thresholds"/> on the
    /// margin scale, constant beyond the ends. Values are clamped to [<see cref="MinProbability"/>, 1 − <see cref="MinProbability"/>].
    /// </summary>
    /// <exception cref="ArgumentException">Lengths differ, are zero, thresholds are not strictly increasing, or values decrease.</exception>
    public static Calibration ForIsotonic(double[] thresholds, double[] values)
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        ArgumentNullException.ThrowIfNull(values);
        if (thresholds.Length == 0 || thresholds.Length != values.Length)
        {
            throw new ArgumentException($"isotonic calibration needs as many values as thresholds, at least one (got {thresholds.Length} thresholds and {values.Length} values)");
        }
        for (var i = 1; i < thresholds.Length; i++)
        {
            if (!(thresholds[i] > thresholds[i - 1]))
            {
                throw new ArgumentException($"isotonic thresholds must increase strictly: thresholds[{i}] = {thresholds[i]} follows {thresholds[i - 1]}", nameof(thresholds));
            }
            if (values[i] < values[i - 1])
            {
                throw new ArgumentException($"isotonic values must not decrease: values[{i}] = {values[i]} follows {values[i - 1]}", nameof(values));
            }
        }
        var clamped = values.Select(v => Math.Clamp(v, MinProbability, 1 - MinProbability)).ToArray();
        return new Calibration { Kind = CalibrationKind.Isotonic, Thresholds = [.. thresholds], Values = clamped };
    }

    /// <summary>The calibrated probability for a margin in log-odds.</summary>
    public double Apply(double margin) => Kind switch
    {
        CalibrationKind.Platt => Sigmoid(A * margin + B),
        CalibrationKind.Isotonic => Interpolate(margin),
        _ => Sigmoid(margin),
    };

    /// <summary>The logistic function 1 / (1 + e^−m), computed without overflow for large |m|.</summary>
    public static double Sigmoid(double m)
    {
        if (m >= 0)
        {
            return 1.0 / (1.0 + Math.Exp(-m));
        }
        var e = Math.Exp(m);
        return e / (1.0 + e);
    }

    private double Interpolate(double margin)
    {
        var t = Thresholds;
        var v = Values;
        if (double.IsNaN(margin))
        {
            return double.NaN;
        }
        if (margin <= t[0])
        {
            return v[0];
        }
        if (margin >= t[^1])
        {
            return v[^1];
        }
        var hi = Array.BinarySearch(t, margin);
        if (hi >= 0)
        {
            return v[hi];
        }
        hi = ~hi;
        var lo = hi - 1;
        var w = (margin - t[lo]) / (t[hi] - t[lo]);
        return v[lo] + w * (v[hi] - v[lo]);
    }
}
