using LeadML.Features.Engine;
using LeadML.Features.Randomness;

namespace LeadML.Features.Tests.Engine;

/// <summary>Synthetic leads for engine tests: Gaussian features, labels drawn from a known logit.</summary>
internal static class EngineFixtures
{
    public const int Features = 5;

    /// <summary>Row-major features and 0/1 labels; the label depends on f0 and f1 only (log-odds 1.5·f0 − 1.2·f1),
    /// or on nothing when <paramref name="noise"/> is set.</summary>
    public static (float[] X, float[] Y) Leads(ulong seed, int rows, bool noise = false)
    {
        var rng = new Xoshiro256(seed);
        var x = new float[rows * Features];
        var y = new float[rows];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < Features; c++) x[r * Features + c] = (float)rng.NextGaussian();
            var logit = noise ? 0.0 : 1.5 * x[r * Features] - 1.2 * x[r * Features + 1];
            y[r] = rng.NextBool(1.0 / (1.0 + Math.Exp(-logit))) ? 1f : 0f;
        }
        return (x, y);
    }

    public static DMatrix Matrix((float[] X, float[] Y) data) => DMatrix.FromDense(data.X, data.Y.Length, Features, data.Y);

    /// <summary>A small model on signal data: 30 rounds, no validation.</summary>
    public static Booster SmallModel(ulong seed = 1, int rounds = 30)
    {
        using var train = Matrix(Leads(seed, 800));
        return Booster.Train(new BoosterParameters(), train, null, rounds).Booster;
    }

    /// <summary>ROC AUC by the rank-sum (Mann–Whitney) formula, ties given their average rank.</summary>
    public static double Auc(IReadOnlyList<float> scores, IReadOnlyList<float> labels)
    {
        var order = Enumerable.Range(0, scores.Count).OrderBy(i => scores[i]).ToArray();
        var ranks = new double[scores.Count];
        for (var i = 0; i < order.Length;)
        {
            var j = i;
            while (j + 1 < order.Length && scores[order[j + 1]] == scores[order[i]]) j++;
            var average = (i + j) / 2.0 + 1;
            for (var k = i; k <= j; k++) ranks[order[k]] = average;
            i = j + 1;
        }
        double positives = 0, rankSum = 0;
        for (var i = 0; i < labels.Count; i++)
        {
            if (labels[i] != 1f) continue;
            positives++;
            rankSum += ranks[i];
        }
        var negatives = labels.Count - positives;
        return (rankSum - positives * (positives + 1) / 2) / (positives * negatives);
    }

    public static double LogLoss(IReadOnlyList<float> p, IReadOnlyList<float> labels)
    {
        var sum = 0.0;
        for (var i = 0; i < p.Count; i++)
        {
            var q = Math.Clamp((double)p[i], 1e-16, 1 - 1e-16);
            sum -= labels[i] == 1f ? Math.Log(q) : Math.Log(1 - q);
        }
        return sum / p.Count;
    }

    public static float[] Shuffled(float[] values, ulong seed)
    {
        var rng = new Xoshiro256(seed);
        var copy = (float[])values.Clone();
        for (var i = copy.Length - 1; i > 0; i--)
        {
            var j = rng.NextInt(i + 1);
            (copy[i], copy[j]) = (copy[j], copy[i]);
        }
        return copy;
    }
}
