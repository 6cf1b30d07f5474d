namespace LeadML.Features.Evaluation;

/// <summary>
/// Ranking and calibration metrics for predicted conversion probabilities. Labels are floats: a value above 0.5 is a
/// conversion. All methods are O(n log n) or better.
/// </summary>
public static class Metrics
{
    /// <summary>Probabilities are clipped to [ε, 1 − ε] in <see cref="LogLoss"/> so one confident miss stays finite.</summary>
    public const double LogLossEpsilon = 1e-15;

    /// <summary>All metrics at once.</summary>
    public static MetricSet Compute(double[] p, float[] y)
    {
        CheckSizes(p, y);
        var auc = RocAuc(p, y);
        var positives = CountPositives(y);
        return new MetricSet(
            double.IsNaN(auc) ? null : auc,
            double.IsNaN(auc) ? null : RocAucStandardError(auc, y),
            positives == 0 ? null : PrAuc(p, y),
            LogLoss(p, y),
            Brier(p, y),
            ExpectedCalibrationError(p, y),
            y.Length == 0 ? 0 : (double)positives / y.Length,
            CalibrationTable(p, y),
            LiftTable(p, y));
    }

    /// <summary>
    /// Area under the ROC curve: the probability that a random conversion scores above a random non-conversion, tied
    /// scores counting one half (Mann–Whitney with average ranks). NaN when only one class is present.
    /// </summary>
    public static double RocAuc(double[] p, float[] y) => RocAuc(p, y, new RankingScratch(p.Length));

    /// <summary>The same with the caller's scratch arrays, so that ranking many scores of the same rows (a greedy
    /// selection's every candidate step) allocates nothing per call.</summary>
    public static double RocAuc(double[] p, float[] y, RankingScratch scratch)
    {
        CheckSizes(p, y);
        long positives = 0;
        var positiveRankSum = 0.0;
        foreach (var (start, end, groupPositives) in TieGroups(SortedAscending(p, scratch), p, y))
        {
            // Ranks start + 1 … end share their average (in doubles: a large tie group's product overflows an int).
            positiveRankSum += groupPositives * ((start + 1.0 + end) / 2.0);
            positives += groupPositives;
        }
        long negatives = p.Length - positives;
        if (positives == 0 || negatives == 0) return double.NaN;
        return (positiveRankSum - positives * (positives + 1) / 2.0) / ((double)positives * negatives);
    }

    /// <summary>
    /// DeLong et al. (1988) standard error of the difference between two ROC-AUCs measured on the same rows: paired,
    /// so it is much smaller than either AUC's own error when the two scores rank alike. NaN with a single class.
    /// </summary>
    public static double RocAucDifferenceStandardError(double[] a, double[] b, float[] y)
    {
        CheckSizes(a, y);
        CheckSizes(b, y);
        var (a10, a01) = Components(a, y);
        var (b10, b01) = Components(b, y);
        if (a10.Length < 2 || a01.Length < 2) return double.NaN;
        static double Variance(double[] x, double[] z)
        {
            double mean = 0;
            for (var i = 0; i < x.Length; i++) mean += x[i] - z[i];
            mean /= x.Length;
            double sum = 0;
            for (var i = 0; i < x.Length; i++) sum += (x[i] - z[i] - mean) * (x[i] - z[i] - mean);
            return sum / (x.Length - 1);
        }
        return Math.Sqrt(Variance(a10, b10) / a10.Length + Variance(a01, b01) / a01.Length);
    }

    /// <summary>DeLong's structural components: per positive, the share of negatives it outranks (ties half); per
    /// negative, the share of positives that outrank it. Positives and negatives in row order.</summary>
    private static (double[] V10, double[] V01) Components(double[] p, float[] y)
    {
        var n = p.Length;
        var all = MidRanks(p, Enumerable.Range(0, n).ToArray());
        var pos = Enumerable.Range(0, n).Where(i => y[i] > 0.5f).ToArray();
        var neg = Enumerable.Range(0, n).Where(i => y[i] <= 0.5f).ToArray();
        var posRanks = MidRanks(p, pos);
        var negRanks = MidRanks(p, neg);
        var v10 = new double[pos.Length];
        for (var k = 0; k < pos.Length; k++) v10[k] = (all[pos[k]] - posRanks[k]) / Math.Max(1, neg.Length);
        var v01 = new double[neg.Length];
        for (var k = 0; k < neg.Length; k++) v01[k] = 1 - (all[neg[k]] - negRanks[k]) / Math.Max(1, pos.Length);
        return (v10, v01);
    }

