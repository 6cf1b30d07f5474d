using LeadML.Features.Bundles;
using LeadML.Features.Engine;
using LeadML.Features.Trees;

namespace LeadML.Trainer.Modeling;

/// <summary>A fitted candidate: trees or a logistic regression, with the settings that made it.</summary>
internal sealed class TrainedModel : IDisposable
{
    public required ModelKind Kind { get; init; }
    public Booster? Booster { get; init; }
    public LinearModel? Linear { get; init; }
    public required IReadOnlyDictionary<string, string> Settings { get; init; }
    /// <summary>A short description, e.g. "trees depth 3, eta 0.05, 400 rounds".</summary>
    public required string Description { get; init; }
    /// <summary>Simplicity rank for ties: lower is simpler (linear 0, then trees by depth).</summary>
    public required int Complexity { get; init; }
    /// <summary>What learned the model, for the manifest: XGBoost's version, the logistic regression, or another tree
    /// learner whose trees are served as XGBoost's.</summary>
    public string Engine
    {
        get => _engine ?? (Kind == ModelKind.Trees ? $"xgboost {Booster.Version.Major}.{Booster.Version.Minor}.{Booster.Version.Build}" : "leadml logistic regression");
        init => _engine = value;
    }

    private readonly string? _engine;

    private const int MarginChunk = 65_536;

    /// <summary>Log-odds margins for row-major rows.</summary>
    public double[] Margins(ReadOnlySpan<float> x, int rows, int width)
    {
        var result = new double[rows];
        if (rows == 0) return result;
        if (Kind == ModelKind.Linear)
        {
            for (var i = 0; i < rows; i++) result[i] = Linear!.Margin(x.Slice(i * width, width));
            return result;
        }
        // In chunks: XGBoost copies a dense matrix at twice its size, and the test period of a million-lead history
        // holds over a gigabyte of features.
        for (var start = 0; start < rows; start += MarginChunk)
        {
            var n = Math.Min(MarginChunk, rows - start);
            var margins = Booster!.PredictMargin(x.Slice(start * width, n * width), n);
            for (var i = 0; i < n; i++) result[start + i] = margins[i];
        }
        return result;
    }

    /// <summary>Per-row contributions on the log-odds scale, row-major <c>rows × (width + 1)</c>, the bias last:
    /// exact TreeSHAP for trees, <c>w·(x − mean)/scale</c> for the logistic regression. Each row sums to its margin.</summary>
    public double[] Contributions(ReadOnlyMemory<float> x, int rows, int width)
    {
        var result = new double[rows * (width + 1)];
        if (rows > 0) Fill(x, rows, width, result, Ensemble());
        return result;
    }

    private const int ContributionChunk = 65_536;

    /// <summary>The same contributions a chunk of rows at a time, each passed to <paramref name="chunk"/> with the index
    /// of its first row (the buffer is reused): a million-lead validation period's would hold close to a gigabyte at once.</summary>
    public void Contributions(ReadOnlyMemory<float> x, int rows, int width, Action<int, ReadOnlyMemory<double>> chunk)
    {
        if (rows == 0) return;
        var trees = Ensemble();
        var buffer = new double[Math.Min(rows, ContributionChunk) * (width + 1)];
        for (var start = 0; start < rows; start += ContributionChunk)
        {
            var n = Math.Min(ContributionChunk, rows - start);
            Fill(x.Slice(start * width, n * width), n, width, buffer, trees);
            chunk(start, buffer.AsMemory(0, n * (width + 1)));
        }
    }

    // The managed evaluator (per-leaf TreeSHAP tables, checked against the native library in the Features tests)
    // costs a fraction of the native exact TreeSHAP per row, and runs on every core without a DMatrix copy: on a
    // million-lead history the points step reads the contributions of hundreds of thousands of validation rows.
    private TreeEnsemble? Ensemble() => Kind == ModelKind.Linear ? null : TreeEnsemble.FromXGBoostJson(Booster!.SaveJson());

    private void Fill(ReadOnlyMemory<float> x, int rows, int width, double[] into, TreeEnsemble? trees)
    {
        if (trees is null)
        {
            for (var i = 0; i < rows; i++) Linear!.Contributions(x.Span.Slice(i * width, width), into.AsSpan(i * (width + 1), width + 1));
            return;
        }
        Parallel.For(0, rows, () => new double[width + 1], (i, _, phi) =>
        {
            trees.Contributions(x.Span.Slice(i * width, width), phi);
            phi.CopyTo(into.AsSpan(i * (width + 1), width + 1));
            return phi;
        }, _ => { });
    }

    public void Dispose() => Booster?.Dispose();
}
