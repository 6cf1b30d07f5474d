namespace LeadML.Features.Monitoring;

/// <summary>
/// Population stability index bins of one variable, fixed on a reference sample (the training period): up to ten
/// quantile bins (one per value when there are few distinct values), plus a bin for missing values. Live values are
/// counted into the same bins and compared with the reference shares:
/// <c>PSI = Σ (current − reference) · ln(current / reference)</c>, empty bins counted as 0.01 %.
/// </summary>
/// <param name="Cuts">Ascending cut points; bin k holds values below Cuts[k] (and at or above Cuts[k−1]).</param>
/// <param name="Shares">Reference share per bin: <c>Cuts.Length + 1</c> value bins, then the missing bin.</param>
public sealed record PsiBins(double[] Cuts, double[] Shares)
{
    public const double EmptyBinShare = 1e-4;
    public const double ModerateFrom = 0.1;
    public const double SignificantFrom = 0.25;

    /// <summary>Number of bins (value bins and the missing bin).</summary>
    public int Count => Cuts.Length + 2;

    /// <summary>Bins and shares of a reference sample.</summary>
    public static PsiBins From(ReadOnlySpan<float> reference, int bins = 10)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 2);
        if (reference.IsEmpty) throw new ArgumentException("PSI needs reference values", nameof(reference));
        var cuts = CutPoints(reference, bins);
        var counts = new double[cuts.Length + 2];
        foreach (var v in reference) counts[BinOf(cuts, v)]++;
        for (var i = 0; i < counts.Length; i++) counts[i] /= reference.Length;
        return new PsiBins(cuts, counts);
    }

    /// <summary>The bin of a value (NaN: the last bin).</summary>
    public int BinOf(float value) => BinOf(Cuts, value);

    /// <summary>PSI of a current sample against the reference.</summary>
    public double Psi(ReadOnlySpan<float> current)
    {
        if (current.IsEmpty) throw new ArgumentException("PSI needs current values", nameof(current));
        var counts = new double[Count];
        foreach (var v in current) counts[BinOf(v)]++;
        return Psi(counts);
    }

    /// <summary>PSI of current counts per bin against the reference (NaN when there are no counts).</summary>
    public double Psi(ReadOnlySpan<double> counts)
    {
        double total = 0;
        foreach (var c in counts) total += c;
        if (total <= 0) return double.NaN;
        var psi = 0.0;
        for (var i = 0; i < Shares.Length; i++)
        {
            var r = Math.Max(Shares[i], EmptyBinShare);
            var c = Math.Max(counts[i] / total, EmptyBinShare);
            psi += (c - r) * Math.Log(c / r);
        }
        return psi;
    }

    /// <summary>"stable" below 0.1, "moderate" below 0.25, "significant" above.</summary>
    public static string Band(double psi) => psi < ModerateFrom ? "stable" : psi < SignificantFrom ? "moderate" : "significant";

    private static int BinOf(double[] cuts, float v)
    {
        if (float.IsNaN(v)) return cuts.Length + 1;
        var i = Array.BinarySearch(cuts, (double)v);
        // A value equal to a cut belongs to the bin above it.
        return i >= 0 ? i + 1 : ~i;
    }

    private static double[] CutPoints(ReadOnlySpan<float> reference, int bins)
    {
        var values = new List<double>(reference.Length);
        foreach (var v in reference)
        {
            if (!float.IsNaN(v)) values.Add(v);
        }
        if (values.Count == 0) return [];
        values.Sort();
        var distinct = new List<double>();
        foreach (var v in values)
        {
            if (distinct.Count == 0 || distinct[^1] != v) distinct.Add(v);
        }
        if (distinct.Count <= bins)
        {
            // One bin per value, split half-way so an unseen current value lands with its nearest neighbour.
            return [.. distinct.Zip(distinct.Skip(1), (a, b) => (a + b) / 2)];
        }
        var cuts = new List<double>();
        for (var k = 1; k < bins; k++)
        {
            var q = values[(int)Math.Min(values.Count - 1, (long)values.Count * k / bins)];
            if (q > distinct[0] && q <= distinct[^1] && (cuts.Count == 0 || q > cuts[^1])) cuts.Add(q);
        }
        return [.. cuts];
    }
}