    /// <summary>1-based mid-ranks of <paramref name="p"/> at <paramref name="rows"/>, among those rows only; indexed like
    /// <paramref name="rows"/> when it is a subset, by row when it is every row.</summary>
    private static double[] MidRanks(double[] p, int[] rows)
    {
        var order = rows.Select((r, k) => k).OrderBy(k => p[rows[k]]).ToArray();
        var ranks = new double[rows.Length];
        for (var s = 0; s < order.Length;)
        {
            var e = s;
            while (e + 1 < order.Length && p[rows[order[e + 1]]].Equals(p[rows[order[s]]])) e++;
            for (var t = s; t <= e; t++) ranks[order[t]] = (s + e) / 2.0 + 1;
            s = e + 1;
        }
        if (rows.Length == p.Length)
        {
            var byRow = new double[p.Length];
            for (var k = 0; k < rows.Length; k++) byRow[rows[k]] = ranks[k];
            return byRow;
        }
        return ranks;
    }

    /// <summary>Hanley–McNeil (1982) standard error of a ROC-AUC measured on these labels.</summary>
    public static double RocAucStandardError(double auc, float[] y)
    {
        ArgumentNullException.ThrowIfNull(y);
        double positives = CountPositives(y);
        double negatives = y.Length - positives;
        if (positives == 0 || negatives == 0 || double.IsNaN(auc)) return double.NaN;
        var q1 = auc / (2 - auc);
        var q2 = 2 * auc * auc / (1 + auc);
        var variance = (auc * (1 - auc) + (positives - 1) * (q1 - auc * auc) + (negatives - 1) * (q2 - auc * auc)) / (positives * negatives);
        return Math.Sqrt(Math.Max(0, variance));
    }

    /// <summary>
    /// Average precision (area under the precision–recall curve, step-wise): Σ (Rₖ − Rₖ₋₁) · Pₖ over the distinct
    /// score thresholds from high to low. NaN when there is no conversion.
    /// </summary>
    public static double PrAuc(double[] p, float[] y)
    {
        CheckSizes(p, y);
        var positives = CountPositives(y);
        if (positives == 0) return double.NaN;
        var order = SortedAscending(p, new RankingScratch(p.Length));
        Array.Reverse(order);
        var truePositives = 0;
        var ap = 0.0;
        foreach (var (_, end, groupPositives) in TieGroups(order, p, y))
        {
            truePositives += groupPositives;
            ap += (double)groupPositives / positives * truePositives / end;
        }
        return ap;
    }

    /// <summary>Runs of equal scores along <paramref name="order"/>: where each starts and ends (exclusive), and how
    /// many positives it holds. Tied rows share one threshold in every ranking metric.</summary>
    private static IEnumerable<(int Start, int End, int Positives)> TieGroups(int[] order, double[] p, float[] y)
    {
        var start = 0;
        while (start < order.Length)
        {
            var end = start;
            var groupPositives = 0;
            while (end < order.Length && p[order[end]].Equals(p[order[start]]))
            {
                if (y[order[end]] > 0.5f) groupPositives++;
                end++;
            }
            yield return (start, end, groupPositives);
            start = end;
        }
    }

    /// <summary>Mean negative log-likelihood (natural log), probabilities clipped to [<see cref="LogLossEpsilon"/>, 1 − ε].</summary>
    public static double LogLoss(double[] p, float[] y)
    {
        CheckSizes(p, y);
        if (p.Length == 0) return 0;
        var sum = 0.0;
        for (var i = 0; i < p.Length; i++)
        {
            var q = Math.Clamp(p[i], LogLossEpsilon, 1 - LogLossEpsilon);
            sum -= y[i] > 0.5f ? Math.Log(q) : Math.Log(1 - q);
        }
        return sum / p.Length;
    }

    /// <summary>Brier score: mean squared difference between probability and outcome (0 perfect, 0.25 a coin).</summary>
    public static double Brier(double[] p, float[] y)
    {
        CheckSizes(p, y);
        if (p.Length == 0) return 0;
        var sum = 0.0;
        for (var i = 0; i < p.Length; i++)
        {
            var d = p[i] - (y[i] > 0.5f ? 1.0 : 0.0);
            sum += d * d;
        }
        return sum / p.Length;
    }

