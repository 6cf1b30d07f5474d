using LeadML.Features.Bundles;
using LeadML.Features.Engine;
using LeadML.Features.Randomness;
using LeadML.Trainer.Modeling;

namespace LeadML.Trainer.Tests.Modeling;

/// <summary>Predictions of a trained candidate at scale: margins in chunks and contributions from the managed
/// evaluator give what one native call over the whole matrix gives.</summary>
public sealed class TrainedModelTests
{
    private const int Width = 4;

    /// <summary>Rows of four features (one with missing values) and labels from a known logit.</summary>
    private static (float[] X, float[] Y) Data(int rows, ulong seed)
    {
        var rng = new Xoshiro256(seed);
        var x = new float[rows * Width];
        var y = new float[rows];
        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < Width; j++) x[i * Width + j] = (float)rng.NextGaussian();
            if (rng.NextDouble() < 0.1) x[i * Width + 3] = float.NaN;
            var logit = -2 + x[i * Width] + 0.5 * x[i * Width + 1] * x[i * Width + 2];
            y[i] = rng.NextDouble() < 1 / (1 + Math.Exp(-logit)) ? 1f : 0f;
        }
        return (x, y);
    }

    private static TrainedModel Trees()
    {
        var (x, y) = Data(3000, 1);
        using var d = DMatrix.FromDense(x, y.Length, Width, y);
        var trained = Booster.Train(new BoosterParameters { MaxDepth = 3, Eta = 0.1, NThread = 1 }, d, null, 40);
        return new TrainedModel
        {
            Kind = ModelKind.Trees, Booster = trained.Booster, Settings = new Dictionary<string, string>(), Description = "trees", Complexity = 3,
        };
    }

    [Fact]
    public void Margins_MoreRowsThanAChunk_EqualOneNativeCall()
    {
        using var model = Trees();
        var (x, _) = Data(70_000, 2);

        var margins = model.Margins(x, 70_000, Width);

        using var all = DMatrix.FromDense(x, 70_000, Width);
        var native = model.Booster!.PredictMargin(all);
        Assert.Equal(native.Select(v => (double)v), margins);
    }

    [Fact]
    public void Contributions_MatchTheNativeTreeShap_AndSumToTheMargin()
    {
        using var model = Trees();
        var (x, _) = Data(500, 3);

        var phi = model.Contributions(x, 500, Width);

        var native = model.Booster!.PredictContributions(x, 500);
        Assert.Equal(native.Length, phi.Length);
        for (var k = 0; k < phi.Length; k++) Assert.Equal(native[k], phi[k], 4);
        var margins = model.Margins(x, 500, Width);
        for (var i = 0; i < 500; i++) Assert.Equal(margins[i], phi.AsSpan(i * (Width + 1), Width + 1).ToArray().Sum(), 4);
    }
}
