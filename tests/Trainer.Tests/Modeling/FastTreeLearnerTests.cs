using LeadML.Features.Engine;
using LeadML.Features.Randomness;
using LeadML.Features.Trees;
using LeadML.Trainer.Modeling;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace LeadML.Trainer.Tests.Modeling;

/// <summary>FastTree's trees exported to the saved-tree form: the managed evaluator and XGBoost give ML.NET's own
/// predictions (missing values and values on a threshold included), on the log-odds scale ML.NET's calibrator
/// defines, and exact TreeSHAP over them adds up to the margin.</summary>
public sealed class FastTreeLearnerTests
{
    private const int Width = 6;
    private static readonly FastTreeSettings Settings = new(Leaves: 12, LearningRate: 0.15, MinLeafRows: 10, Trees: 60);

    /// <summary>Gaussian features, f5 a 0/1 flag; f0 and f1 are missing for about 15 % of rows, and a missing f1 itself
    /// raises the odds (as "never visited" would), so the trees must route missing values somewhere on purpose.</summary>
    private static (float[] X, float[] Y, float[] W) Data(int rows, ulong seed)
    {
        var rng = new Xoshiro256(seed);
        var x = new float[rows * Width];
        var y = new float[rows];
        var w = new float[rows];
        for (var i = 0; i < rows; i++)
        {
            var row = x.AsSpan(i * Width, Width);
            for (var j = 0; j < Width; j++) row[j] = (float)rng.NextGaussian();
            row[5] = rng.NextBool(0.3) ? 1f : 0f;
            var missing1 = rng.NextBool(0.15);
            var logit = -1 + 1.2 * row[0] - 0.8 * (missing1 ? -1.5 : row[1]) + 0.7 * row[0] * row[2] + Math.Sin(2 * row[3]) + 0.6 * row[5];
            y[i] = rng.NextBool(1 / (1 + Math.Exp(-logit))) ? 1f : 0f;
            if (missing1) row[1] = float.NaN;
            if (rng.NextBool(0.15)) row[0] = float.NaN;
            w[i] = y[i] > 0.5f ? 1f : rng.NextBool(0.5) ? 1f : 3f;
        }
        return (x, y, w);
    }

    /// <summary>Rows to compare predictions on: fresh rows, some with values exactly on one of the trees' thresholds
    /// (where "≤" and "&lt;" would part) and some with every feature missing.</summary>
    private static float[] Probe(FastTreeLearner.Grown grown, int rows)
    {
        var (x, _, _) = Data(rows, 77);
        var thresholds = grown.Trees.SelectMany(t => t.Left.Select((l, i) => (l, i)).Where(p => p.l != -1).Select(p => (t.Features[p.i], MathF.BitDecrement(t.Conditions[p.i]))))
            .ToArray();
        Assert.NotEmpty(thresholds);
        for (var r = 0; r < rows / 2; r++)
        {
            var (feature, threshold) = thresholds[r % thresholds.Length];
            x[r * Width + feature] = threshold;
        }
        for (var r = rows / 2; r < rows / 2 + 20; r++) x.AsSpan(r * Width, Width).Fill(float.NaN);
        return x;
    }

    private static (float[] Score, float[] Probability) MlNetPredictions(
        MLContext ml, ITransformer model, float[] x, int rows)
    {
        var scored = model.Transform(FastTreeLearner.Data(ml, x, new float[rows], null, Width));
        return (scored.GetColumn<float>("Score").ToArray(), scored.GetColumn<float>("Probability").ToArray());
    }

    [Fact]
    public void Probability_IsTheSigmoidOfTwiceTheLearningRateTimesTheScore_SoTheExportScalesLeavesByIt()
    {
        var (x, y, _) = Data(4000, 1);
        var ml = new MLContext(1);
        var model = FastTreeLearner.Train(ml, x, y, null, Width, Settings, threads: 1, seed: 1);

        Assert.Equal(-2 * Settings.LearningRate, model.Model.Calibrator.Slope, 12);
        Assert.Equal(0, model.Model.Calibrator.Offset);
        var (score, probability) = MlNetPredictions(ml, model, x[..(500 * Width)], 500);
        for (var r = 0; r < 500; r++)
        {
            Assert.Equal(1 / (1 + Math.Exp(-2 * Settings.LearningRate * score[r])), probability[r], 1e-6);
        }
    }

