namespace LeadML.Trainer.Evaluation;

/// <summary>Population stability index (PSI) of a feature between a reference period and a current one.</summary>
internal static class Drift
{
    /// <summary>A bin empty in one period counts as this share, so the index stays finite.</summary>
    public const double EmptyBinShare = 1e-4;

    /// <summary>Below this PSI a feature is "stable".</summary>
    public const double ModerateFrom = 0.1;

    /// <summary>From this PSI on a feature has shifted "significantly".</summary>
    public const double SignificantFrom = 0.25;

    /// <summary>
    /// PSI = Σ (cᵢ − rᵢ) · ln(cᵢ / rᵢ) over bins, with rᵢ and cᵢ the shares of reference and current values in bin i.
    /// Bins are reference quantiles (up to <paramref name="bins"/>); a feature with at most <paramref name="bins"/>
    /// distinct reference values (a flag, a count, a one-hot level) gets one bin per value instead, and missing
    /// values (NaN) form a bin of their own. Empty bins count as <see cref="EmptyBinShare"/>.
    /// </summary>
    /// <exception cref="ArgumentException">Either period has no values.</exception>
    public static double Psi(ReadOnlySpan<float> reference, ReadOnlySpan<float> current, int bins = 10)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 2);
        if (reference.IsEmpty || current.IsEmpty)
        {
            throw new ArgumentException($"PSI needs values in both periods (reference {reference.Length}, current {current.Length})");
        }
        var cuts = CutPoints(reference, bins);
        var r = Shares(reference, cuts);
        var c = Shares(current, cuts);
        var psi = 0.0;
        for (var i = 0; i < r.Length; i++)
        {
            var ri = Math.Max(r[i], EmptyBinShare);
            var ci = Math.Max(c[i], EmptyBinShare);
            psi += (ci - ri) * Math.Log(ci / ri);
        }
        return psi;
    }

    /// <summary>"stable" below 0.1, "moderate" below 0.25, "significant" from 0.25 on.</summary>
    public static string Band(double psi) => psi < ModerateFrom ? "stable" : psi < SignificantFrom ? "moderate" : "significant";

    /// <summary>Upper bin edges (a value equal to an edge falls in the lower bin); one bin more than edges.</summary>
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
            if (q < distinct[^1] && (cuts.Count == 0 || q > cuts[^1])) cuts.Add(q);
        }
        return [.. cuts];
    }

    /// <summary>Share of values per bin; the last element is the NaN bin.</summary>
    private static double[] Shares(ReadOnlySpan<float> values, double[] cuts)
    {
        var counts = new double[cuts.Length + 2];
        foreach (var v in values)
        {
            if (float.IsNaN(v))
            {
                counts[^1]++;
                continue;
            }
            var i = Array.BinarySearch(cuts, (double)v);
            counts[i >= 0 ? i : ~i]++;
        }
        for (var i = 0; i < counts.Length; i++) counts[i] /= values.Length;
        return counts;
    }
}
