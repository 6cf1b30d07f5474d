using System.Numerics;
using LeadML.Features.Engine;

namespace LeadML.Trainer.Modeling;

/// <summary>
/// The penalised logistic log-loss of a linear model on standardised rows, with its gradient:
/// <c>f(w, b) = Σ sᵢ [log(1 + e^mᵢ) − yᵢ mᵢ] / Σ sᵢ + l2/2 · ‖w‖²</c>, where <c>mᵢ = b + w·zᵢ</c> and sᵢ are the row
/// weights. The loss is the weighted MEAN, so <c>l2</c> does not need rescaling with the row count, and the
/// intercept b is not penalised. Parameters are laid out as <c>[w₀ … w_{width−1}, b]</c>. Single-threaded on purpose:
/// the machine's cores belong to the candidate search, not to one fit.
/// </summary>
internal sealed class LogisticObjective
{
    private readonly double[] _z;
    private readonly float[] _y;
    private readonly double[] _rowWeight;
    private readonly double[] _margins;

    /// <param name="z">Standardised rows, row-major, <paramref name="rows"/> × <paramref name="width"/>, no NaN.</param>
    /// <param name="y">Labels, 1 for converted and 0 otherwise.</param>
    /// <param name="rowWeights">Row weights, or null for all 1.</param>
    /// <param name="l2">Penalty on the weights, relative to the mean log-loss.</param>
    public LogisticObjective(double[] z, int rows, int width, float[] y, float[]? rowWeights, double l2)
    {
        _z = z;
        Rows = rows;
        Width = width;
        _y = y;
        L2 = l2;
        _rowWeight = new double[rows];
        var total = 0.0;
        for (var i = 0; i < rows; i++)
        {
            _rowWeight[i] = rowWeights is null ? 1.0 : rowWeights[i];
            total += _rowWeight[i];
        }
        if (!(total > 0))
        {
            throw new ArgumentException($"the row weights sum to {total}; they must sum to a positive number", nameof(rowWeights));
        }
        for (var i = 0; i < rows; i++)
        {
            _rowWeight[i] /= total;
        }
        _margins = new double[rows];
    }

    public int Rows { get; }

    public int Width { get; }

    public double L2 { get; }

    /// <summary>Number of parameters: the weights and the intercept.</summary>
    public int Parameters => Width + 1;

    /// <summary>The objective at <paramref name="theta"/>; writes its gradient into <paramref name="gradient"/>.</summary>
    public double Evaluate(ReadOnlySpan<double> theta, Span<double> gradient)
    {
        var w = theta[..Width];
        var b = theta[Width];
        gradient.Clear();
        var g = gradient[..Width];
        var loss = 0.0;
        var gb = 0.0;
        for (var i = 0; i < Rows; i++)
        {
            var row = _z.AsSpan(i * Width, Width);
            var m = b + Dot(row, w);
            _margins[i] = m;
            var y = _y[i];
            // log(1 + e^m) without overflow.
            var softplus = m > 0 ? m + Math.Log(1 + Math.Exp(-m)) : Math.Log(1 + Math.Exp(m));
            loss += _rowWeight[i] * (softplus - y * m);
            var r = _rowWeight[i] * (Calibration.Sigmoid(m) - y);
            gb += r;
            AddScaled(g, row, r);
        }
        var penalty = 0.0;
        for (var j = 0; j < Width; j++)
        {
            penalty += w[j] * w[j];
            g[j] += L2 * w[j];
        }
        gradient[Width] = gb;
        return loss + 0.5 * L2 * penalty;
    }

    internal static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var sum = 0.0;
        var j = 0;
        if (Vector.IsHardwareAccelerated && a.Length >= Vector<double>.Count)
        {
            var acc = Vector<double>.Zero;
            for (; j <= a.Length - Vector<double>.Count; j += Vector<double>.Count)
            {
                acc += new Vector<double>(a[j..]) * new Vector<double>(b[j..]);
            }
            sum = Vector.Sum(acc);
        }
        for (; j < a.Length; j++)
        {
            sum += a[j] * b[j];
        }
        return sum;
    }

    private static void AddScaled(Span<double> target, ReadOnlySpan<double> source, double scale)
    {
        var j = 0;
        if (Vector.IsHardwareAccelerated && source.Length >= Vector<double>.Count)
        {
            var s = new Vector<double>(scale);
            for (; j <= source.Length - Vector<double>.Count; j += Vector<double>.Count)
            {
                (new Vector<double>(target[j..]) + s * new Vector<double>(source[j..])).CopyTo(target[j..]);
            }
        }
        for (; j < source.Length; j++)
        {
            target[j] += scale * source[j];
        }
    }
}
