using LeadML.Trainer.Sample;

namespace LeadML.Trainer.Tests.Sample;

public sealed class SampleTruthTests
{
    [Fact]
    public void RocAuc_PerfectRanking_IsOne_AndReversedIsZero()
    {
        Assert.Equal(1.0, SampleTruth.RocAuc([0.1, 0.2, 0.8, 0.9], [false, false, true, true]));
        Assert.Equal(0.0, SampleTruth.RocAuc([0.9, 0.8, 0.2, 0.1], [false, false, true, true]));
    }

    [Fact]
    public void RocAuc_Ties_CountOneHalf()
    {
        Assert.Equal(0.5, SampleTruth.RocAuc([0.5, 0.5, 0.5, 0.5], [false, true, false, true]));
        Assert.Equal(0.875, SampleTruth.RocAuc([0.1, 0.5, 0.5, 0.9], [false, false, true, true]));
    }

    [Fact]
    public void RocAuc_OneClass_IsNaN()
    {
        Assert.True(double.IsNaN(SampleTruth.RocAuc([0.1, 0.2], [true, true])));
    }

    [Fact]
    public void Effects_AreNamedOnce_PerFeatureAndKind_WithoutZeros()
    {
        var effects = SampleTruth.Effects();
        Assert.Equal(effects.Count, effects.Select(e => (e.Feature, e.Kind)).Distinct().Count());
        Assert.DoesNotContain(effects, e => e.LogOdds == 0);
        Assert.Contains(effects, e => e.Feature == "attr.job_title=Student" && e.Sign == "negative");
    }
}
