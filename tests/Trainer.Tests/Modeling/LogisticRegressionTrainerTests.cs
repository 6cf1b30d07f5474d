using System.Diagnostics;
using LeadML.Features.Engine;
using LeadML.Features.Randomness;
using LeadML.Trainer.Modeling;

namespace LeadML.Trainer.Tests.Modeling;

public sealed class LogisticRegressionTrainerTests
{
    // Raw-scale truth: logit = -1 + 0.8·x0 − 0.5·x1 + 0·x2 + 0.3·x3, with x on different scales and offsets.
    private static readonly double[] TrueBeta = [0.8, -0.5, 0.0, 0.3];
    private const double TrueIntercept = -1.0;
    private static readonly double[] ColumnMean = [0.0, 5.0, -2.0, 10.0];
    private static readonly double[] ColumnSd = [1.0, 2.0, 0.5, 3.0];

    private static (float[] X, float[] Y) Synthetic(int rows, ulong seed)
    {
        var rng = new Xoshiro256(seed);
        var width = TrueBeta.Length;
        var x = new float[rows * width];
        var y = new float[rows];
        for (var i = 0; i < rows; i++)
        {
            var logit = TrueIntercept;
            for (var j = 0; j < width; j++)
            {
                var v = (float)(ColumnMean[j] + ColumnSd[j] * rng.NextGaussian());
                x[i * width + j] = v;
                logit += TrueBeta[j] * v;
            }
            y[i] = rng.NextBool(Calibration.Sigmoid(logit)) ? 1f : 0f;
        }
        return (x, y);
    }

    private static (double Intercept, double[] Beta) RawScale(LinearModel m)
    {
        var beta = new double[m.Width];
        var intercept = m.Intercept;
        for (var j = 0; j < m.Width; j++)
        {
            beta[j] = m.Weights[j] / m.Scales[j];
            intercept -= beta[j] * m.Means[j];
        }
        return (intercept, beta);
    }

    [Fact]
    public void Fit_SyntheticLogisticData_RecoversTheCoefficients()
    {
        var (x, y) = Synthetic(20_000, 11);
        var model = LogisticRegressionTrainer.Fit(x, 20_000, TrueBeta.Length, y, l2: 1e-6);
        var (intercept, beta) = RawScale(model);
        for (var j = 0; j < beta.Length; j++)
        {
            // Within about three standard errors, judged per standard deviation of the column.
            var perSd = TrueBeta[j] * ColumnSd[j];
            Assert.InRange(beta[j] * ColumnSd[j], perSd - 0.06, perSd + 0.06);
        }
        Assert.InRange(intercept, TrueIntercept - 0.3, TrueIntercept + 0.3);
        // Standardisation is stored, so the means and scales are those of the data.
        Assert.InRange(model.Means[1], 4.9, 5.1);
        Assert.InRange(model.Scales[3], 2.9, 3.1);
    }

    [Fact]
    public void FitPath_WarmStarted_EndsWhereEachPenaltyFittedAloneEnds()
    {
        var (x, y) = Synthetic(6_000, 14);
        double[] l2s = [1e-5, 1e-3, 1e-1, 1];
        var path = LogisticRegressionTrainer.FitPath(x, 6_000, 4, y, l2s);
        Assert.Equal(l2s.Length, path.Length);
        for (var k = 0; k < l2s.Length; k++)
        {
            var alone = LogisticRegressionTrainer.Fit(x, 6_000, 4, y, l2s[k]);
            Assert.Equal(alone.Intercept, path[k].Intercept, 5);
            for (var j = 0; j < 4; j++) Assert.Equal(alone.Weights[j], path[k].Weights[j], 5);
        }
        // In the penalties' order, whatever order they are fitted in.
        Assert.True(path[0].Weights.Sum(Math.Abs) > path[^1].Weights.Sum(Math.Abs));
    }

    [Fact]
    public void FitPath_OnMoreThreads_IsTheSameToTheLastBit()
    {
        // More rows than one block, so the blocks are shared between the threads.
        const int rows = 3 * LogisticObjective.BlockRows + 17;
        var (x, y) = Synthetic(rows, 15);
        var one = LogisticRegressionTrainer.FitPath(x, rows, 4, y, [1e-4, 1e-2]);
        var two = LogisticRegressionTrainer.FitPath(x, rows, 4, y, [1e-4, 1e-2], threads: 2);
        for (var k = 0; k < 2; k++)
        {
            Assert.Equal(one[k].Weights, two[k].Weights);
            Assert.Equal(one[k].Intercept, two[k].Intercept);
        }
    }