    [Fact]
    public void ExportedTrees_ManagedAndNative_EqualMLNetOnRowsWithMissingValuesAndValuesOnThresholds()
    {
        var (x, y, w) = Data(4000, 2);
        var ml = new MLContext(1);
        var model = FastTreeLearner.Train(ml, x, y, w, Width, Settings, threads: 1, seed: 1);
        var grown = FastTreeLearner.Export(model.Model.SubModel.TrainedTreeEnsemble, model.Model.Calibrator);
        Assert.Equal(Settings.Trees, grown.Trees.Count);
        // The planted effect of a missing f1 makes some split on f1 send its missing values one way on purpose.
        Assert.Contains(grown.Trees, t => t.Features.Where((f, i) => t.Left[i] != -1).Contains(1));

        using var booster = FastTreeLearner.ToBooster(grown, grown.Trees.Count, x, w, Width);
        var trees = TreeEnsemble.FromXGBoostJson(booster.SaveJson());
        const int rows = 3000;
        var probe = Probe(grown, rows);
        var (score, probability) = MlNetPredictions(ml, model, probe, rows);
        var native = booster.PredictMargin(probe, rows);
        var slope = model.Model.Calibrator.Slope;
        for (var r = 0; r < rows; r++)
        {
            var margin = trees.Margin(probe.AsSpan(r * Width, Width));
            Assert.True(Math.Abs(margin - -slope * score[r]) <= 1e-5 * Math.Max(1, Math.Abs(margin)), $"row {r}: managed margin {margin}, ML.NET's {-slope * score[r]}");
            Assert.True(Math.Abs(1 / (1 + Math.Exp(-margin)) - probability[r]) <= 1e-5, $"row {r}: managed probability {1 / (1 + Math.Exp(-margin))}, ML.NET's {probability[r]}");
            Assert.True(Math.Abs(native[r] - margin) <= 1e-5 * Math.Max(1, Math.Abs(margin)), $"row {r}: XGBoost margin {native[r]}, managed {margin}");
        }
    }

    [Fact]
    public void Contributions_OfExportedTrees_SumToTheMargin_AndEqualXGBoostsExactTreeShap()
    {
        var (x, y, w) = Data(4000, 3);
        var grown = FastTreeLearner.Fit(x, y, w, Width, Settings, threads: 1, seed: 5);
        using var booster = FastTreeLearner.ToBooster(grown, grown.Trees.Count, x, w, Width);
        var trees = TreeEnsemble.FromXGBoostJson(booster.SaveJson());
        const int rows = 500;
        var probe = Probe(grown, rows);
        var native = booster.PredictContributions(probe, rows);
        var phi = new double[Width + 1];
        var features = new HashSet<int>();
        for (var r = 0; r < rows; r++)
        {
            var row = probe.AsSpan(r * Width, Width);
            trees.Contributions(row, phi);
            Assert.Equal(trees.Margin(row), phi.Sum(), 1e-6);
            for (var j = 0; j <= Width; j++)
            {
                Assert.True(Math.Abs(native[r * (Width + 1) + j] - phi[j]) <= 1e-4, $"row {r} feature {j}: XGBoost {native[r * (Width + 1) + j]}, managed {phi[j]}");
                if (j < Width && Math.Abs(phi[j]) > 1e-3) features.Add(j);
            }
        }
        // The explanations name the features with planted effects, not only one of them.
        Assert.Superset(new HashSet<int> { 0, 1, 3 }, features);
    }

    [Fact]
    public void Cover_IsTheTrainingRowsWeightRoutedThroughEachNode()
    {
        var (x, y, w) = Data(2000, 4);
        var grown = FastTreeLearner.Fit(x, y, w, Width, Settings with { Trees = 5 }, threads: 1, seed: 5);
        var covered = TreeCover.Route(grown.Trees, x, Width, w);
        var total = w.Sum(v => (double)v);
        foreach (var tree in covered)
        {
            Assert.Equal(total, tree.Cover[0], 1e-3);
            for (var i = 0; i < tree.Left.Length; i++)
            {
                if (tree.Left[i] == -1) continue;
                Assert.Equal(tree.Cover[i], tree.Cover[tree.Left[i]] + tree.Cover[tree.Right[i]], 1e-3);
                Assert.True(tree.Cover[tree.Left[i]] > 0 && tree.Cover[tree.Right[i]] > 0);
            }
        }
    }

