using System.Globalization;
using LeadML.Features.Engine;
using LeadML.Features.Randomness;
using LeadML.Trainer.Evaluation;
using LeadML.Trainer.Modeling;
using Xunit.Abstractions;

namespace LeadML.Trainer.Tests.Modeling;

/// <summary>
/// Logistic regression on real data (UCI bank marketing, file order = time order, <c>duration</c> dropped).
/// Measured with this recipe: random 80/20 split test AUC 0.787 (in line with published logistic regressions without
/// <c>duration</c>); time split (l2 by validation AUC on rows 60–80 %, refit on 0–80 %, test on the last 20 %) test
/// AUC 0.702. The time split is much harder: rows 60–80 % come from other months and economic conditions than rows
/// 0–60 % (validation AUC is about 0.5 for every l2) and the conversion rate triples in the last 20 %. The bounds
/// below sit a little under those figures, to catch a regression in the fitter rather than to restate the data.
/// </summary>
public sealed class BankMarketingTests(ITestOutputHelper output)
{
    private static readonly double[] Grid = [1e-3, 1e-2, 1e-1, 1, 10];

    private static readonly Lazy<BankMarketing> Data = new(() => BankMarketing.Load(fitShare: 0.8));

    [Fact]
    public void LogisticRegression_TimeSplit_ChoosesL2OnValidationAndScoresTheLastFifth()
    {
        var data = Data.Value;
        var n = data.Rows;
        int sixty = (int)(n * 0.6), eighty = (int)(n * 0.8);
        var (trainX, trainY) = data.Slice(0, sixty);
        var (validX, validY) = data.Slice(sixty, eighty);
        var (fitX, fitY) = data.Slice(0, eighty);
        var (testX, testY) = data.Slice(eighty, n);

        var candidates = Grid.Select(l2 =>
        {
            var m = LogisticRegressionTrainer.Fit(trainX, trainY.Length, data.Width, trainY, l2);
            var margins = Margins(m, validX, data.Width);
            return (L2: l2, Auc: Metrics.RocAuc(margins, validY), LogLoss: Metrics.LogLoss([.. margins.Select(Calibration.Sigmoid)], validY));
        }).ToList();
        foreach (var c in candidates)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"l2 {c.L2:G3}: validation AUC {c.Auc:F4}, log-loss {c.LogLoss:F4}"));
        }

        var byAuc = candidates.MaxBy(c => c.Auc).L2;
        var byLogLoss = candidates.MinBy(c => c.LogLoss).L2;
        var testAuc = TestAuc(byAuc);
        var testAucByLogLoss = TestAuc(byLogLoss);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"chosen by validation AUC: l2 {byAuc:G3}, test AUC {testAuc:F4}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"chosen by validation log-loss: l2 {byLogLoss:G3}, test AUC {testAucByLogLoss:F4}"));

        Assert.True(testAuc >= 0.69, $"test AUC {testAuc:F4} with l2 {byAuc}");
        Assert.True(testAucByLogLoss >= 0.68, $"test AUC {testAucByLogLoss:F4} with l2 {byLogLoss}");

        double TestAuc(double l2)
        {
            var model = LogisticRegressionTrainer.Fit(fitX, fitY.Length, data.Width, fitY, l2);
            return Metrics.RocAuc(Margins(model, testX, data.Width), testY);
        }
    }

    [Fact]
    public void LogisticRegression_RandomSplit_MatchesPublishedAccuracy()
    {
        var data = Data.Value;
        var rng = new Xoshiro256(1);
        var test = Enumerable.Range(0, data.Rows).Select(_ => rng.NextBool(0.2)).ToArray();
        var (trainX, trainY) = Pick(data, test, false);
        var (testX, testY) = Pick(data, test, true);
        var model = LogisticRegressionTrainer.Fit(trainX, trainY.Length, data.Width, trainY, 1e-2);
        var auc = Metrics.RocAuc(Margins(model, testX, data.Width), testY);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"random split test AUC {auc:F4}"));
        Assert.True(auc >= 0.77, $"random-split test AUC {auc:F4}");
    }

    private static (float[] X, float[] Y) Pick(BankMarketing data, bool[] test, bool wanted)
    {
        var rows = Enumerable.Range(0, data.Rows).Where(i => test[i] == wanted).ToArray();
        var x = new float[rows.Length * data.Width];
        for (var k = 0; k < rows.Length; k++) data.X.AsSpan(rows[k] * data.Width, data.Width).CopyTo(x.AsSpan(k * data.Width));
        return (x, [.. rows.Select(i => data.Y[i])]);
    }

    private static double[] Margins(LinearModel model, float[] x, int width)
    {
        var result = new double[x.Length / width];
        for (var i = 0; i < result.Length; i++) result[i] = model.Margin(x.AsSpan(i * width, width));
        return result;
    }
}