    /// <summary>
    /// Expected calibration error: Σ over equal-width probability bins of (bin share of rows) ·
    /// |mean predicted − observed rate|. 0 when every bin's predictions match its conversion rate.
    /// </summary>
    public static double ExpectedCalibrationError(double[] p, float[] y, int bins = 10)
    {
        var table = CalibrationTable(p, y, bins);
        if (p.Length == 0) return 0;
        return table.Sum(b => (double)b.Count / p.Length * Math.Abs(b.MeanPredicted - b.ObservedRate));
    }

    /// <summary>
    /// Reliability table over <paramref name="bins"/> equal-width probability bins ([0, 0.1), [0.1, 0.2) … [0.9, 1]
    /// for 10). Empty bins are left out, so every row has a defined mean and rate.
    /// </summary>
    public static IReadOnlyList<CalibrationBin> CalibrationTable(double[] p, float[] y, int bins = 10)
    {
        CheckSizes(p, y);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bins);
        var count = new int[bins];
        var predicted = new double[bins];
        var positives = new int[bins];
        for (var i = 0; i < p.Length; i++)
        {
            var b = Math.Clamp((int)(p[i] * bins), 0, bins - 1);
            count[b]++;
            predicted[b] += p[i];
            if (y[i] > 0.5f) positives[b]++;
        }
        var result = new List<CalibrationBin>(bins);
        for (var b = 0; b < bins; b++)
        {
            if (count[b] == 0) continue;
            result.Add(new CalibrationBin(b + 1, (double)b / bins, (double)(b + 1) / bins, count[b], predicted[b] / count[b], (double)positives[b] / count[b]));
        }
        return result;
    }

    /// <summary>
    /// Lift table: rows sorted by probability, highest first, cut into <paramref name="groups"/> groups of (nearly)
    /// equal size; group 1 holds the highest scores. Lift and gain are 0 when there is no conversion.
    /// </summary>
    public static IReadOnlyList<LiftRow> LiftTable(double[] p, float[] y, int groups = 10)
    {
        CheckSizes(p, y);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(groups);
        var order = SortedAscending(p, new RankingScratch(p.Length));
        Array.Reverse(order);
        var n = p.Length;
        var totalPositives = CountPositives(y);
        var overallRate = n == 0 ? 0 : (double)totalPositives / n;
        var result = new List<LiftRow>(groups);
        var cumulative = 0;
        for (var g = 0; g < groups; g++)
        {
            var from = (int)((long)n * g / groups);
            var to = (int)((long)n * (g + 1) / groups);
            if (to == from) continue;
            var positives = 0;
            for (var k = from; k < to; k++)
            {
                if (y[order[k]] > 0.5f) positives++;
            }
            cumulative += positives;
            var rate = (double)positives / (to - from);
            result.Add(new LiftRow(
                g + 1, to - from, positives, rate,
                overallRate > 0 ? rate / overallRate : 0,
                totalPositives > 0 ? (double)cumulative / totalPositives : 0));
        }
        return result;
    }

    /// <summary>How many labels are conversions (above 0.5).</summary>
    public static int CountPositives(float[] y)
    {
        var count = 0;
        foreach (var v in y)
        {
            if (v > 0.5f) count++;
        }
        return count;
    }

    /// <summary>Row indices sorted by ascending score (ties in no particular order), in the scratch's order array.</summary>
    private static int[] SortedAscending(double[] p, RankingScratch scratch)
    {
        if (scratch.Order.Length != p.Length) throw new ArgumentException($"the scratch arrays hold {scratch.Order.Length} rows, not {p.Length}", nameof(scratch));
        var order = scratch.Order;
        for (var i = 0; i < order.Length; i++) order[i] = i;
        var keys = scratch.Keys;
        p.CopyTo(keys, 0);
        foreach (var k in keys)
        {
            if (double.IsNaN(k)) throw new ArgumentException("a score is NaN; metrics need every row scored", nameof(p));
        }
        Array.Sort(keys, order);
        return order;
    }

    private static void CheckSizes(double[] p, float[] y)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(y);
        if (p.Length != y.Length)
        {
            throw new ArgumentException($"{p.Length} scores for {y.Length} labels");
        }
    }
}

/// <summary>The arrays a ranking metric sorts rows in, for callers that rank many scores of the same rows.</summary>
public sealed class RankingScratch(int rows)
{
    public int[] Order { get; } = new int[rows];
    public double[] Keys { get; } = new double[rows];
}
