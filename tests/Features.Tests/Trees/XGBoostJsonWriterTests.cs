using LeadML.Features.Engine;
using LeadML.Features.Trees;

namespace LeadML.Features.Tests.Trees;

/// <summary>Trees of another learner written in XGBoost's saved form: XGBoost and the managed evaluator route rows to
/// the leaves the links say, whatever order the nodes came in.</summary>
public sealed class XGBoostJsonWriterTests
{
    // f0 < 0.5 ? (f1 < -0.25 ? 1 : 2) : 3, numbered as FastTree numbers nodes: splits first, then leaves, so the
    // root's children (1 and 4) are not adjacent, and missing values go right at the root, left below it.
    private static readonly SavedTree Tree = new(
        [1, 2, -1, -1, -1], [4, 3, -1, -1, -1], [0, 1, 0, 0, 0], [0.5f, -0.25f, 1f, 2f, 3f], [false, true, false, false, false], [10, 6, 3, 3, 4]);

    public static TheoryData<float, float, double> Rows => new()
    {
        { 0.1f, -1f, 1 }, { 0.1f, 0f, 2 }, { 0.9f, 0f, 3 }, { 0.5f, -1f, 3 }, { 0.1f, -0.25f, 2 }, { float.NaN, -1f, 3 }, { 0.1f, float.NaN, 1 },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Write_TreeWithNonAdjacentSiblings_NativeAndManagedRouteByTheLinks(float f0, float f1, double leaf)
    {
        using var booster = Booster.Load(System.Text.Encoding.UTF8.GetBytes(XGBoostJsonModel.Write(2, 0.25, [Tree, Tree])));
        var trees = TreeEnsemble.FromXGBoostJson(booster.SaveJson());
        float[] row = [f0, f1];

        Assert.Equal(0.25 + 2 * leaf, trees.Margin(row), 1e-6);
        Assert.Equal(0.25 + 2 * leaf, booster.PredictMargin(row, 1)[0], 1e-5);
        var phi = new double[3];
        trees.Contributions(row, phi);
        Assert.Equal(trees.Margin(row), phi.Sum(), 1e-9);
        var native = booster.PredictContributions(row, 1);
        for (var j = 0; j < 3; j++) Assert.Equal(native[j], phi[j], 1e-5);
    }

    [Fact]
    public void Write_LinksThatAreNotATree_AreRefusedNamingTreeAndNode()
    {
        var cycle = Tree with { Left = [1, 0, -1, -1, -1] };

        var error = Assert.Throws<ArgumentException>(() => XGBoostJsonModel.Write(2, 0, [Tree, cycle]));

        Assert.Contains("tree 1 node 1", error.Message, StringComparison.Ordinal);
    }
}
