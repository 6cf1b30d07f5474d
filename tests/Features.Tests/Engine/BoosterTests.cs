using System.Text;
using System.Text.Json;
using LeadML.Features.Engine;

namespace LeadML.Features.Tests.Engine;

public sealed class BoosterTests
{
    private const int F = EngineFixtures.Features;

    [Fact]
    public void Train_LabelDependsOnTwoFeatures_ValidationAucClearlyAboveChanceAndShuffledLabels()
    {
        var trainData = EngineFixtures.Leads(1, 1500);
        var valid = EngineFixtures.Leads(2, 1000);
        using var dvalid = EngineFixtures.Matrix(valid);

        using var dtrain = EngineFixtures.Matrix(trainData);
        using var model = Booster.Train(new BoosterParameters(), dtrain, dvalid, 60).Booster;
        using var shuffledTrain = DMatrix.FromDense(trainData.X, trainData.Y.Length, F, EngineFixtures.Shuffled(trainData.Y, 99));
        using var shuffledModel = Booster.Train(new BoosterParameters(), shuffledTrain, dvalid, 60).Booster;

        var auc = EngineFixtures.Auc(model.PredictValue(dvalid), valid.Y);
        var shuffledAuc = EngineFixtures.Auc(shuffledModel.PredictValue(dvalid), valid.Y);

        Assert.True(auc > 0.75, $"validation AUC {auc:F4}");
        Assert.True(shuffledAuc < 0.6, $"AUC with shuffled labels {shuffledAuc:F4}");
        Assert.True(auc > shuffledAuc + 0.15, $"{auc:F4} vs shuffled {shuffledAuc:F4}");
    }

    [Fact]
    public void Train_NoiseLabels_EarlyStoppingStopsBeforeMaxRoundsAndKeepsBestRounds()
    {
        using var dtrain = EngineFixtures.Matrix(EngineFixtures.Leads(3, 600, noise: true));
        using var dvalid = EngineFixtures.Matrix(EngineFixtures.Leads(4, 600, noise: true));
        var p = new BoosterParameters { MaxDepth = 6, Eta = 0.3 };

        var result = Booster.Train(p, dtrain, dvalid, maxRounds: 200, earlyStoppingRounds: 5);
        using var booster = result.Booster;

        Assert.True(result.Rounds < 200, $"ran {result.Rounds} rounds");
        Assert.Equal(result.BestIteration + 1 + 5, result.Rounds);
        Assert.Equal(result.Rounds, result.EvalHistory.Count);
        Assert.Equal(result.EvalHistory.Min(), result.EvalHistory[result.BestIteration]);
        Assert.Equal("logloss", result.Metric);
        Assert.Equal(result.BestIteration + 1, booster.BoostedRounds);
    }

    [Fact]
    public void Train_EarlyStopped_ModelPredictsWithTheBestNumberOfRounds()
    {
        var valid = EngineFixtures.Leads(6, 500);
        using var dtrain = EngineFixtures.Matrix(EngineFixtures.Leads(5, 500));
        using var dvalid = EngineFixtures.Matrix(valid);
        // A high learning rate on few rows overfits soon, so the best round is well before the last.
        var p = new BoosterParameters { MaxDepth = 6, Eta = 0.5, MinChildWeight = 0 };

        var stopped = Booster.Train(p, dtrain, dvalid, maxRounds: 100, earlyStoppingRounds: 10);
        using var best = stopped.Booster;
        using var full = Booster.Train(p, dtrain, dvalid, stopped.Rounds).Booster;

        Assert.Equal(stopped.Rounds, full.BoostedRounds);
        Assert.Equal(full.Predict(dvalid, PredictionKind.Margin, stopped.BestIteration + 1), best.PredictMargin(dvalid));
        Assert.NotEqual(full.PredictMargin(dvalid), best.PredictMargin(dvalid));
        // The model's own validation loss is the best one in the history.
        var loss = EngineFixtures.LogLoss(best.PredictValue(dvalid), valid.Y);
        Assert.Equal(stopped.EvalHistory[stopped.BestIteration], loss, 4);
        // And it survives saving.
        using var reloaded = Booster.Load(best.SaveUbj());
        Assert.Equal(stopped.BestIteration + 1, reloaded.BoostedRounds);
        Assert.Equal(best.PredictMargin(dvalid), reloaded.PredictMargin(dvalid));
    }

