namespace LeadML.Features.Engine;

/// <summary>
/// A dense XGBoost data matrix: rows of float features, optionally with labels and row weights. XGBoost copies the
/// values, so the caller's arrays may be reused afterwards. Dispose it to free the native memory.
/// </summary>
public sealed class DMatrix : IDisposable
{
    private readonly DMatrixHandle _handle;

    private DMatrix(DMatrixHandle handle, int rows, int columns)
    {
        _handle = handle;
        Rows = rows;
        Columns = columns;
    }

    /// <summary>The number of rows (leads).</summary>
    public int Rows { get; }

    /// <summary>The number of columns (features).</summary>
    public int Columns { get; }

    /// <summary>The native handle; throws once the matrix is disposed.</summary>
    internal DMatrixHandle Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
            return _handle;
        }
    }

    /// <summary>
    /// Builds a matrix from row-major <paramref name="values"/> (row 0's columns first); <see cref="float.NaN"/> marks
    /// a missing value, which trees route down their learned default branch.
    /// </summary>
    /// <param name="values">Exactly <paramref name="rows"/> × <paramref name="cols"/> values.</param>
    /// <param name="rows">The number of rows, at least 1.</param>
    /// <param name="cols">The number of columns, at least 1.</param>
    /// <param name="labels">Empty for none, otherwise one label per row (0 or 1 for <c>binary:logistic</c>).</param>
    /// <param name="weights">Empty for none, otherwise one non-negative weight per row.</param>
    /// <exception cref="ArgumentException">A length does not match <paramref name="rows"/> and <paramref name="cols"/>.</exception>
    public static DMatrix FromDense(ReadOnlySpan<float> values, int rows, int cols, ReadOnlySpan<float> labels = default, ReadOnlySpan<float> weights = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(cols, 1);
        if (values.Length != (long)rows * cols)
        {
            throw new ArgumentException(
                $"expected {rows} rows × {cols} columns = {(long)rows * cols} values, got {values.Length}", nameof(values));
        }
        if (!labels.IsEmpty && labels.Length != rows)
        {
            throw new ArgumentException($"expected one label per row ({rows}), got {labels.Length}", nameof(labels));
        }
        if (!weights.IsEmpty && weights.Length != rows)
        {
            throw new ArgumentException($"expected one weight per row ({rows}), got {weights.Length}", nameof(weights));
        }

        var handle = Native.XGDMatrixCreateFromMat(values, rows, cols);
        try
        {
            if (!labels.IsEmpty) Native.XGDMatrixSetLabel(handle, labels);
            if (!weights.IsEmpty) Native.XGDMatrixSetWeight(handle, weights);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
        return new DMatrix(handle, rows, cols);
    }

    /// <summary>Frees the native matrix. Safe to call more than once.</summary>
    public void Dispose() => _handle.Dispose();
}
