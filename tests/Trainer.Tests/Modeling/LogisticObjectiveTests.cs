using LeadML.Features.Randomness;
using LeadML.Trainer.Modeling;

namespace LeadML.Trainer.Tests.Modeling;

public sealed class LogisticObjectiveTests
{
    [Fact]
    public void Gradient_MatchesFiniteDifferences()
    {
        var rng = new Xoshiro256(21);
        const int rows = 200;
        const int width = 7; // not a multiple of the SIMD width, so the scalar tail runs too
        var z = new double[rows * width];
        for (var k = 0; k < z.Length; k++) z[k] = rng.NextGaussian();
        var y = new float[rows];
        var weights = new float[rows];
        for (var i = 0; i < rows; i++)
        {
            y[i] = rng.NextBool(0.3) ? 1f : 0f;
            weights[i] = (float)(0.5 + rng.NextDouble());
        }
        var objective = new LogisticObjective(z, rows, width, y, weights, l2: 0.3);
        var theta = new double[width + 1];
        for (var j = 0; j < theta.Length; j++) theta[j] = rng.NextGaussian();
        var gradient = new double[width + 1];
        objective.Evaluate(theta, gradient);

        var scratch = new double[width + 1];
        const double h = 1e-6;
        for (var j = 0; j < theta.Length; j++)
        {
            var plus = (double[])theta.Clone();
            var minus = (double[])theta.Clone();
            plus[j] += h;
            minus[j] -= h;
            var numeric = (objective.Evaluate(plus, scratch) - objective.Evaluate(minus, scratch)) / (2 * h);
            Assert.Equal(numeric, gradient[j], 6);
        }
    }

    [Fact]
    public void Value_AtZero_IsLogTwoAndThePenaltySkipsTheIntercept()
    {
        var z = new double[] { 1, 2, 3, 4 };
        var objective = new LogisticObjective(z, 2, 2, [1f, 0f], null, l2: 2.0);
        var gradient = new double[3];
        Assert.Equal(Math.Log(2), objective.Evaluate([0, 0, 0], gradient), 12);
        // With weights zero, moving only the intercept adds no penalty: mean of softplus(-5) and softplus(5) − 5.
        var expected = (Math.Log(1 + Math.Exp(-5)) + Math.Log(1 + Math.Exp(5))) / 2;
        Assert.Equal(expected, objective.Evaluate([0, 0, 5], gradient), 12);
        Assert.Equal(MeanLossAt([1, 2, 0], z) + 0.5 * 2.0 * (1 + 4), objective.Evaluate([1, 2, 0], gradient), 10);
    }

    private static double MeanLossAt(double[] theta, double[] z)
    {
        var m0 = theta[2] + theta[0] * z[0] + theta[1] * z[1];
        var m1 = theta[2] + theta[0] * z[2] + theta[1] * z[3];
        return (Math.Log(1 + Math.Exp(m0)) - m0 + Math.Log(1 + Math.Exp(m1))) / 2;
    }
}