    [Fact]
    public void Train_AucMetric_TreatsHigherAsBetter()
    {
        using var dtrain = EngineFixtures.Matrix(EngineFixtures.Leads(7, 500, noise: true));
        using var dvalid = EngineFixtures.Matrix(EngineFixtures.Leads(8, 500, noise: true));
        var p = new BoosterParameters { EvalMetric = "auc", MaxDepth = 6, Eta = 0.3 };

        var result = Booster.Train(p, dtrain, dvalid, maxRounds: 100, earlyStoppingRounds: 5);
        using var booster = result.Booster;

        Assert.Equal("auc", result.Metric);
        Assert.Equal(result.EvalHistory.Max(), result.EvalHistory[result.BestIteration]);
        Assert.All(result.EvalHistory, a => Assert.InRange(a, 0.0, 1.0));
    }

    [Fact]
    public void Train_WithoutValidation_RunsAllRoundsWithNoHistory()
    {
        using var dtrain = EngineFixtures.Matrix(EngineFixtures.Leads(9, 300));

        var result = Booster.Train(new BoosterParameters(), dtrain, null, 12);
        using var booster = result.Booster;

        Assert.Equal(12, result.Rounds);
        Assert.Equal(11, result.BestIteration);
        Assert.Empty(result.EvalHistory);
        Assert.Equal(12, booster.BoostedRounds);
        Assert.Equal(F, booster.FeatureCount);
    }

    [Fact]
    public void Train_EarlyStoppingWithoutValidation_ThrowsArgumentException()
    {
        using var dtrain = EngineFixtures.Matrix(EngineFixtures.Leads(9, 100));

        var e = Assert.Throws<ArgumentException>(() => Booster.Train(new BoosterParameters(), dtrain, null, 10, earlyStoppingRounds: 3));
        Assert.Equal("validation", e.ParamName);
    }

    [Fact]
    public void Train_RowWeights_ShiftTheModelTowardsHeavyRows()
    {
        var data = EngineFixtures.Leads(10, 600);
        var weights = data.Y.Select(y => y == 1f ? 10f : 1f).ToArray();
        using var plain = DMatrix.FromDense(data.X, data.Y.Length, F, data.Y);
        using var weighted = DMatrix.FromDense(data.X, data.Y.Length, F, data.Y, weights);

        using var a = Booster.Train(new BoosterParameters(), plain, null, 20).Booster;
        using var b = Booster.Train(new BoosterParameters(), weighted, null, 20).Booster;

        Assert.True(b.PredictValue(plain).Average() > a.PredictValue(plain).Average() + 0.1);
    }

    [Fact]
    public void Train_InvalidTreeMethod_SurfacesAsXGBoostExceptionAtTheFirstRound()
    {
        using var dtrain = EngineFixtures.Matrix(EngineFixtures.Leads(11, 100));

        var e = Assert.Throws<XGBoostException>(() =>
            Booster.Train(new BoosterParameters { TreeMethod = "nonsense" }, dtrain, null, 5));

        Assert.Equal("XGBoosterUpdateOneIter", e.Function);
        Assert.NotEqual(0, e.ReturnCode);
        Assert.Contains("nonsense", e.NativeMessage);
        Assert.Contains("XGBoosterUpdateOneIter", e.Message);
        Assert.Contains("nonsense", e.Message);
    }

    [Fact]
    public void SaveUbj_Load_GivesIdenticalPredictions()
    {
        using var model = EngineFixtures.SmallModel();
        using var data = EngineFixtures.Matrix(EngineFixtures.Leads(12, 200));

        var ubj = model.SaveUbj();
        using var loaded = Booster.Load(ubj);

        Assert.Equal(model.BoostedRounds, loaded.BoostedRounds);
        Assert.Equal(model.FeatureCount, loaded.FeatureCount);
        Assert.Equal(model.PredictValue(data), loaded.PredictValue(data));
        Assert.Equal(model.PredictMargin(data), loaded.PredictMargin(data));
        Assert.Equal(model.PredictContributions(data), loaded.PredictContributions(data));
    }

    [Fact]
    public void SaveJson_ParsesHasLearnerAndLoadsBack()
    {
        using var model = EngineFixtures.SmallModel(rounds: 7);
        using var data = EngineFixtures.Matrix(EngineFixtures.Leads(13, 100));

        var json = model.SaveJson();
        using var doc = JsonDocument.Parse(json);
        var learner = doc.RootElement.GetProperty("learner");
        var trees = learner.GetProperty("gradient_booster").GetProperty("model").GetProperty("trees");
        using var loaded = Booster.Load(Encoding.UTF8.GetBytes(json));

        Assert.Equal(7, trees.GetArrayLength());
        Assert.Equal("binary:logistic", learner.GetProperty("objective").GetProperty("name").GetString());
        Assert.Equal(model.PredictMargin(data), loaded.PredictMargin(data));
    }