    [Fact]
    public void Fit_LargerL2_ShrinksTheWeights()
    {
        var (x, y) = Synthetic(5_000, 12);
        static double Norm(LinearModel m) => Math.Sqrt(m.Weights.Sum(w => w * w));
        var norms = new[] { 1e-4, 1e-2, 1.0, 100.0 }.Select(l2 => Norm(LogisticRegressionTrainer.Fit(x, 5_000, 4, y, l2))).ToArray();
        for (var k = 1; k < norms.Length; k++)
        {
            Assert.True(norms[k] < norms[k - 1], $"norm at step {k} ({norms[k]}) is not below {norms[k - 1]}");
        }
        Assert.True(norms[^1] < 0.02, $"a very strong penalty should leave almost no weight, got {norms[^1]}");
    }

    [Fact]
    public void Fit_MissingValuesAndConstantColumn_AreHandled()
    {
        var rng = new Xoshiro256(13);
        const int rows = 4_000;
        const int width = 3;
        var x = new float[rows * width];
        var y = new float[rows];
        for (var i = 0; i < rows; i++)
        {
            var signal = rng.NextGaussian();
            x[i * width] = rng.NextBool(0.3) ? float.NaN : (float)signal;
            x[i * width + 1] = 7f;
            x[i * width + 2] = (float)rng.NextGaussian();
            y[i] = rng.NextBool(Calibration.Sigmoid(1.5 * signal)) ? 1f : 0f;
        }
        var model = LogisticRegressionTrainer.Fit(x, rows, width, y, 1e-3);
        Assert.All(model.Weights.Concat(model.Means).Concat(model.Scales), v => Assert.True(double.IsFinite(v)));
        Assert.Equal(0.0, model.Weights[1]);
        Assert.Equal(1.0, model.Scales[1]);
        Assert.Equal(7.0, model.Means[1], 6);
        Assert.True(model.Weights[0] > 0.8, $"the signal column's weight is {model.Weights[0]}");
        Assert.Equal(model.Intercept, model.Margin([float.NaN, 7f, (float)model.Means[2]]), 9);
    }

    [Fact]
    public void Fit_SingleClass_ThrowsNamingTheProblem()
    {
        var ex = Assert.Throws<ArgumentException>(() => LogisticRegressionTrainer.Fit([1f, 2f, 3f], 3, 1, [0f, 0f, 0f], 1.0));
        Assert.Contains("single class", ex.Message);
    }

    [Fact]
    public void Fit_RowWeights_ActLikeRepeatedRows()
    {
        var (x, y) = Synthetic(2_000, 14);
        var weights = new float[2_000];
        var repeatedX = new List<float>();
        var repeatedY = new List<float>();
        for (var i = 0; i < 2_000; i++)
        {
            weights[i] = i % 3 == 0 ? 2f : 1f;
            for (var r = 0; r < weights[i]; r++)
            {
                repeatedX.AddRange(x.AsSpan(i * 4, 4).ToArray());
                repeatedY.Add(y[i]);
            }
        }
        var weighted = RawScale(LogisticRegressionTrainer.Fit(x, 2_000, 4, y, 1e-6, weights));
        var repeated = RawScale(LogisticRegressionTrainer.Fit([.. repeatedX], repeatedY.Count, 4, [.. repeatedY], 1e-6));
        // Standardisation ignores the row weights, but the unpenalised optimum on the raw scale is the same.
        for (var j = 0; j < 4; j++) Assert.Equal(repeated.Beta[j], weighted.Beta[j], 3);
    }