    [Fact]
    public void Cover_ANodeNoTrainingRowReaches_IsRefusedNamingTreeAndNode()
    {
        // Every row has f0 = 1, so the right child of "f0 < 0" gets nothing.
        var tree = new SavedTree([1, -1, -1], [2, -1, -1], [0, 0, 0], [0f, -1f, 1f], [false, false, false], new float[3]);
        var rows = new float[] { 1f, 1f, 1f };

        var error = Assert.Throws<InvalidDataException>(() => TreeCover.Route([tree], rows, 1));

        Assert.Contains("tree 0 node 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BestTreeCount_StopsWhereValidationLogLossIsLowest()
    {
        var (x, y, _) = Data(3000, 6);
        var (vx, vy, _) = Data(1500, 7);
        // A high learning rate on few rows overfits well before 150 trees.
        var grown = FastTreeLearner.Fit(x, y, null, Width, new FastTreeSettings(32, 0.5, 5, 150), threads: 1, seed: 5);

        var best = FastTreeLearner.BestTreeCount(grown, vx, vy, Width);

        Assert.InRange(best, 1, 149);
        using var kept = FastTreeLearner.ToBooster(grown, best, x, null, Width);
        using var all = FastTreeLearner.ToBooster(grown, grown.Trees.Count, x, null, Width);
        Assert.True(LogLoss(kept.PredictMargin(vx, vy.Length), vy) < LogLoss(all.PredictMargin(vx, vy.Length), vy));
    }

    private static double LogLoss(float[] margins, float[] y) =>
        margins.Select((m, i) => Math.Log(1 + Math.Exp(y[i] > 0.5f ? -m : m))).Average();

    [Fact]
    public void ModelSearch_TriesFastTreeBesideXGBoost()
    {
        var (x, y, _) = Data(6000, 8);
        var (vx, vy, _) = Data(2000, 9);
        var options = new SearchOptions { TreesOnly = true, Depths = [2], MinChildWeights = [1], FastTreeLeaves = [12], FastTreeTrees = 80, Threads = 1 };

        var outcome = ModelSearch.Run(x, y, vx, vy, Width, options);
        outcome.Model.Dispose();

        var fastTree = Assert.Single(outcome.Candidates, c => c.Settings["model"] == ModelSearch.FastTreeModelName);
        Assert.Single(outcome.Candidates, c => c.Settings["model"] != ModelSearch.FastTreeModelName);
        var xgboost = outcome.Candidates.Single(c => c != fastTree);
        Assert.InRange(fastTree.ValidationRocAuc, xgboost.ValidationRocAuc - 0.05, 1);
        Assert.Contains("FastTree 12 leaves", fastTree.Description, StringComparison.Ordinal);
        // Leaf-wise trees of 12 leaves can reach depth 11: for the simplicity rule they rank above XGBoost's depth 2.
        Assert.Equal(11, fastTree.Complexity);
        Assert.True(fastTree.Complexity > xgboost.Complexity);
    }

    [Fact]
    public void ModelSearch_FastTreeChosen_IsRefitAsFastTreeWithTreesScaledToTheRows_AndExplainedExactly()
    {
        var (x, y, _) = Data(6000, 10);
        var (vx, vy, _) = Data(2000, 11);
        var options = new SearchOptions { TreesOnly = true, Depths = [], FastTreeLeaves = [12], FastTreeTrees = 200, Threads = 1 };

        using var model = ModelSearch.Run(x, y, vx, vy, Width, options).Model;

        Assert.Equal(ModelSearch.FastTreeModelName, model.Settings["model"]);
        Assert.StartsWith("ml.net fasttree 6.0", model.Engine, StringComparison.Ordinal);
        Assert.Equal(int.Parse(model.Settings["rounds"], System.Globalization.CultureInfo.InvariantCulture), model.Booster!.BoostedRounds);
        var margins = model.Margins(vx, 200, Width);
        var contributions = model.Contributions(vx, 200, Width);
        for (var r = 0; r < 200; r++) Assert.Equal(margins[r], contributions.AsSpan(r * (Width + 1), Width + 1).ToArray().Sum(), 1e-4);
    }
}
