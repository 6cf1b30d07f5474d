using LeadML.Features.Bundles;
using LeadML.Features.Evaluation;
using LeadML.Features.Randomness;
using LeadML.Trainer.Modeling;

namespace LeadML.Trainer.Tests.Modeling;

/// <summary>The calibration's rolling origins, on a history whose conversion rate is planted to drift.</summary>
public sealed class ModelSearchTests
{
    private const int Blocks = 10;
    private const int PerBlock = 3000;
    private const int ValidationBlocks = 2;

    /// <summary>Ten periods of 3,000 rows, one feature with a fixed effect, the base rate rising from 4 % to 34 %:
    /// the first eight periods train, the last two validate.</summary>
    private static (float[] TrainX, float[] TrainY, float[] ValidX, float[] ValidY, int[] Keys) Drifting(ulong seed)
    {
        var rng = new Xoshiro256(seed);
        var x = new float[Blocks * PerBlock];
        var y = new float[Blocks * PerBlock];
        for (var b = 0; b < Blocks; b++)
        {
            var rate = 0.04 + 0.30 * b / (Blocks - 1);
            var intercept = Math.Log(rate / (1 - rate));
            for (var k = 0; k < PerBlock; k++)
            {
                var i = b * PerBlock + k;
                x[i] = (float)rng.NextGaussian();
                y[i] = rng.NextBool(1 / (1 + Math.Exp(-(intercept + 0.8 * x[i])))) ? 1f : 0f;
            }
        }
        var nTrain = (Blocks - ValidationBlocks) * PerBlock;
        return (x[..nTrain], y[..nTrain], x[nTrain..], y[nTrain..], [.. Enumerable.Range(0, nTrain).Select(i => i / PerBlock)]);
    }

    private static double MeanCalibrated(SearchOutcome o) => o.ChosenValidationMargins.Select(o.Calibration.Apply).Average();

    [Fact]
    public void Calibration_IsFittedOnRollingOrigins_EachPredictedOnlyFromWhatCameBefore()
    {
        var (tx, ty, vx, vy, keys) = Drifting(11);
        var options = new SearchOptions { LinearOnly = true, L2 = [1e-3], CalibrationOrigins = 2, Threads = 1 };
        using var outcome = Disposing(ModelSearch.Run(tx, ty, vx, vy, 1, options, layout: new OriginLayout(keys, ValidationBlocks)));

        // Two origins within training, each as long as validation (two periods), oldest first, then validation.
        Assert.Equal(3, outcome.Value.Origins.Count);
        var (first, second, validation) = (outcome.Value.Origins[0], outcome.Value.Origins[1], outcome.Value.Origins[2]);
        Assert.Equal((4 * PerBlock, 6 * PerBlock), (first.Start, first.End));
        Assert.Equal((6 * PerBlock, 8 * PerBlock), (second.Start, second.End));
        Assert.Equal(-1, validation.Start);
        // Out of time: each origin's model saw only the rows before it.
        Assert.Equal(first.Start, first.FitRows);
        Assert.Equal(second.Start, second.FitRows);
        Assert.Equal(ty[first.Start..first.End], first.Y);
        Assert.Equal(vy, validation.Y);
    }

