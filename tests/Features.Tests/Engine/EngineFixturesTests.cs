namespace LeadML.Features.Tests.Engine;

/// <summary>The AUC helper the engine tests rely on must itself be right.</summary>
public sealed class EngineFixturesTests
{
    [Fact]
    public void Auc_PerfectReversedAndTiedScores()
    {
        float[] labels = [0, 0, 1, 1];
        Assert.Equal(1.0, EngineFixtures.Auc([0.1f, 0.2f, 0.8f, 0.9f], labels), 12);
        Assert.Equal(0.0, EngineFixtures.Auc([0.9f, 0.8f, 0.2f, 0.1f], labels), 12);
        Assert.Equal(0.5, EngineFixtures.Auc([0.5f, 0.5f, 0.5f, 0.5f], labels), 12);
        // One of the four positive–negative pairs is misordered.
        Assert.Equal(0.75, EngineFixtures.Auc([0.1f, 0.6f, 0.5f, 0.9f], labels), 12);
    }
}
