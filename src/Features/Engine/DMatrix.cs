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
        Validate(values, rows, cols, labels, weights);
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

    /// <summary>Rows handed to XGBoost at a time while a <c>ForTraining</c> matrix is built: its sketch copies a
    /// batch column by column, so the batch, not the whole matrix, sets that transient cost.</summary>
    private const int TrainingBatchRows = 65_536;

    /// <summary>
    /// Builds a matrix for training and evaluation with the <c>hist</c> tree method (XGBoost's quantile matrix): the
    /// values are read from <paramref name="values"/> batch by batch and kept as histogram bin indices, a byte per
    /// value, instead of the copy of every value (and its column index) that <see cref="FromDense"/> makes. Trees grown
    /// on it split at the same bin boundaries as on <see cref="FromDense"/>'s matrix with <c>hist</c>.
    /// </summary>
    /// <param name="values">Exactly <paramref name="rows"/> × <paramref name="cols"/> row-major values; NaN marks a
    /// missing value. Read only while this method runs.</param>
    /// <param name="rows">The number of rows, at least 1.</param>
    /// <param name="cols">The number of columns, at least 1.</param>
    /// <param name="labels">One label per row.</param>
    /// <param name="weights">Empty for none, otherwise one non-negative weight per row (the bins are weighted by them).</param>
    /// <param name="reference">The training matrix whose bins an evaluation matrix must share; null for a training matrix.</param>
    /// <param name="threads">Threads XGBoost uses to build it.</param>
    /// <exception cref="ArgumentException">A length does not match <paramref name="rows"/> and <paramref name="cols"/>,
    /// or <paramref name="reference"/> has other columns.</exception>
    public static DMatrix ForTraining(ReadOnlySpan<float> values, int rows, int cols, ReadOnlySpan<float> labels, ReadOnlySpan<float> weights = default,
        DMatrix? reference = null, int threads = 2) =>
        ForTraining(values, rows, cols, labels, weights, reference, threads, TrainingBatchRows);

    /// <summary><see cref="ForTraining(ReadOnlySpan{float}, int, int, ReadOnlySpan{float}, ReadOnlySpan{float}, DMatrix?, int)"/>
    /// handing the rows over <paramref name="batchRows"/> at a time.</summary>
    internal static DMatrix ForTraining(ReadOnlySpan<float> values, int rows, int cols, ReadOnlySpan<float> labels, ReadOnlySpan<float> weights,
        DMatrix? reference, int threads, int batchRows)
    {
        Validate(values, rows, cols, labels, weights);
        if (labels.Length != rows)
        {
            throw new ArgumentException($"expected one label per row ({rows}), got {labels.Length}", nameof(labels));
        }
        if (reference is not null && reference.Columns != cols)
        {
            throw new ArgumentException($"the reference matrix has {reference.Columns} columns, these rows {cols}", nameof(reference));
        }
        var handle = Native.XGQuantileDMatrixCreateFromDense(values, rows, cols, labels, weights, reference?.Handle, threads, batchRows);
        return new DMatrix(handle, rows, cols);
    }

    private static void Validate(ReadOnlySpan<float> values, int rows, int cols, ReadOnlySpan<float> labels, ReadOnlySpan<float> weights)
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
    }

    /// <summary>Frees the native matrix. Safe to call more than once.</summary>
    public void Dispose() => _handle.Dispose();
}