    [Fact]
    public void DriftingRates_OriginsArePooledAtTheLatestLevel()
    {
        var (tx, ty, vx, vy, keys) = Drifting(12);
        var layout = new OriginLayout(keys, ValidationBlocks);
        using var pooled = Disposing(ModelSearch.Run(tx, ty, vx, vy, 1, new SearchOptions { LinearOnly = true, L2 = [1e-3], CalibrationOrigins = 2 }, layout: layout));
        using var last = Disposing(ModelSearch.Run(tx, ty, vx, vy, 1, new SearchOptions { LinearOnly = true, L2 = [1e-3] }, layout: layout));

        var origins = pooled.Value.Origins;
        var validationRate = vy.Average(v => (double)v);
        var earlierRate = origins.Take(origins.Count - 1).SelectMany(o => o.Y).Average(v => (double)v);
        Assert.True(earlierRate < validationRate - 0.03, $"the planted drift: {earlierRate:F3} before validation, {validationRate:F3} in it");
        // By default validation alone, which reproduces its rate.
        Assert.Single(last.Value.Origins);
        Assert.InRange(MeanCalibrated(last.Value), validationRate - 0.01, validationRate + 0.01);
        // With origins, each is moved to the latest level first: the level still from validation, the shape from all three.
        Assert.InRange(MeanCalibrated(pooled.Value), validationRate - 0.01, validationRate + 0.01);
        Assert.NotEqual(last.Value.Calibration.A, pooled.Value.Calibration.A);
        Assert.Contains("3 stretches", pooled.Value.CalibrationChoice.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void Origins_StopWhereTooFewRowsWouldRemainToFitOn()
    {
        var (tx, ty, vx, vy, keys) = Drifting(13);
        // Validation spans four periods here: one origin of four periods leaves four of eight to fit on; a second would leave none.
        using var outcome = Disposing(ModelSearch.Run(tx, ty, vx, vy, 1, new SearchOptions { LinearOnly = true, L2 = [1e-3], CalibrationOrigins = 5 },
            layout: new OriginLayout(keys, 4)));
        Assert.Equal(2, outcome.Value.Origins.Count);
        Assert.True(outcome.Value.Origins[0].FitRows >= tx.Length * ModelSearch.MinOriginFitShare);
        Assert.Equal(Metrics.CountPositives(vy), Metrics.CountPositives(outcome.Value.Origins[^1].Y));
    }

    /// <summary>Rows with a non-linear planted effect (an interaction and a threshold), for tree candidates.</summary>
    private static (float[] X, float[] Y) Curved(Xoshiro256 rng, int rows)
    {
        const int width = 3;
        var x = new float[rows * width];
        var y = new float[rows];
        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < width; j++) x[i * width + j] = (float)rng.NextGaussian();
            var logit = -1.5 + 0.9 * x[i * width] * x[i * width + 1] + (x[i * width + 2] > 0.5 ? 1.2 : 0);
            y[i] = rng.NextBool(1 / (1 + Math.Exp(-logit))) ? 1f : 0f;
        }
        return (x, y);
    }

    [Fact]
    public void TreeCandidatesSideBySide_ChooseAndRefitAsOneAfterAnother()
    {
        var rng = new Xoshiro256(21);
        var (tx, ty) = Curved(rng, 4000);
        var (vx, vy) = Curved(rng, 1500);
        // Threads 1 fits one candidate after another; 3 fits them side by side, one XGBoost thread each, and refits
        // the choice so far beside the last min child weight.
        SearchOptions Options(int threads) => new() { TreesOnly = true, Depths = [1, 2, 3], MinChildWeights = [1, 30], MaxRounds = 80, Threads = threads };
        using var apart = Disposing(ModelSearch.Run(tx, ty, vx, vy, 3, Options(1)));
        using var together = Disposing(ModelSearch.Run(tx, ty, vx, vy, 3, Options(3)));

        Assert.Equal(4, together.Value.Candidates.Count);
        Assert.Equal(apart.Value.Candidates.Select(c => (c.Description, c.ValidationRocAuc)), together.Value.Candidates.Select(c => (c.Description, c.ValidationRocAuc)));
        Assert.Equal(apart.Value.Chosen.Description, together.Value.Chosen.Description);
        foreach (var setting in new[] { "maxDepth", "eta", "minChildWeight" })
        {
            Assert.Equal(together.Value.Chosen.Settings[setting], together.Value.Model.Settings[setting]);
        }
        Assert.Equal(apart.Value.Model.Booster!.SaveUbj(), together.Value.Model.Booster!.SaveUbj());
    }

