using LeadML.Features.Engine;

namespace LeadML.Features.Tests.Engine;

public sealed class DMatrixTests
{
    [Fact]
    public void FromDense_RecordsShape()
    {
        using var m = DMatrix.FromDense(new float[6], 2, 3, [0f, 1f]);

        Assert.Equal(2, m.Rows);
        Assert.Equal(3, m.Columns);
    }

    [Fact]
    public void FromDense_ValuesNotRowsTimesColumns_ThrowsArgumentException()
    {
        var e = Assert.Throws<ArgumentException>(() => DMatrix.FromDense(new float[5], 2, 3));

        Assert.Equal("values", e.ParamName);
        Assert.Contains("6", e.Message);
    }

    [Fact]
    public void FromDense_LabelsNotOnePerRow_ThrowsArgumentException()
    {
        var e = Assert.Throws<ArgumentException>(() => DMatrix.FromDense(new float[6], 2, 3, [1f, 0f, 1f]));

        Assert.Equal("labels", e.ParamName);
    }

    [Fact]
    public void FromDense_WeightsNotOnePerRow_ThrowsArgumentException()
    {
        var e = Assert.Throws<ArgumentException>(() => DMatrix.FromDense(new float[6], 2, 3, [1f, 0f], [1f]));

        Assert.Equal("weights", e.ParamName);
    }

    [Fact]
    public void FromDense_NaNIsMissing_TreesRouteItToADefaultBranch()
    {
        var data = EngineFixtures.Leads(20, 400);
        var rng = new Randomness.Xoshiro256(21);
        for (var i = 0; i < data.X.Length; i++)
        {
            if (rng.NextBool(0.1)) data.X[i] = float.NaN;
        }
        using var train = EngineFixtures.Matrix(data);
        using var model = Booster.Train(new BoosterParameters(), train, null, 10).Booster;

        var allMissing = model.PredictValue(Enumerable.Repeat(float.NaN, EngineFixtures.Features).ToArray(), 1);
        var known = model.PredictValue([3f, -3f, 0f, 0f, 0f], 1);

        Assert.True(float.IsFinite(allMissing[0]));
        Assert.True(known[0] > allMissing[0], $"{known[0]} vs all-missing {allMissing[0]}");
    }

    [Fact]
    public void Dispose_Twice_IsSafeAndLaterUseThrowsObjectDisposed()
    {
        using var model = EngineFixtures.SmallModel();
        var m = DMatrix.FromDense(new float[EngineFixtures.Features], 1, EngineFixtures.Features);

        m.Dispose();
        m.Dispose();

        Assert.Throws<ObjectDisposedException>(() => model.PredictValue(m));
    }

    [Fact]
    public void ForTraining_WeightedRowsInBatches_GrowsTheTreesOfTheDenseMatrix()
    {
        var train = EngineFixtures.Leads(31, 1_000);
        var valid = EngineFixtures.Leads(32, 400);
        var weights = train.Y.Select(y => y == 1f ? 1f : 3f).ToArray();
        var parameters = new BoosterParameters { MaxDepth = 3, Subsample = 0.8 };
        using var denseTrain = DMatrix.FromDense(train.X, train.Y.Length, EngineFixtures.Features, train.Y, weights);
        using var denseValid = DMatrix.FromDense(valid.X, valid.Y.Length, EngineFixtures.Features, valid.Y);
        using var quantileTrain = DMatrix.ForTraining(train.X, train.Y.Length, EngineFixtures.Features, train.Y, weights, null, 2, batchRows: 128);
        using var quantileValid = DMatrix.ForTraining(valid.X, valid.Y.Length, EngineFixtures.Features, valid.Y, default, quantileTrain, 2, batchRows: 128);

        var dense = Booster.Train(parameters, denseTrain, denseValid, 200, earlyStoppingRounds: 10);
        var quantile = Booster.Train(parameters, quantileTrain, quantileValid, 200, earlyStoppingRounds: 10);
        using var a = dense.Booster;
        using var b = quantile.Booster;

        Assert.Equal(dense.BestIteration, quantile.BestIteration);
        Assert.Equal(dense.EvalHistory, quantile.EvalHistory);
        Assert.Equal(a.PredictMargin(denseValid), b.PredictMargin(denseValid));
    }

    [Fact]
    public void ForTraining_ReferenceWithOtherColumns_ThrowsArgumentException()
    {
        var data = EngineFixtures.Leads(33, 50);
        using var train = DMatrix.ForTraining(data.X, 50, EngineFixtures.Features, data.Y);

        var e = Assert.Throws<ArgumentException>(() => DMatrix.ForTraining(new float[50 * 4], 50, 4, data.Y, reference: train));

        Assert.Equal("reference", e.ParamName);
    }
}
