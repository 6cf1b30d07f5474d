using System.Globalization;
using LeadML.Features.Featurization;

namespace LeadML.Trainer.Points;

/// <summary>A band of one feature's values: <c>[Lower, Upper)</c>, or the missing values when <see cref="Missing"/>.</summary>
internal sealed record Band(double Lower, double Upper, bool Missing)
{
    public bool Contains(float v) =>
        float.IsNaN(v) ? Missing : !Missing && v >= Lower && v < Upper;
}

/// <summary>Bands of a feature with the rows falling in each and their mean family contribution.</summary>
internal sealed record Banded(int Feature, IReadOnlyList<Band> Bands, int[] BandOfRow, double[] Mean, int[] Rows, double R2);

/// <summary>
/// Cuts a feature into a few bands with round bounds (counts 1, 2, 3, 5, 10…; days 7, 14, 30, 60, 90…; numbers at
/// rounded quintiles), merging bands with too little support and neighbours whose mean contribution hardly differs,
/// until at most <see cref="MaxBands"/> remain.
/// </summary>
internal static class Banding
{
    public const int MaxBands = 5;

    private static readonly double[] CountEdges = [1, 2, 3, 5, 10, 20, 50, 100, 200, 500, 1000];
    private static readonly double[] DayEdges = [7, 14, 30, 60, 90, 180, 365, 730];

    public static Banded Cut(int feature, FeatureKind kind, ReadOnlySpan<float> values, double[] phi, int minSupport, double mergeBelow)
    {
        var n = values.Length;
        var present = new List<float>(n);
        var hasMissing = false;
        foreach (var v in values)
        {
            if (float.IsNaN(v)) hasMissing = true;
            else present.Add(v);
        }
        var edges = kind switch
        {
            FeatureKind.Flag or FeatureKind.Level => [1.0],
            FeatureKind.Count => CountEdges,
            FeatureKind.Recency => DayEdges,
            _ => QuantileEdges(present),
        };
        // Start from the candidate intervals, dropping edges beyond the data.
        var max = present.Count == 0 ? 0 : present.Max();
        var min = present.Count == 0 ? 0 : present.Min();
        var cuts = edges.Where(e => e > min && e <= max).Distinct().Order().ToList();
        var bands = new List<Band>();
        var lower = double.NegativeInfinity;
        foreach (var c in cuts)
        {
            bands.Add(new Band(lower, c, false));
            lower = c;
        }
        bands.Add(new Band(lower, double.PositiveInfinity, false));
        if (hasMissing) bands.Add(new Band(double.NaN, double.NaN, true));

        var (assign, mean, rows) = Assign(bands, values, phi);
        // Merge: low support first, then the closest neighbours, until the bands are few and distinct.
        while (true)
        {
            var numeric = bands.Count(b => !b.Missing);
            var weakest = -1;
            for (var b = 0; b < bands.Count; b++)
            {
                if (!bands[b].Missing && rows[b] < minSupport && numeric > 1 && (weakest < 0 || rows[b] < rows[weakest])) weakest = b;
            }
            int merge;
            if (weakest >= 0)
            {
                merge = NeighbourToMerge(bands, mean, weakest);
            }
            else
            {
                merge = -1;
                var best = double.PositiveInfinity;
                for (var b = 0; b + 1 < bands.Count; b++)
                {
                    if (bands[b].Missing || bands[b + 1].Missing) continue;
                    var d = Math.Abs(mean[b] - mean[b + 1]);
                    if (d < best)
                    {
                        best = d;
                        merge = b;
                    }
                }
                if (merge < 0 || (best >= mergeBelow && numeric <= MaxBands)) break;
            }
            bands[merge] = new Band(bands[merge].Lower, bands[merge + 1].Upper, false);
            bands.RemoveAt(merge + 1);
            (assign, mean, rows) = Assign(bands, values, phi);
        }
        return new Banded(feature, bands, assign, mean, rows, R2(assign, mean, phi));
    }

    /// <summary>
    /// Merges neighbouring bands of a recency whose points contradict their own conversion rates (the band with more
    /// points converts less), and with <paramref name="nonIncreasing"/> (inactivity) every pair where the longer wait
    /// scores more, until none is left: a marketer reading "viewed 30–90 days ago: −3" beside "in the last 30 days: 0"
    /// checks the rates, and a table that contradicts them is not believed.
    /// </summary>
    /// <param name="banded">Bands of one feature, as <see cref="Cut"/> returns them.</param>
    /// <param name="values">The feature's value on each row.</param>
    /// <param name="phi">The family's contribution on each row.</param>
    /// <param name="y">Each row's outcome (1 converted).</param>
    public static Banded MergeContradicting(Banded banded, ReadOnlySpan<float> values, double[] phi, float[] y, bool nonIncreasing)
    {
        var bands = banded.Bands.ToList();
        var (assign, mean, rows) = (banded.BandOfRow, banded.Mean, banded.Rows);
        while (true)
        {
            var conversions = new int[bands.Count];
            for (var i = 0; i < assign.Length; i++)
            {
                if (y[i] > 0.5f) conversions[assign[i]]++;
            }
            var merge = -1;
            for (var b = 0; b + 1 < bands.Count && merge < 0; b++)
            {
                if (bands[b].Missing || bands[b + 1].Missing || rows[b] == 0 || rows[b + 1] == 0) continue;
                var pointsRise = mean[b + 1] - mean[b];
                var rateRise = (double)conversions[b + 1] / rows[b + 1] - (double)conversions[b] / rows[b];
                if ((nonIncreasing && pointsRise > 0) || pointsRise * rateRise < 0) merge = b;
            }
            if (merge < 0) break;
            bands[merge] = new Band(bands[merge].Lower, bands[merge + 1].Upper, false);
            bands.RemoveAt(merge + 1);
            (assign, mean, rows) = Assign(bands, values, phi);
        }
        return bands.Count == banded.Bands.Count ? banded : new Banded(banded.Feature, bands, assign, mean, rows, R2(assign, mean, phi));
    }

