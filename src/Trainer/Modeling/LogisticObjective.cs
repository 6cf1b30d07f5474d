using System.Numerics;

namespace LeadML.Trainer.Modeling;

/// <summary>
/// The penalised logistic log-loss of a linear model on standardised rows, with its gradient:
/// <c>f(w, b) = Σ sᵢ [log(1 + e^mᵢ) − yᵢ mᵢ] / Σ sᵢ + l2/2 · ‖w‖²</c>, where <c>mᵢ = b + w·zᵢ</c> and sᵢ are the row
/// weights. The loss is the weighted MEAN, so <c>l2</c> does not need rescaling with the row count, and the
/// intercept b is not penalised. Parameters are laid out as <c>[w₀ … w_{width−1}, b]</c>. The rows are summed in
/// blocks of a fixed size, each block on its own and the blocks' sums added in order, so the value and gradient are the
/// same to the last bit whatever the number of threads they are computed on.
/// </summary>
internal sealed class LogisticObjective
{
    private readonly double[] _z;
    private readonly float[] _y;
    private readonly double[] _rowWeight;
    private readonly int _threads;
    private readonly double[] _blockLoss;
    private readonly double[][] _blockGradient;

    /// <summary>Rows summed together before their sum joins the others'. Large enough that a block's gradient buffer
    /// costs little beside its rows, small enough for two threads to share the blocks evenly.</summary>
    internal const int BlockRows = 4096;

    /// <param name="z">Standardised rows, row-major, <paramref name="rows"/> × <paramref name="width"/>, no NaN.</param>
    /// <param name="y">Labels, 1 for converted and 0 otherwise.</param>
    /// <param name="rowWeights">Row weights, or null for all 1.</param>
    /// <param name="l2">Penalty on the weights, relative to the mean log-loss.</param>
    /// <param name="threads">Threads an evaluation may use (the blocks are shared between them).</param>
    public LogisticObjective(double[] z, int rows, int width, float[] y, float[]? rowWeights, double l2, int threads = 1)
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
        _threads = Math.Max(1, threads);
        var blocks = (rows + BlockRows - 1) / BlockRows;
        _blockLoss = new double[blocks];
        _blockGradient = new double[blocks][];
        for (var k = 0; k < blocks; k++) _blockGradient[k] = new double[width + 1];
    }

    public int Rows { get; }

    public int Width { get; }

    public double L2 { get; }

    /// <summary>Number of parameters: the weights and the intercept.</summary>
    public int Parameters => Width + 1;

    /// <summary>The objective at <paramref name="theta"/>; writes its gradient into <paramref name="gradient"/>.</summary>
    public double Evaluate(ReadOnlySpan<double> theta, Span<double> gradient)
    {
        var parameters = theta.ToArray();
        var blocks = _blockLoss.Length;
        if (_threads == 1 || blocks == 1)
        {
            for (var k = 0; k < blocks; k++) EvaluateBlock(k, parameters);
        }
        else
        {
            Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = _threads }, k => EvaluateBlock(k, parameters));
        }

        gradient.Clear();
        var loss = 0.0;
        for (var k = 0; k < blocks; k++)
        {
            loss += _blockLoss[k];
            AddScaled(gradient, _blockGradient[k], 1.0);
        }
        var w = theta[..Width];
        var penalty = 0.0;
        for (var j = 0; j < Width; j++)
        {
            penalty += w[j] * w[j];
            gradient[j] += L2 * w[j];
        }
        return loss + 0.5 * L2 * penalty;
    }

    /// <summary>Block <paramref name="block"/>'s share of the mean log-loss and its gradient (the intercept's last).</summary>
    private void EvaluateBlock(int block, double[] theta)
    {
        var w = theta.AsSpan(0, Width);
        var b = theta[Width];
        var g = _blockGradient[block].AsSpan();
        g.Clear();
        var gw = g[..Width];
        var loss = 0.0;
        var gb = 0.0;
        var end = Math.Min(Rows, (block + 1) * BlockRows);
        for (var i = block * BlockRows; i < end; i++)
        {
            var row = _z.AsSpan(i * Width, Width);
            var m = b + Dot(row, w);
            var y = _y[i];
            // One exponential gives both log(1 + e^m) and the sigmoid without overflow: e = e^−|m|.
            var e = Math.Exp(-Math.Abs(m));
            var softplus = Math.Max(m, 0) + Math.Log(1 + e);
            var sigmoid = m >= 0 ? 1 / (1 + e) : e / (1 + e);
            loss += _rowWeight[i] * (softplus - y * m);
            var r = _rowWeight[i] * (sigmoid - y);
            gb += r;
            AddScaled(gw, row, r);
        }
        g[Width] = gb;
        _blockLoss[block] = loss;
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
