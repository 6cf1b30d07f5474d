using System.Text.Json;
using System.Text.Json.Nodes;
using LeadML.Features.Engine;
using LeadML.Features.Trees;

namespace LeadML.Features.Tests.Trees;

public sealed class TreeEnsembleTests
{
    private const int F = TreeFixtures.Features;

    public static TheoryData<int, int> Shapes => new() { { 2, 50 }, { 4, 300 }, { 6, 200 } };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Margin_RowsWithMissingValues_EqualsNativePredictMargin(int depth, int rounds)
    {
        using var booster = TreeFixtures.Train(depth, rounds);
        var ensemble = TreeEnsemble.FromXGBoostJson(booster.SaveJson());
        var (x, _) = TreeFixtures.Leads(101, 2000);
        Assert.Contains(x, float.IsNaN);

        var native = booster.PredictMargin(x, 2000).Select(v => (double)v).ToArray();
        var managed = new double[2000];
        for (var r = 0; r < 2000; r++) managed[r] = ensemble.Margin(x.AsSpan(r * F, F));

        TreeFixtures.Close(native, managed, 1e-5, "margin");
        Assert.Equal(F, ensemble.FeatureCount);
        Assert.Equal(rounds, ensemble.TreeCount);
        Assert.Equal(depth, ensemble.MaxDepth);
    }