    [Fact]
    public void SaveConfigJson_ReportsTheParametersInEffect()
    {
        using var dtrain = EngineFixtures.Matrix(EngineFixtures.Leads(14, 200));
        using var model = Booster.Train(new BoosterParameters { MaxDepth = 3, BaseScore = 0.25 }, dtrain, null, 3).Booster;

        using var config = JsonDocument.Parse(model.SaveConfigJson());
        var learner = config.RootElement.GetProperty("learner");
        var baseScore = learner.GetProperty("learner_model_param").GetProperty("base_score").GetString();
        var depth = learner.GetProperty("gradient_booster").GetProperty("updater").EnumerateObject()
            .Select(u => u.Value.GetProperty("train_param").GetProperty("max_depth").GetString()).First();

        Assert.Equal(0.25, double.Parse(baseScore!, System.Globalization.CultureInfo.InvariantCulture), 6);
        Assert.Equal("3", depth);
    }

    [Fact]
    public void PredictContributions_EachRowSumsToItsMargin()
    {
        using var model = EngineFixtures.SmallModel();
        var data = EngineFixtures.Leads(15, 50);
        data.X[3] = float.NaN;
        using var m = EngineFixtures.Matrix(data);

        var contributions = model.PredictContributions(m);
        var margins = model.PredictMargin(m);

        Assert.Equal(50 * (F + 1), contributions.Length);
        for (var r = 0; r < 50; r++)
        {
            var sum = 0.0;
            for (var c = 0; c <= F; c++) sum += contributions[r * (F + 1) + c];
            Assert.Equal(margins[r], sum, 1e-4);
        }
        // Only f0 and f1 carry signal, so they get most of the attribution.
        double Mean(int c) => Enumerable.Range(0, 50).Average(r => Math.Abs(contributions[r * (F + 1) + c]));
        Assert.True(Mean(0) > Mean(2) && Mean(1) > Mean(2));
    }

    [Fact]
    public void PredictFromDMatrix_AgreesWithPredictForEveryKind()
    {
        using var model = EngineFixtures.SmallModel();
        using var m = EngineFixtures.Matrix(EngineFixtures.Leads(22, 30));

        Assert.Equal(model.PredictValue(m), model.Predict(m, PredictionKind.Value));
        Assert.Equal(model.PredictMargin(m), model.Predict(m, PredictionKind.Margin));
        Assert.Equal(model.PredictContributions(m), model.Predict(m, PredictionKind.Contributions));
        Assert.NotEqual(model.PredictMargin(m), model.Predict(m, PredictionKind.Margin, iterationEnd: 5));
    }

    [Fact]
    public void PredictValue_IsSigmoidOfMargin()
    {
        using var model = EngineFixtures.SmallModel();
        using var m = EngineFixtures.Matrix(EngineFixtures.Leads(16, 100));

        var values = model.PredictValue(m);
        var margins = model.PredictMargin(m);

        Assert.Contains(values, v => v < 0.3f);
        Assert.Contains(values, v => v > 0.7f);
        for (var i = 0; i < values.Length; i++) Assert.Equal(1.0 / (1.0 + Math.Exp(-margins[i])), values[i], 1e-6);
    }

    [Fact]
    public void PredictSpan_MatchesTheDMatrixPath()
    {
        using var model = EngineFixtures.SmallModel();
        var data = EngineFixtures.Leads(17, 40);
        using var m = EngineFixtures.Matrix(data);

        Assert.Equal(model.PredictValue(m), model.PredictValue(data.X, 40));
        Assert.Equal(model.PredictMargin(m), model.PredictMargin(data.X, 40));
        Assert.Equal(model.PredictContributions(m), model.PredictContributions(data.X, 40));
        Assert.Equal(model.PredictValue(m)[3], model.PredictValue(data.X.AsSpan(3 * F, F), 1)[0]);
    }

