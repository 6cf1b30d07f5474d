using LeadML.Features.Engine;
using LeadML.Features.Randomness;

namespace LeadML.Features.Tests.Trees;

/// <summary>Synthetic leads with missing values, and boosters trained on them, for comparing
/// <see cref="LeadML.Features.Trees.TreeEnsemble"/> with the native library.</summary>
internal static class TreeFixtures
{
    public const int Features = 8;

    /// <summary>Row-major features (Gaussian, f6 a 0/1 flag, f7 pure noise) and 0/1 labels from a nonlinear logit;
    /// after the labels are drawn about <paramref name="missingRate"/> of the values of f0–f5 become NaN.</summary>
    public static (float[] X, float[] Y) Leads(ulong seed, int rows, double missingRate = 0.1)
    {
        var rng = new Xoshiro256(seed);
        var x = new float[rows * Features];
        var y = new float[rows];
        for (var r = 0; r < rows; r++)
        {
            var row = x.AsSpan(r * Features, Features);
            for (var c = 0; c < Features; c++) row[c] = (float)rng.NextGaussian();
            row[6] = rng.NextBool(0.3) ? 1f : 0f;
            var logit = 1.2 * row[0] - 0.8 * row[1] + 0.7 * row[0] * row[2] + Math.Sin(2 * row[3]) + (row[4] > 1 ? 1.0 : 0.0)
                        + 0.6 * row[6] * row[5];
            y[r] = rng.NextBool(1.0 / (1.0 + Math.Exp(-logit))) ? 1f : 0f;
        }
        for (var i = 0; i < x.Length; i++)
        {
            if (i % Features < 6 && rng.NextBool(missingRate)) x[i] = float.NaN;
        }
        return (x, y);
    }

    /// <summary>A booster of <paramref name="rounds"/> trees of <paramref name="depth"/> trained on 3,000 rows.</summary>
    public static Booster Train(int depth, int rounds, double? baseScore = null, ulong seed = 11)
    {
        var (x, y) = Leads(seed, 3000);
        using var train = DMatrix.FromDense(x, y.Length, Features, y);
        var parameters = new BoosterParameters { MaxDepth = depth, Eta = 0.1, Subsample = 0.8, Seed = 3, BaseScore = baseScore };
        return Booster.Train(parameters, train, null, rounds).Booster;
    }

    /// <summary>The JSON model of a booster trained through the raw C API with extra parameters (e.g. booster =
    /// gblinear, objective = reg:squarederror), which <see cref="BoosterParameters"/> does not expose.</summary>
    public static string TrainRawJson(params (string Name, string Value)[] parameters)
    {
        var (x, y) = Leads(5, 500);
        using var train = DMatrix.FromDense(x, y.Length, Features, y);
        using var handle = Native.XGBoosterCreate([train.Handle]);
        Native.XGBoosterSetParam(handle, "nthread", "1");
        foreach (var (name, value) in parameters) Native.XGBoosterSetParam(handle, name, value);
        for (var i = 0; i < 3; i++) Native.XGBoosterUpdateOneIter(handle, i, train.Handle);
        return System.Text.Encoding.UTF8.GetString(Native.XGBoosterSaveModelToBuffer(handle, """{"format":"json"}"""));
    }

    /// <summary>Asserts |actual − expected| ≤ tolerance · max(1, |expected|) element-wise, naming the first index
    /// that fails.</summary>
    public static void Close(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            var allowed = tolerance * Math.Max(1, Math.Abs(expected[i]));
            Assert.True(Math.Abs(actual[i] - expected[i]) <= allowed,
                $"{what}[{i}]: managed {actual[i]:R} vs native {expected[i]:R} (diff {Math.Abs(actual[i] - expected[i]):E2} > {allowed:E2})");
        }
    }
}
