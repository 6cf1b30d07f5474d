using LeadML.Features.Bundles;
using LeadML.Features.Engine;

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

    /// <summary>Log-odds margins for row-major rows.</summary>
    public double[] Margins(float[] x, int rows, int width)
    {
        var result = new double[rows];
        if (rows == 0) return result;
        if (Kind == ModelKind.Linear)
        {
            for (var i = 0; i < rows; i++) result[i] = Linear!.Margin(x.AsSpan(i * width, width));
            return result;
        }
        using var m = DMatrix.FromDense(x.AsSpan(0, rows * width), rows, width);
        var margins = Booster!.PredictMargin(m);
        for (var i = 0; i < rows; i++) result[i] = margins[i];
        return result;
    }

    /// <summary>Per-row contributions on the log-odds scale, row-major <c>rows × (width + 1)</c>, the bias last:
    /// exact TreeSHAP for trees, <c>w·(x − mean)/scale</c> for the logistic regression. Each row sums to its margin.</summary>
    public double[] Contributions(float[] x, int rows, int width)
    {
        var result = new double[rows * (width + 1)];
        if (rows == 0) return result;
        if (Kind == ModelKind.Linear)
        {
            for (var i = 0; i < rows; i++) Linear!.Contributions(x.AsSpan(i * width, width), result.AsSpan(i * (width + 1), width + 1));
            return result;
        }
        const int chunk = 4096;
        for (var start = 0; start < rows; start += chunk)
        {
            var n = Math.Min(chunk, rows - start);
            var phi = Booster!.PredictContributions(x.AsSpan(start * width, n * width), n);
            for (var k = 0; k < phi.Length; k++) result[start * (width + 1) + k] = phi[k];
        }
        return result;
    }

    public void Dispose() => Booster?.Dispose();
}
