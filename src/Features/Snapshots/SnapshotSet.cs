using LeadML.Features.Featurization;

namespace LeadML.Features.Snapshots;

/// <summary>
/// Training rows: one per (lead, cut-off) for event histories, one per lead for single tables. Row-major feature
/// matrix, 0/1 labels, and for each row its lead, cut-off time and period.
/// </summary>
public sealed class SnapshotSet
{
    public required FeatureSpec Spec { get; init; }
    public required int Width { get; init; }
    public required float[] X { get; init; }
    public required float[] Y { get; init; }
    public required int[] Lead { get; init; }
    public required DateTime[] Cutoff { get; init; }
    public required Period[] Period { get; init; }
    /// <summary>Distinct cut-offs, ascending (event histories), or the period boundaries' times (single tables).</summary>
    public required IReadOnlyList<DateTime> Cutoffs { get; init; }
    public required int HorizonDays { get; init; }

    public int Rows => Y.Length;

    public ReadOnlySpan<float> Row(int i) => X.AsSpan(i * Width, Width);

    /// <summary>Copies the rows of the given periods into a new matrix (features, labels, row indices).</summary>
    public (float[] X, float[] Y, int[] Rows) Select(params Period[] periods)
    {
        var idx = new List<int>();
        for (var i = 0; i < Rows; i++)
        {
            if (periods.Contains(Period[i])) idx.Add(i);
        }
        var x = new float[idx.Count * Width];
        var y = new float[idx.Count];
        for (var k = 0; k < idx.Count; k++)
        {
            Row(idx[k]).CopyTo(x.AsSpan(k * Width, Width));
            y[k] = Y[idx[k]];
        }
        return (x, y, [.. idx]);
    }

    public int Count(Period p) => Period.Count(x => x == p);

    public int Positives(Period p)
    {
        var n = 0;
        for (var i = 0; i < Rows; i++)
        {
            if (Period[i] == p && Y[i] > 0.5f) n++;
        }
        return n;
    }
}
