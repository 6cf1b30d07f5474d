using LeadML.Features.Featurization;

namespace LeadML.Features.Snapshots;

/// <summary>
/// Training rows: one per (lead, cut-off) for event histories, one per lead for single tables. Row-major feature
/// matrix, 0/1 labels, and for each row its lead, cut-off time and period.
/// </summary>
public sealed class SnapshotSet
{
    /// <summary>The features of every row.</summary>
    public required FeatureSpec Spec { get; init; }
    /// <summary>Features per row.</summary>
    public required int Width { get; init; }
    /// <summary>The feature matrix, row after row (<see cref="Rows"/> × <see cref="Width"/>).</summary>
    public required float[] X { get; init; }
    /// <summary>1 when the lead converted within the horizon after the row's cut-off, else 0.</summary>
    public required float[] Y { get; init; }
    /// <summary>Each row's lead, as its index in the history's lead table.</summary>
    public required int[] Lead { get; init; }
    /// <summary>Each row's cut-off (UTC).</summary>
    public required DateTime[] Cutoff { get; init; }
    /// <summary>Each row's period.</summary>
    public required Period[] Period { get; init; }
    /// <summary>Distinct cut-offs, ascending (event histories), or the period boundaries' times (single tables).</summary>
    public required IReadOnlyList<DateTime> Cutoffs { get; init; }
    /// <summary>The conversion horizon in days.</summary>
    public required int HorizonDays { get; init; }
    /// <summary>Event types and details that converted leads do mostly after converting, left out of the features
    /// (event histories whose features were chosen here; empty otherwise).</summary>
    public IReadOnlyList<PostConversionEvents> PostConversionEvents { get; init; } = [];

    /// <summary>How many rows.</summary>
    public int Rows => Y.Length;

    /// <summary>Row <paramref name="i"/>'s features.</summary>
    public ReadOnlySpan<float> Row(int i) => X.AsSpan(i * Width, Width);

    /// <summary>Copies the rows of the given periods into a new matrix (features, labels, row indices).</summary>
    public (float[] X, float[] Y, int[] Rows) Select(params Period[] periods) => Copy(RowsOf(periods));

    /// <summary>The rows of the given periods as they lie in <see cref="X"/> (features, labels, row indices): without a
    /// copy of the features when the rows are consecutive, as each period and training + validation are (rows follow
    /// time), else copied like <see cref="Select"/>. At a million leads the validation and test periods alone hold over a
    /// gigabyte of features.</summary>
    public (ReadOnlyMemory<float> X, float[] Y, int[] Rows) View(params Period[] periods)
    {
        var rows = RowsOf(periods);
        if (rows.Length > 0 && rows[^1] - rows[0] + 1 != rows.Length)
        {
            var (x, y, copied) = Copy(rows);
            return (x, y, copied);
        }
        var first = rows.Length == 0 ? 0 : rows[0];
        return (X.AsMemory(checked(first * Width), checked(rows.Length * Width)), Y[first..(first + rows.Length)], rows);
    }

    /// <summary>The indices of the rows of the given periods, ascending.</summary>
    public int[] RowsOf(params Period[] periods)
    {
        var idx = new List<int>();
        for (var i = 0; i < Rows; i++)
        {
            if (periods.Contains(Period[i])) idx.Add(i);
        }
        return [.. idx];
    }

    /// <summary>Copies the given rows, in the order given, into a new matrix (features, labels, row indices).</summary>
    public (float[] X, float[] Y, int[] Rows) Copy(IReadOnlyList<int> rows)
    {
        var x = new float[(long)rows.Count * Width];
        var y = new float[rows.Count];
        for (var k = 0; k < rows.Count; k++)
        {
            Row(rows[k]).CopyTo(x.AsSpan(k * Width, Width));
            y[k] = Y[rows[k]];
        }
        return (x, y, [.. rows]);
    }

    /// <summary>Rows of period <paramref name="p"/>.</summary>
    public int Count(Period p) => Period.Count(x => x == p);

    /// <summary>Converted rows of period <paramref name="p"/>.</summary>
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
