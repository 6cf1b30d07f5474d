using LeadML.Features.Engine;

namespace LeadML.Features.Tests.Engine;

public sealed class BoosterParametersTests
{
    [Fact]
    public void ToNativeParameters_UsesXGBoostNamesAndInvariantNumbers()
    {
        var p = new BoosterParameters { Eta = 0.05, MaxDepth = 6, Subsample = 0.8, Seed = 42, Lambda = 1.5 };

        var pairs = p.ToNativeParameters().ToDictionary(x => x.Name, x => x.Value);

        Assert.Equal("binary:logistic", pairs["objective"]);
        Assert.Equal("hist", pairs["tree_method"]);
        Assert.Equal("0.05", pairs["eta"]);
        Assert.Equal("6", pairs["max_depth"]);
        Assert.Equal("0.8", pairs["subsample"]);
        Assert.Equal("1.5", pairs["lambda"]);
        Assert.Equal("42", pairs["seed"]);
        Assert.Equal("2", pairs["nthread"]);
        Assert.Equal("logloss", pairs["eval_metric"]);
        Assert.False(pairs.ContainsKey("base_score"));
    }

    [Fact]
    public void ToNativeParameters_BaseScoreOnlyWhenSet()
    {
        var pairs = new BoosterParameters { BaseScore = 0.3 }.ToNativeParameters();

        Assert.Contains(("base_score", "0.3"), pairs);
    }

    [Theory]
    [InlineData("auc", true)]
    [InlineData("aucpr", true)]
    [InlineData("logloss", false)]
    [InlineData("error", false)]
    [InlineData("rmse", false)]
    public void IsMaximized_HigherIsBetterOnlyForRankingMetrics(string metric, bool maximized)
    {
        Assert.Equal(maximized, BoosterParameters.IsMaximized(metric));
    }
}