    [Fact]
    public void Fit_FortyThousandBySixty_TakesWellUnderFiveSeconds()
    {
        var rng = new Xoshiro256(15);
        const int rows = 40_000;
        const int width = 60;
        var x = new float[rows * width];
        var y = new float[rows];
        for (var i = 0; i < rows; i++)
        {
            var logit = -2.0;
            for (var j = 0; j < width; j++)
            {
                var v = (float)rng.NextGaussian();
                x[i * width + j] = v;
                logit += (j % 5 == 0 ? 0.3 : 0.02) * v;
            }
            y[i] = rng.NextBool(Calibration.Sigmoid(logit)) ? 1f : 0f;
        }
        var clock = Stopwatch.StartNew();
        var model = LogisticRegressionTrainer.Fit(x, rows, width, y, 1e-2);
        clock.Stop();
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"fit took {clock.Elapsed.TotalSeconds:F2} s");
        Assert.InRange(model.Weights[0], 0.2, 0.4);
    }

    [Fact]
    public void Fit_LongTailedColumns_AreReadAsLog1p_AndServingAgrees()
    {
        // Column 0: log-normal durations whose logarithm drives the label; column 1: a plain normal; column 2: negative values.
        var rng = new Xoshiro256(11);
        const int rows = 5000;
        var x = new float[rows * 3];
        var y = new float[rows];
        for (var i = 0; i < rows; i++)
        {
            var g = rng.NextGaussian();
            x[i * 3] = (float)Math.Exp(2 + 1.5 * g);
            x[i * 3 + 1] = (float)rng.NextGaussian();
            x[i * 3 + 2] = (float)(rng.NextGaussian() * 100);
            y[i] = rng.NextDouble() < 1 / (1 + Math.Exp(-(g - 1))) ? 1 : 0;
        }
        var model = LogisticRegressionTrainer.Fit(x, rows, 3, y, 1e-3);
        Assert.Equal([true, false, false], model.Log1p!);
        // Strictly monotone in the duration, as its logarithm drives the label.
        Assert.True(model.Weights[0] > 0);
        var phi = new double[4];
        for (var i = 0; i < 50; i++)
        {
            var row = x.AsSpan(i * 3, 3);
            model.Contributions(row, phi);
            Assert.Equal(model.Margin(row), phi.Sum(), 9);
        }
        // The transform travels with the bundle's JSON.
        var json = System.Text.Json.JsonSerializer.Serialize(model, LeadML.Features.Bundles.BundleJson.Options);
        var back = System.Text.Json.JsonSerializer.Deserialize<LinearModel>(json, LeadML.Features.Bundles.BundleJson.Options)!;
        Assert.Equal(model.Margin(x.AsSpan(0, 3)), back.Margin(x.AsSpan(0, 3)), 12);
    }

    [Fact]
    public void Fit_IndicatorColumns_KeepTheirScaleSoRareLevelsAreShrunkAtLeastAsMuch()
    {
        // Two indicators with the same true effect (+1 log-odds): one on half the rows, one on 1 %, and a number.
        // Dividing an indicator by its deviation √(p(1 − p)) would penalise the rare level about 25 times less than
        // the common one, so the rare level (about 200 rows) would keep nearly its full, noisy estimate. On the 0/1
        // scale one l2 shrinks both alike per unit of log-odds, so the level with less evidence is shrunk more.
        var rng = new Xoshiro256(21);
        const int rows = 20_000;
        const int width = 3;
        var x = new float[rows * width];
        var y = new float[rows];
        for (var i = 0; i < rows; i++)
        {
            var common = rng.NextBool(0.5) ? 1f : 0f;
            var rare = rng.NextBool(0.01) ? 1f : 0f;
            var number = (float)(3 + 2 * rng.NextGaussian());
            x[i * width] = common;
            x[i * width + 1] = rare;
            x[i * width + 2] = number;
            y[i] = rng.NextBool(Calibration.Sigmoid(-1 + common + rare + 0.3 * (number - 3))) ? 1f : 0f;
        }
        var model = LogisticRegressionTrainer.Fit(x, rows, width, y, l2: 0.01);
        Assert.Equal(1.0, model.Scales[0]);
        Assert.Equal(1.0, model.Scales[1]);
        Assert.InRange(model.Scales[2], 1.9, 2.1);
        Assert.InRange(model.Means[1], 0.005, 0.015);
        var (_, beta) = RawScale(model);
        Assert.True(beta[0] > 0.75, $"the common level keeps most of its effect: {beta[0]:F3}");
        Assert.True(beta[1] < 0.5, $"the rare level is shrunk more than the common one: {beta[1]:F3} against {beta[0]:F3}");
        Assert.True(beta[1] > 0, $"but keeps its sign: {beta[1]:F3}");
    }

    [Fact]
    public void Indicators_AreTheColumnsOfOnlyZeroOneOrMissing()
    {
        float[] x =
        [
            0f, 0f, 2f, float.NaN,
            1f, 0.5f, 1f, 1f,
            1f, 1f, 0f, 0f,
        ];
        Assert.Equal([true, false, false, true], LogisticRegressionTrainer.Indicators(x, 3, 4));
    }
}