    [Theory]
    [InlineData(F - 1)]
    [InlineData(F + 1)]
    public void PredictSpan_WrongColumnCount_ThrowsArgumentExceptionNamingTheExpectedCount(int columns)
    {
        using var model = EngineFixtures.SmallModel();
        var row = new float[columns];

        var e = Assert.Throws<ArgumentException>(() => model.PredictValue(row, 1));
        Assert.Contains($"{F} features per row", e.Message);
        Assert.Throws<ArgumentException>(() => model.PredictMargin(row, 1));
        Assert.Throws<ArgumentException>(() => model.PredictContributions(row, 1));
    }

    [Theory]
    [InlineData(F - 1)]
    [InlineData(F + 1)]
    public void PredictDMatrix_WrongColumnCount_ThrowsArgumentExceptionNamingTheExpectedCount(int columns)
    {
        using var model = EngineFixtures.SmallModel();
        using var m = DMatrix.FromDense(new float[3 * columns], 3, columns);

        var e = Assert.Throws<ArgumentException>(() => model.PredictValue(m));
        Assert.Contains($"expects {F} features", e.Message);
        Assert.Throws<ArgumentException>(() => model.PredictMargin(m));
        Assert.Throws<ArgumentException>(() => model.PredictContributions(m));
    }

    [Fact]
    public void NativePredict_ExtraColumns_ThrowsXGBoostExceptionWithTheNativeMessage()
    {
        using var model = EngineFixtures.SmallModel();
        using var wide = DMatrix.FromDense(new float[3 * (F + 1)], 3, F + 1);

        // Below the managed column check: the library's own refusal must surface with its message.
        var e = Assert.Throws<XGBoostException>(() => Native.XGBoosterPredict(model.Handle, wide.Handle, 0));

        Assert.Equal("XGBoosterPredict", e.Function);
        Assert.Equal(-1, e.ReturnCode);
        Assert.Contains("Check failed", e.NativeMessage);
        Assert.Contains("XGBoosterPredict", e.Message);
        Assert.Contains(e.NativeMessage.Split('\n')[0].Trim(), e.Message);
    }

    [Fact]
    public void Load_GarbageBytes_ThrowsXGBoostExceptionMentioningTheFormat()
    {
        var garbage = Encoding.ASCII.GetBytes("this is not an XGBoost model, just some bytes");

        var e = Assert.Throws<XGBoostException>(() => Booster.Load(garbage));

        Assert.Equal("XGBoosterLoadModelFromBuffer", e.Function);
        Assert.Contains("format", e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Load_EmptyBytes_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => Booster.Load([]));
    }

    [Fact]
    public void Predict_FromFourThreadsOnOneBooster_MatchesASingleBatch()
    {
        using var model = EngineFixtures.SmallModel();
        var data = EngineFixtures.Leads(18, 64);
        using var all = EngineFixtures.Matrix(data);
        var values = model.PredictValue(all);
        var contributions = model.PredictContributions(all);
        var mismatches = 0;

        var threads = Enumerable.Range(0, 4).Select(t => new Thread(() =>
        {
            for (var pass = 0; pass < 25; pass++)
            {
                for (var r = t; r < 64; r += 4)
                {
                    var row = data.X.AsSpan(r * F, F);
                    var v = model.PredictValue(row, 1);
                    var c = model.PredictContributions(row, 1);
                    if (v[0] != values[r] || !c.AsSpan().SequenceEqual(contributions.AsSpan(r * (F + 1), F + 1)))
                    {
                        Interlocked.Increment(ref mismatches);
                    }
                }
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.Equal(0, mismatches);
    }

    [Fact]
    public void SetParam_NThreadOne_KeepsPredictions()
    {
        using var model = EngineFixtures.SmallModel();
        using var m = EngineFixtures.Matrix(EngineFixtures.Leads(19, 100));
        var before = model.PredictValue(m);

        model.SetParam("nthread", "1");

        Assert.Equal(before, model.PredictValue(m));
        Assert.Contains("\"nthread\":\"1\"", model.SaveConfigJson());
    }

    [Fact]
    public void Dispose_Twice_IsSafeAndLaterUseThrowsObjectDisposed()
    {
        var model = EngineFixtures.SmallModel();

        model.Dispose();
        model.Dispose();

        Assert.Throws<ObjectDisposedException>(() => model.SaveUbj());
        Assert.Throws<ObjectDisposedException>(() => model.BoostedRounds);
    }

    [Fact]
    public void Version_IsTheLoadedLibrarysVersion()
    {
        var v = Booster.Version;

        Assert.True(v.Major >= 1, $"version {v}");
        Assert.True(v.Build >= 0, $"version {v}");
        Assert.Same(v, Booster.Version);
    }
}