    [Fact]
    public void Margins_Batch_EqualsMarginPerRow()
    {
        using var booster = TreeFixtures.Train(4, 60);
        var ensemble = TreeEnsemble.FromXGBoostJson(booster.SaveJson());
        var (x, _) = TreeFixtures.Leads(102, 300);

        var batch = new double[300];
        ensemble.Margins(x, batch);

        for (var r = 0; r < 300; r++) Assert.Equal(ensemble.Margin(x.AsSpan(r * F, F)), batch[r]);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Contributions_RowsWithMissingValues_EqualNativeExactTreeShap(int depth, int rounds)
    {
        using var booster = TreeFixtures.Train(depth, rounds);
        var ensemble = TreeEnsemble.FromXGBoostJson(booster.SaveJson());
        Assert.True(ensemble.UsesShapTables);
        const int rows = 400;
        var (x, _) = TreeFixtures.Leads(103, rows);

        var native = booster.PredictContributions(x, rows);
        var phi = new double[F + 1];
        for (var r = 0; r < rows; r++)
        {
            ensemble.Contributions(x.AsSpan(r * F, F), phi);
            var expected = native.AsSpan(r * (F + 1), F + 1).ToArray().Select(v => (double)v).ToArray();
            for (var j = 0; j <= F; j++)
            {
                Assert.True(Math.Abs(phi[j] - expected[j]) <= 1e-4, $"row {r} phi[{j}]: managed {phi[j]:R} vs native {expected[j]:R}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Contributions_SumToTheMargin(int depth, int rounds)
    {
        using var booster = TreeFixtures.Train(depth, rounds);
        var ensemble = TreeEnsemble.FromXGBoostJson(booster.SaveJson());
        var (x, _) = TreeFixtures.Leads(104, 500);
        var phi = new double[F + 1];

        for (var r = 0; r < 500; r++)
        {
            var row = x.AsSpan(r * F, F);
            ensemble.Contributions(row, phi);
            Assert.Equal(ensemble.Margin(row), phi.Sum(), 1e-6);
            Assert.Equal(ensemble.ExpectedMargin, phi[F]);
        }
    }

    [Theory]
    [InlineData(4, 100)]
    [InlineData(6, 200)]
    public void Contributions_WithoutTables_EqualTheTableResults(int depth, int rounds)
    {
        using var booster = TreeFixtures.Train(depth, rounds);
        var json = booster.SaveJson();
        var tabled = TreeEnsemble.FromXGBoostJson(json);
        var recursive = TreeEnsemble.FromXGBoostJson(json, shapTableBudget: 0);
        Assert.True(tabled.UsesShapTables);
        Assert.False(recursive.UsesShapTables);
        var (x, _) = TreeFixtures.Leads(105, 300);
        var a = new double[F + 1];
        var b = new double[F + 1];

        for (var r = 0; r < 300; r++)
        {
            tabled.Contributions(x.AsSpan(r * F, F), a);
            recursive.Contributions(x.AsSpan(r * F, F), b);
            for (var j = 0; j <= F; j++) Assert.Equal(a[j], b[j], 1e-9);
        }
    }

    [Fact]
    public void Contributions_WithoutTables_EqualNativeExactTreeShap()
    {
        using var booster = TreeFixtures.Train(6, 80);
        var ensemble = TreeEnsemble.FromXGBoostJson(booster.SaveJson(), shapTableBudget: 0);
        var (x, _) = TreeFixtures.Leads(106, 200);
        var native = booster.PredictContributions(x, 200);
        var phi = new double[F + 1];

        for (var r = 0; r < 200; r++)
        {
            ensemble.Contributions(x.AsSpan(r * F, F), phi);
            for (var j = 0; j <= F; j++) Assert.Equal(native[r * (F + 1) + j], phi[j], 1e-4);
        }
    }

    [Fact]
    public void FromXGBoostJson_ExplicitBaseScore_MarginsAndBiasEqualNative()
    {
        using var booster = TreeFixtures.Train(4, 50, baseScore: 0.3);
        var json = booster.SaveJson();
        var ensemble = TreeEnsemble.FromXGBoostJson(json);
        var (x, _) = TreeFixtures.Leads(107, 500);

        var stored = JsonNode.Parse(json)!["learner"]!["learner_model_param"]!["base_score"]!.GetValue<string>();
        Assert.Equal(0.3, double.Parse(stored, System.Globalization.CultureInfo.InvariantCulture), 6);
        var native = booster.PredictMargin(x, 500).Select(v => (double)v).ToArray();
        var managed = new double[500];
        ensemble.Margins(x, managed);
        TreeFixtures.Close(native, managed, 1e-5, "margin");

        var contributions = booster.PredictContributions(x.AsSpan(0, F), 1);
        var phi = new double[F + 1];
        ensemble.Contributions(x.AsSpan(0, F), phi);
        Assert.Equal(contributions[F], phi[F], 1e-5);
    }

    [Fact]
    public void FromXGBoostJson_BaseScoreEditedInTheJson_ShiftsEveryMarginByItsLogit()
    {
        using var booster = TreeFixtures.Train(4, 30);
        var model = JsonNode.Parse(booster.SaveJson())!;
        var neutral = TreeEnsemble.FromXGBoostJson(model.ToJsonString());
        model["learner"]!["learner_model_param"]!["base_score"] = "3E-1";
        var json = model.ToJsonString();
        var shifted = TreeEnsemble.FromXGBoostJson(json);
        using var nativeShifted = Booster.Load(System.Text.Encoding.UTF8.GetBytes(json));
        var (x, _) = TreeFixtures.Leads(111, 200);
        var native = nativeShifted.PredictMargin(x, 200);

        var logit = Math.Log(0.3 / 0.7);
        Assert.Equal(neutral.ExpectedMargin + logit, shifted.ExpectedMargin, 12);
        for (var r = 0; r < 200; r++)
        {
            var row = x.AsSpan(r * F, F);
            Assert.Equal(neutral.Margin(row) + logit, shifted.Margin(row), 12);
            Assert.Equal(native[r], shifted.Margin(row), 1e-5);
        }
    }

    [Theory]
    [InlineData("reg:squarederror")]
    [InlineData("binary:logitraw")]
    [InlineData("reg:logistic")]
    public void FromXGBoostJson_OtherObjective_ThrowsNotSupportedNamingIt(string objective)
    {
        var json = TreeFixtures.TrainRawJson(("objective", objective));

        var e = Assert.Throws<NotSupportedException>(() => TreeEnsemble.FromXGBoostJson(json));

        Assert.Contains($"'{objective}'", e.Message);
    }

    [Theory]
    [InlineData("gblinear")]
    [InlineData("dart")]
    public void FromXGBoostJson_OtherBooster_ThrowsNotSupportedNamingIt(string name)
    {
        var json = TreeFixtures.TrainRawJson(("booster", name), ("objective", "binary:logistic"));

        var e = Assert.Throws<NotSupportedException>(() => TreeEnsemble.FromXGBoostJson(json));

        Assert.Contains($"'{name}'", e.Message);
    }

    [Fact]
    public void FromXGBoostJson_MissingTrees_ThrowsInvalidDataNamingThePath()
    {
        using var booster = TreeFixtures.Train(2, 5);
        var model = JsonNode.Parse(booster.SaveJson())!;
        model["learner"]!["gradient_booster"]!["model"]!.AsObject().Remove("trees");

        var e = Assert.Throws<InvalidDataException>(() => TreeEnsemble.FromXGBoostJson(model.ToJsonString()));

        Assert.Contains("learner.gradient_booster.model.trees", e.Message);
    }

    [Fact]
    public void FromXGBoostJson_SplitOnUnknownFeature_ThrowsInvalidData()
    {
        using var booster = TreeFixtures.Train(2, 5);
        var model = JsonNode.Parse(booster.SaveJson())!;
        model["learner"]!["gradient_booster"]!["model"]!["trees"]![1]!["split_indices"]![0] = 99;

        var e = Assert.Throws<InvalidDataException>(() => TreeEnsemble.FromXGBoostJson(model.ToJsonString()));

        Assert.Contains("tree 1 node 0", e.Message);
        Assert.Contains("99", e.Message);
    }

    [Fact]
    public void FromXGBoostJson_NotJson_Throws()
    {
        Assert.ThrowsAny<JsonException>(() => TreeEnsemble.FromXGBoostJson("not a model"));
    }

    [Fact]
    public void Margin_LeafValuesComeFromSplitConditions_EvenWhenBaseWeightsDisagree()
    {
        // XGBoost 1.7 keeps a leaf's value in split_conditions; base_weights is a node statistic. Perturbing every
        // base weight must not change the margins.
        using var booster = TreeFixtures.Train(3, 20);
        var model = JsonNode.Parse(booster.SaveJson())!;
        foreach (var tree in model["learner"]!["gradient_booster"]!["model"]!["trees"]!.AsArray())
        {
            var weights = tree!["base_weights"]!.AsArray();
            for (var i = 0; i < weights.Count; i++) weights[i] = weights[i]!.GetValue<float>() + 1f;
        }

        var (x, _) = TreeFixtures.Leads(108, 50);
        var native = booster.PredictMargin(x, 50).Select(v => (double)v).ToArray();
        var managed = new double[50];
        TreeEnsemble.FromXGBoostJson(model.ToJsonString()).Margins(x, managed);
        TreeFixtures.Close(native, managed, 1e-5, "margin");
    }

    [Fact]
    public void Margin_MissingValue_FollowsDefaultBranchAndNotTheComparison()
    {
        using var booster = TreeFixtures.Train(4, 40);
        var ensemble = TreeEnsemble.FromXGBoostJson(booster.SaveJson());
        var allMissing = Enumerable.Repeat(float.NaN, F).ToArray();
        var zeros = new float[F];

        Assert.Equal(booster.PredictMargin(allMissing, 1)[0], ensemble.Margin(allMissing), 1e-5);
        Assert.Equal(booster.PredictMargin(zeros, 1)[0], ensemble.Margin(zeros), 1e-5);
        Assert.NotEqual(ensemble.Margin(zeros), ensemble.Margin(allMissing));
    }

    [Fact]
    public void SingleLeafTrees_MarginEqualsNativeAndAllOfItIsBias()
    {
        // A minimum child weight no split can meet leaves every tree a lone leaf.
        var (tx, ty) = TreeFixtures.Leads(12, 500);
        using var train = DMatrix.FromDense(tx, ty.Length, F, ty);
        using var booster = Booster.Train(new BoosterParameters { MinChildWeight = 1e6 }, train, null, 10).Booster;
        var ensemble = TreeEnsemble.FromXGBoostJson(booster.SaveJson());
        var (x, _) = TreeFixtures.Leads(112, 20);
        var native = booster.PredictMargin(x, 20);
        var phi = new double[F + 1];

        Assert.Equal(0, ensemble.MaxDepth);
        for (var r = 0; r < 20; r++)
        {
            var row = x.AsSpan(r * F, F);
            Assert.Equal(native[r], ensemble.Margin(row), 1e-5);
            ensemble.Contributions(row, phi);
            Assert.All(phi[..F], v => Assert.Equal(0, v));
            Assert.Equal(ensemble.Margin(row), phi[F], 12);
        }
    }

    [Fact]
    public void ConcurrentUse_FourThreads_GiveTheSingleThreadResults()
    {
        using var booster = TreeFixtures.Train(4, 150);
        var ensemble = TreeEnsemble.FromXGBoostJson(booster.SaveJson());
        const int rows = 400;
        var (x, _) = TreeFixtures.Leads(109, rows);
        var margins = new double[rows];
        var contributions = new double[rows * (F + 1)];
        for (var r = 0; r < rows; r++)
        {
            margins[r] = ensemble.Margin(x.AsSpan(r * F, F));
            ensemble.Contributions(x.AsSpan(r * F, F), contributions.AsSpan(r * (F + 1), F + 1));
        }

        var mismatches = 0;
        using var start = new Barrier(4);
        var threads = Enumerable.Range(0, 4).Select(t => new Thread(() =>
        {
            var phi = new double[F + 1];
            start.SignalAndWait();
            for (var pass = 0; pass < 5; pass++)
            {
                for (var i = 0; i < rows; i++)
                {
                    // Each thread walks the rows in its own order so that different rows run at the same time.
                    var r = (i * (2 * t + 1) + 97 * t) % rows;
                    var row = x.AsSpan(r * F, F);
                    ensemble.Contributions(row, phi);
                    if (ensemble.Margin(row) != margins[r] || !phi.AsSpan().SequenceEqual(contributions.AsSpan(r * (F + 1), F + 1)))
                    {
                        Interlocked.Increment(ref mismatches);
                    }
                }
            }
        })).ToList();
        threads.ForEach(th => th.Start());
        threads.ForEach(th => th.Join());

        Assert.Equal(0, mismatches);
    }

    [Fact]
    public void Contributions_DoNotAllocate()
    {
        using var booster = TreeFixtures.Train(4, 50);
        var ensemble = TreeEnsemble.FromXGBoostJson(booster.SaveJson());
        var (x, _) = TreeFixtures.Leads(110, 10);
        var phi = new double[F + 1];
        ensemble.Contributions(x.AsSpan(0, F), phi);
        ensemble.Margin(x.AsSpan(0, F));

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var r = 0; r < 10; r++)
        {
            ensemble.Contributions(x.AsSpan(r * F, F), phi);
            ensemble.Margin(x.AsSpan(r * F, F));
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Fact]
    public void WrongLengths_ThrowArgumentExceptionWithTheCounts()
    {
        using var booster = TreeFixtures.Train(2, 5);
        var ensemble = TreeEnsemble.FromXGBoostJson(booster.SaveJson());

        var row = Assert.Throws<ArgumentException>(() => ensemble.Margin(new float[F - 1]));
        var phi = Assert.Throws<ArgumentException>(() => ensemble.Contributions(new float[F], new double[F]));
        var batch = Assert.Throws<ArgumentException>(() => ensemble.Margins(new float[2 * F + 1], new double[2]));

        Assert.Contains($"{F} features per row, got {F - 1}", row.Message);
        Assert.Contains($"{F + 1} values", phi.Message);
        Assert.Contains($"got {2 * F + 1}", batch.Message);
    }
}