    /// <summary>The left index of the pair to merge band <paramref name="b"/> into its closer numeric neighbour.</summary>
    private static int NeighbourToMerge(List<Band> bands, double[] mean, int b)
    {
        var left = b > 0 && !bands[b - 1].Missing ? b - 1 : -1;
        var right = b + 1 < bands.Count && !bands[b + 1].Missing ? b + 1 : -1;
        if (left < 0) return b;
        if (right < 0) return left;
        return Math.Abs(mean[b] - mean[left]) <= Math.Abs(mean[b] - mean[right]) ? left : b;
    }

    private static (int[] Assign, double[] Mean, int[] Rows) Assign(List<Band> bands, ReadOnlySpan<float> values, double[] phi)
    {
        var assign = new int[values.Length];
        var sum = new double[bands.Count];
        var rows = new int[bands.Count];
        for (var i = 0; i < values.Length; i++)
        {
            var b = 0;
            while (b < bands.Count - 1 && !bands[b].Contains(values[i])) b++;
            assign[i] = b;
            sum[b] += phi[i];
            rows[b]++;
        }
        var mean = new double[bands.Count];
        for (var b = 0; b < bands.Count; b++) mean[b] = rows[b] == 0 ? 0 : sum[b] / rows[b];
        return (assign, mean, rows);
    }

    /// <summary>Share of the family contribution's variance that the band means explain.</summary>
    private static double R2(int[] assign, double[] mean, double[] phi)
    {
        if (phi.Length == 0) return 0;
        var avg = phi.Average();
        double total = 0, residual = 0;
        for (var i = 0; i < phi.Length; i++)
        {
            total += (phi[i] - avg) * (phi[i] - avg);
            residual += (phi[i] - mean[assign[i]]) * (phi[i] - mean[assign[i]]);
        }
        return total <= 1e-12 ? 0 : 1 - residual / total;
    }

    /// <summary>
    /// Quintile edges rounded to two significant digits, or more where two would carry the edge out of the data's
    /// range (a quintile at the maximum 999 would become 1,000 and cut nothing off: the band "999 or more" of a
    /// sentinel value, or of any value holding most rows at the top, would vanish with its effect).
    /// </summary>
    internal static double[] QuantileEdges(List<float> present)
    {
        if (present.Count == 0) return [];
        var sorted = present.Order().ToArray();
        double min = sorted[0], max = sorted[^1];
        var edges = new List<double>();
        foreach (var q in new[] { 0.2, 0.4, 0.6, 0.8 })
        {
            double value = sorted[(int)(q * (sorted.Length - 1))];
            var edge = Round(value, 2);
            for (var digits = 3; !(edge > min && edge <= max) && digits <= 9; digits++) edge = Round(value, digits);
            edges.Add(edge);
        }
        return [.. edges.Distinct()];
    }

    /// <summary><paramref name="v"/> rounded to <paramref name="digits"/> significant digits.</summary>
    internal static double Round(double v, int digits)
    {
        if (v == 0 || !double.IsFinite(v)) return v;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(Math.Abs(v))) - (digits - 1));
        return Math.Round(v / magnitude) * magnitude;
    }

    /// <summary>Readable text for a band of a feature, e.g. "3 or more", "1–2", "never", "from 30 to under 40".</summary>
    public static string Describe(Band band, FeatureKind kind)
    {
        if (band.Missing) return kind is FeatureKind.Recency or FeatureKind.Count ? "never" : "not given";
        var integer = kind is FeatureKind.Count or FeatureKind.Flag or FeatureKind.Level;
        string F(double v) => v.ToString(integer ? "0" : "G4", CultureInfo.InvariantCulture);
        if (kind is FeatureKind.Flag or FeatureKind.Level) return band.Lower >= 1 ? "yes" : "no";
        if (double.IsNegativeInfinity(band.Lower) && double.IsPositiveInfinity(band.Upper)) return kind == FeatureKind.Recency ? "any time" : "given";
        if (double.IsNegativeInfinity(band.Lower))
        {
            if (integer && band.Upper == 1) return "none";
            return integer ? $"{F(band.Upper - 1)} or fewer" : $"under {F(band.Upper)}";
        }
        if (double.IsPositiveInfinity(band.Upper)) return $"{F(band.Lower)} or more";
        if (integer) return band.Upper - band.Lower == 1 ? F(band.Lower) : $"{F(band.Lower)}–{F(band.Upper - 1)}";
        return $"from {F(band.Lower)} to under {F(band.Upper)}";
    }
}
