using LeadML.Features.Featurization;
using LeadML.Features.Randomness;

namespace LeadML.Trainer.Tests.Points;

/// <summary>Rows of features with known additive contributions (log-odds): their sum is the margin, and each row
/// converts with the margin's probability.</summary>
internal static class KnownContributions
{
    /// <summary>Writes one row's feature values and contributions (recency features start missing, the others 0; the
    /// base, last, starts at the bias).</summary>
    public delegate void RowWriter(Xoshiro256 rng, Span<float> x, Span<double> phi);

    public static (float[] X, float[] Y, double[] Phi, double[] Margin) Generate(FeatureSpec spec, int rows, ulong seed, double bias, RowWriter write)
    {
        var w = spec.Features.Count;
        var rng = new Xoshiro256(seed);
        var x = new float[rows * w];
        var phi = new double[rows * (w + 1)];
        var y = new float[rows];
        var margin = new double[rows];
        for (var i = 0; i < rows; i++)
        {
            var r = x.AsSpan(i * w, w);
            var p = phi.AsSpan(i * (w + 1), w + 1);
            for (var j = 0; j < w; j++) r[j] = spec.Features[j].Kind == FeatureKind.Recency ? float.NaN : 0;
            p[w] = bias;
            write(rng, r, p);
            double m = 0;
            foreach (var v in p) m += v;
            margin[i] = m;
            y[i] = rng.NextDouble() < 1 / (1 + Math.Exp(-m)) ? 1 : 0;
        }
        return (x, y, phi, margin);
    }
}
