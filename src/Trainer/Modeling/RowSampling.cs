using System.Globalization;
using LeadML.Features.Randomness;

namespace LeadML.Trainer.Modeling;

/// <summary>The training rows the models are fitted on: every converting row, and the non-converting rows kept with
/// their weight (1 / the share kept), so that a weighted fit sees the same conversion rate as the whole period.</summary>
/// <param name="Rows">Row indices, ascending.</param>
/// <param name="Weights">One weight per kept row: 1 for a conversion, 1 / <paramref name="NegativeShare"/> for a
/// non-converting row; null when every row is kept.</param>
/// <param name="NegativeShare">The share of non-converting rows kept, in (0, 1].</param>
/// <param name="Negatives">Non-converting rows before sampling.</param>
internal sealed record RowSample(int[] Rows, float[]? Weights, double NegativeShare, int Negatives)
{
    /// <summary>Whether rows were left out.</summary>
    public bool Sampled => Weights is not null;

    /// <summary>The sum of the weights: the number of rows the sample stands for.</summary>
    public double EffectiveRows => Weights is null ? Rows.Length : Weights.Sum(w => (double)w);

    /// <summary>What the report says about it, in a marketer's words.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"fitted on every conversion and {NegativeShare:0.#%} of the {Negatives:N0} non-converting training rows (the refit likewise on validation rows), each weighted {1 / NegativeShare:0.##} ×, so that the conversion rate the model learns is the period's; candidates are compared, calibrated and evaluated on every validation and test row, so calibration and every reported rate are measured on full periods");
}

/// <summary>
/// Sampling of non-converting snapshot rows for fitting (the usual remedy for large, imbalanced training sets): a
/// conversion is never left out, and each kept non-converting row carries the weight of those left out, so that the
/// weighted conversion rate, and hence the model's probabilities, stay those of the full period.
/// </summary>
internal static class RowSampling
{
    /// <summary>Training rows above which the non-converting ones are sampled by default (about 400,000 leads of the
    /// sample history, whose training period holds about a fifth of its snapshot rows): below it a fit on every row
    /// takes minutes; above it the fits' time stays about that of this many rows.</summary>
    public const int DefaultMaxRows = 250_000;

    /// <summary>The share of non-converting rows to keep so that about <paramref name="maxRows"/> rows remain
    /// (1 when they already fit).</summary>
    public static double AutoShare(int positives, int negatives, int maxRows)
    {
        if (positives + negatives <= maxRows || negatives == 0) return 1;
        return Math.Clamp((double)(maxRows - positives) / negatives, 0.01, 1);
    }

    /// <summary>Keeps every row of <paramref name="rows"/> whose label is 1, and each other row with probability
    /// <paramref name="negativeShare"/> (drawn from one seeded stream in row order, so the same rows and seed give
    /// the same sample).</summary>
    /// <param name="labels">Labels of every snapshot row.</param>
    /// <param name="rows">The candidate rows (the training period), ascending.</param>
    /// <param name="negativeShare">Share of non-converting rows kept, in (0, 1].</param>
    /// <param name="seed">The seed of the draw.</param>
    public static RowSample Draw(ReadOnlySpan<float> labels, IReadOnlyList<int> rows, double negativeShare, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(negativeShare, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(negativeShare, 1);
        var negatives = 0;
        foreach (var i in rows)
        {
            if (labels[i] <= 0.5f) negatives++;
        }
        if (negativeShare >= 1) return new RowSample([.. rows], null, 1, negatives);

        var rng = new Xoshiro256(seed);
        var kept = new List<int>();
        var weights = new List<float>();
        var negativeWeight = (float)(1 / negativeShare);
        foreach (var i in rows)
        {
            // One draw per row whatever its label, so that a row's fate does not depend on the labels before it.
            var keep = rng.NextDouble() < negativeShare;
            if (labels[i] > 0.5f)
            {
                kept.Add(i);
                weights.Add(1f);
            }
            else if (keep)
            {
                kept.Add(i);
                weights.Add(negativeWeight);
            }
        }
        return new RowSample([.. kept], [.. weights], negativeShare, negatives);
    }

    /// <summary>Every <c>k</c>-th row of <paramref name="rows"/> so that at most <paramref name="maxRows"/> remain: a
    /// uniform sample for what describes distributions (drift, the compact points table), which must not be tilted
    /// towards conversions.</summary>
    public static int[] Uniform(IReadOnlyList<int> rows, int maxRows)
    {
        if (rows.Count <= maxRows) return [.. rows];
        var step = (double)rows.Count / maxRows;
        var result = new int[maxRows];
        for (var k = 0; k < maxRows; k++) result[k] = rows[(int)(k * step)];
        return result;
    }
}