    /// <summary>Rows whose log-odds are linear in the first feature plus <paramref name="curve"/> times a product of the
    /// next two (which only trees can fit).</summary>
    private static (float[] X, float[] Y) Mixed(Xoshiro256 rng, int rows, double curve)
    {
        const int width = 3;
        var x = new float[rows * width];
        var y = new float[rows];
        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < width; j++) x[i * width + j] = (float)rng.NextGaussian();
            var logit = -1.5 + 0.8 * x[i * width] + curve * x[i * width + 1] * x[i * width + 2];
            y[i] = rng.NextBool(1 / (1 + Math.Exp(-logit))) ? 1f : 0f;
        }
        return (x, y);
    }

    [Theory]
    [InlineData(0.0, ModelKind.Linear)]
    [InlineData(1.2, ModelKind.Trees)]
    public void LinearBesideTheRefit_ChoosesAndRefitsAsOneAfterAnother(double curve, ModelKind winner)
    {
        var rng = new Xoshiro256(33);
        var (tx, ty) = Mixed(rng, 3000, curve);
        var (vx, vy) = Mixed(rng, 1500, curve);
        // Threads 1 fits everything one after another; 2 fits the logistic regression and the second min child weight
        // beside the refit of the trees' choice so far, which is thrown away when the logistic regression is chosen.
        SearchOptions Options(int threads) => new() { Depths = [1, 2], MinChildWeights = [1, 30], L2 = [1e-4, 1e-2], MaxRounds = 60, Threads = threads };
        using var apart = Disposing(ModelSearch.Run(tx, ty, vx, vy, 3, Options(1)));
        using var together = Disposing(ModelSearch.Run(tx, ty, vx, vy, 3, Options(2)));

        Assert.Equal(winner, together.Value.Chosen.Kind);
        Assert.Equal(winner, together.Value.Model.Kind);
        Assert.Equal(ModelKind.Linear, together.Value.Candidates[0].Kind);
        Assert.Equal(apart.Value.Candidates.Select(c => (c.Description, c.ValidationRocAuc)), together.Value.Candidates.Select(c => (c.Description, c.ValidationRocAuc)));
        Assert.Equal(apart.Value.Chosen.Description, together.Value.Chosen.Description);
        Assert.Equal(apart.Value.Model.Description, together.Value.Model.Description);
        if (winner == ModelKind.Trees)
        {
            Assert.Equal(apart.Value.Model.Booster!.SaveUbj(), together.Value.Model.Booster!.SaveUbj());
        }
        else
        {
            Assert.Equal(apart.Value.Model.Linear!.Weights, together.Value.Model.Linear!.Weights);
            Assert.Equal(apart.Value.Model.Linear!.Intercept, together.Value.Model.Linear!.Intercept);
        }
    }

    [Fact]
    public void Concurrently_KeepsTheJobsOrder_AndRethrowsTheFailureItself()
    {
        var given = new int[5];
        var results = ModelSearch.Concurrently([.. Enumerable.Range(0, 5).Select(i => (Func<int, int>)(threads =>
        {
            given[i] = threads;
            return i * 10;
        }))], 2);
        Assert.Equal([0, 10, 20, 30, 40], results);
        // Two at a time: one XGBoost thread each.
        Assert.All(given, t => Assert.Equal(1, t));
        Assert.Equal([4], ModelSearch.Concurrently([threads => threads], 4));

        var failure = Assert.Throws<InvalidOperationException>(() => ModelSearch.Concurrently<int>([_ => 1, _ => throw new InvalidOperationException("no rows")], 2));
        Assert.Equal("no rows", failure.Message);
    }

    private static DisposableOutcome Disposing(SearchOutcome o) => new(o);

    private sealed class DisposableOutcome(SearchOutcome value) : IDisposable
    {
        public SearchOutcome Value { get; } = value;

        public void Dispose() => Value.Model.Dispose();
    }
}
