using System.Globalization;
using LeadML.Features.Engine;
using LeadML.Features.Randomness;
using LeadML.Features.Evaluation;
using LeadML.Trainer.Evaluation;
using LeadML.Trainer.Modeling;
using Xunit.Abstractions;

namespace LeadML.Trainer.Tests.Modeling;

/// <summary>
/// Logistic regression on real data (UCI bank marketing, file order = time order, <c>duration</c> dropped).
/// The out-of-time reference is a standard scikit-learn pipeline (numbers standardised, categories one-hot on their
/// 0/1 scale, <c>C = 1</c>), fit on the first 80 % of rows: 0.745 test ROC-AUC on the last 8,238 rows. Our fitter
/// scored 0.645 at the same penalty while it divided one-hot columns by their deviation (rare months, which fill the
/// test period, were then barely penalised), and 0.702 at its best penalty. A random 80/20 split scores 0.784 at l2 0.01 (in line
/// with published logistic regressions without <c>duration</c>). The bounds sit a little under the measured figures,
/// to catch a regression in the fitter rather than to restate the data.
/// </summary>
public sealed class BankMarketingTests(ITestOutputHelper output)
{
    /// <summary>The model search's own grid (<see cref="SearchOptions.L2"/>).</summary>
    private static readonly double[] Grid = new SearchOptions().L2;

    private static readonly Lazy<BankMarketing> Data = new(() => BankMarketing.Load(fitShare: 0.8));

    private const int TestRows = 8238;

    [Fact]
    public void LogisticRegression_FirstFourFifths_MatchesTheStandardPipelineOnTheLastRows()
    {
        var data = Data.Value;
        var n = data.Rows;
        var fitRows = (int)(n * 0.8);
        var (fitX, fitY) = data.Slice(0, fitRows);
        var (testX, testY) = data.Slice(n - TestRows, n);
        // scikit-learn's C = 1 on a sum of log-losses is l2 = 1 / rows on our mean log-loss.
        var model = LogisticRegressionTrainer.Fit(fitX, fitY.Length, data.Width, fitY, 1.0 / fitRows);
        var auc = Metrics.RocAuc(Margins(model, testX, data.Width), testY);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"l2 1/{fitRows}: test AUC {auc:F4}"));
        Assert.True(auc >= 0.74, $"test AUC {auc:F4}; the standard pipeline reaches 0.745");
    }

    [Fact]
    public void LogisticRegression_TimeSplit_ChoosesL2OnValidationAndScoresTheLastRows()
    {
        // The pipeline's recipe for this data set: validation is the 10 % of rows just before the test 20 %, L2 chosen
        // there by ROC-AUC from the search's grid, then a refit on training + validation.
        var data = Data.Value;
        var n = data.Rows;
        var testFrom = n - TestRows;
        var validFrom = testFrom - (int)Math.Round(n * 0.1);
        var (trainX, trainY) = data.Slice(0, validFrom);
        var (validX, validY) = data.Slice(validFrom, testFrom);
        var (fitX, fitY) = data.Slice(0, testFrom);
        var (testX, testY) = data.Slice(testFrom, n);

        var candidates = Grid.Select(l2 =>
        {
            var m = LogisticRegressionTrainer.Fit(trainX, trainY.Length, data.Width, trainY, l2);
            return (L2: l2, Auc: Metrics.RocAuc(Margins(m, validX, data.Width), validY));
        }).ToList();
        foreach (var c in candidates)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"l2 {c.L2:G3}: validation AUC {c.Auc:F4}"));
        }
        var chosen = candidates.MaxBy(c => c.Auc).L2;
        var model = LogisticRegressionTrainer.Fit(fitX, fitY.Length, data.Width, fitY, chosen);
        var testAuc = Metrics.RocAuc(Margins(model, testX, data.Width), testY);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"chosen l2 {chosen:G3}, test AUC {testAuc:F4}"));
        Assert.True(testAuc >= 0.74, $"test AUC {testAuc:F4} with l2 {chosen}");
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
