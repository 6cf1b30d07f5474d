using System.Text.Json;
using LeadML.Features.Engine;
using LeadML.Features.Randomness;

namespace LeadML.Features.Tests.Engine;

public sealed class LinearModelTests
{
    private static readonly LinearModel Model = new()
    {
        Intercept = -1.5,
        Weights = [0.8, -0.4, 0.0],
        Means = [10.0, 2.0, 5.0],
        Scales = [2.0, 0.5, 1.0],
    };

    [Fact]
    public void Margin_IsInterceptPlusWeightedStandardisedValues()
    {
        // -1.5 + 0.8 * (14 - 10) / 2 + (-0.4) * (1 - 2) / 0.5 + 0 = -1.5 + 1.6 + 0.8
        Assert.Equal(0.9, Model.Margin([14f, 1f, 123f]), 12);
    }

    [Fact]
    public void Margin_MissingValueCountsAsTheMean()
    {
        Assert.Equal(Model.Margin([10f, 1f, 5f]), Model.Margin([float.NaN, 1f, 5f]), 12);
        Assert.Equal(Model.Intercept, Model.Margin([float.NaN, float.NaN, float.NaN]), 12);
    }

    [Fact]
    public void Contributions_SumToTheMargin_AndEndWithTheIntercept()
    {
        var rng = new Xoshiro256(7);
        Span<double> phi = stackalloc double[4];
        for (var k = 0; k < 200; k++)
        {
            float[] x = [(float)(10 + 3 * rng.NextGaussian()), rng.NextBool(0.2) ? float.NaN : (float)rng.NextGaussian(), (float)rng.NextDouble()];
            Model.Contributions(x, phi);
            var sum = 0.0;
            foreach (var v in phi) sum += v;
            Assert.Equal(Model.Margin(x), sum, 10);
            Assert.Equal(Model.Intercept, phi[^1]);
            if (float.IsNaN(x[1])) Assert.Equal(0.0, phi[1]);
            Assert.Equal(0.0, phi[2]);
        }
    }

    [Fact]
    public void Margin_WrongWidth_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => Model.Margin([1f, 2f]));
        Assert.Contains("expects 3", ex.Message);
        Assert.Throws<ArgumentException>(() => Model.Contributions([1f, 2f, 3f], new double[3]));
    }

    [Fact]
    public void Json_RoundTrip_KeepsTheModel()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        var json = JsonSerializer.Serialize(Model, options);
        Assert.Contains("\"intercept\"", json);
        var back = JsonSerializer.Deserialize<LinearModel>(json, options)!;
        Assert.Equal(Model.Weights, back.Weights);
        Assert.Equal(Model.Means, back.Means);
        Assert.Equal(Model.Scales, back.Scales);
        Assert.Equal(Model.Margin([3f, 4f, 5f]), back.Margin([3f, 4f, 5f]), 12);
    }
}
