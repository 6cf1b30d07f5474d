using LeadML.Features.Randomness;
using LeadML.Features.Evaluation;
using LeadML.Trainer.Evaluation;

namespace LeadML.Trainer.Tests.Evaluation;

public sealed class LeakageTests
{
    private static (float[] Y, FeatureColumn Copy, FeatureColumn Filled, FeatureColumn Ordinary) Columns()
    {
        var rng = new Xoshiro256(61);
        const int n = 5_000;
        var y = new float[n];
        var copy = new float[n];
        var filled = new float[n];
        var ordinary = new float[n];
        for (var i = 0; i < n; i++)
        {
            var signal = rng.NextGaussian();
            y[i] = rng.NextBool(signal > 1 ? 0.4 : 0.1) ? 1f : 0f;
            copy[i] = y[i];
            // A contract date: filled for 95 % of conversions and 1 % of the others, NaN elsewhere.
            filled[i] = rng.NextBool(y[i] > 0.5f ? 0.95 : 0.01) ? (float)(1000 + rng.NextInt(50)) : float.NaN;
            ordinary[i] = (float)signal;
        }
        return (y, new("label_copy", copy), new("contract_signed_at", filled), new("pages_viewed", ordinary));
    }

    [Fact]
    public void Check_FlagsACopyOfTheLabel_ByAuc()
    {
        var (y, copy, _, _) = Columns();
        var w = Assert.Single(Leakage.Check([copy], y), w => w.Kind == "auc");
        Assert.Equal("label_copy", w.Feature);
        Assert.Equal(1.0, w.Value, 12);
        Assert.Contains("'label_copy'", w.Message);
        Assert.Contains("ignore it in the schema", w.Message);
    }

    [Fact]
    public void Check_FlagsAColumnFilledOnlyForConvertedLeads()
    {
        var (y, _, filled, _) = Columns();
        var warnings = Leakage.Check([filled], y);
        var w = Assert.Single(warnings, w => w.Kind == "filledOnlyForConverted");
        Assert.InRange(w.Value, 0.9, 1.0);
        Assert.Contains("'contract_signed_at'", w.Message);
        Assert.Contains("after", w.Message);
    }

    [Fact]
    public void Check_LeavesAnOrdinaryPredictiveColumnAlone()
    {
        var (y, _, _, ordinary) = Columns();
        Assert.Empty(Leakage.Check([ordinary], y));
    }

    [Fact]
    public void Check_InvertedLabelCopy_IsFlaggedToo()
    {
        var (y, _, _, _) = Columns();
        var inverted = new FeatureColumn("not_converted", [.. y.Select(v => 1 - v)]);
        Assert.Contains(Leakage.Check([inverted], y), w => w.Kind == "auc" && w.Value > 0.99);
    }

    [Fact]
    public void Find_ReadsColumnsOutOfARowMajorMatrix()
    {
        var (y, copy, _, ordinary) = Columns();
        var x = new float[y.Length * 2];
        for (var i = 0; i < y.Length; i++)
        {
            x[i * 2] = ordinary.Values[i];
            x[i * 2 + 1] = copy.Values[i];
        }
        var warnings = Leakage.Find(["pages_viewed", "label_copy"], x, y, 2);
        Assert.NotEmpty(warnings);
        Assert.All(warnings, w => Assert.Equal("label_copy", w.Feature));
    }
}
