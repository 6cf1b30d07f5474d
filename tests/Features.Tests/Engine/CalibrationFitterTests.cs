using LeadML.Features.Engine;
using LeadML.Features.Randomness;
using LeadML.Features.Evaluation;

namespace LeadML.Features.Tests.Engine;

public sealed class CalibrationFitterTests
{
    private static (double[] Margins, float[] Y) Draw(int rows, ulong seed, Func<double, double> probability)
    {
        var rng = new Xoshiro256(seed);
        var m = new double[rows];
        var y = new float[rows];
        for (var i = 0; i < rows; i++)
        {
            m[i] = 2 * rng.NextGaussian();
            y[i] = rng.NextBool(probability(m[i])) ? 1f : 0f;
        }
        return (m, y);
    }

    [Fact]
    public void FitPlatt_RecoversAKnownSlopeAndOffset()
    {
        var (m, y) = Draw(40_000, 31, v => Calibration.Sigmoid(0.6 * v - 0.8));
        var c = CalibrationFitter.FitPlatt(m, y);
        Assert.Equal(CalibrationKind.Platt, c.Kind);
        Assert.InRange(c.A, 0.55, 0.65);
        Assert.InRange(c.B, -0.86, -0.74);
    }

    [Fact]
    public void FitIsotonic_IsMonotone_SmallAndBeatsAMiscalibratedSigmoid()
    {
        // The model's margins are over-confident and shifted: the truth is sigmoid(0.4·m − 1).
        static double Truth(double v) => Calibration.Sigmoid(0.4 * v - 1);
        var (m, y) = Draw(20_000, 32, Truth);
        var c = CalibrationFitter.FitIsotonic(m, y);
        Assert.Equal(CalibrationKind.Isotonic, c.Kind);
        Assert.InRange(c.Thresholds.Length, 2, CalibrationFitter.MaxIsotonicKnots);
        for (var k = 1; k < c.Values.Length; k++) Assert.True(c.Values[k] >= c.Values[k - 1]);
        var previous = 0.0;
        for (var v = -8.0; v <= 8.0; v += 0.01)
        {
            var p = c.Apply(v);
            Assert.True(p >= previous, $"Apply({v}) = {p} is below {previous}");
            previous = p;
        }

        var (testM, testY) = Draw(20_000, 33, Truth);
        var raw = Metrics.LogLoss([.. testM.Select(Calibration.Sigmoid)], testY);
        var calibrated = Metrics.LogLoss([.. testM.Select(c.Apply)], testY);
        Assert.True(calibrated < raw - 0.05, $"isotonic log-loss {calibrated} vs raw sigmoid {raw}");
        Assert.InRange(c.Apply(0), Truth(0) - 0.04, Truth(0) + 0.04);
    }

    [Fact]
    public void FitIsotonic_PoolsEqualMarginsIntoOneValue()
    {
        var c = CalibrationFitter.FitIsotonic([1, 1, 1, 1, 2, 2], [1, 0, 0, 0, 1, 1]);
        Assert.Equal(0.25, c.Apply(1), 12);
        Assert.Equal(1 - Calibration.MinProbability, c.Apply(2), 12);
    }

    [Fact]
    public void Choose_SmallValidationSet_PicksPlatt()
    {
        var (m, y) = Draw(400, 34, v => v > 0 ? 0.6 : 0.05);
        var choice = CalibrationFitter.Choose(m, y);
        Assert.Equal(CalibrationKind.Platt, choice.Chosen.Kind);
        Assert.Contains("too few", choice.Why);
        Assert.True(double.IsFinite(choice.PlattLogLoss) && double.IsFinite(choice.IsotonicLogLoss));
    }

    [Fact]
    public void Choose_WellSpecifiedSigmoid_KeepsPlatt()
    {
        var (m, y) = Draw(10_000, 35, v => Calibration.Sigmoid(0.7 * v - 1.2));
        var choice = CalibrationFitter.Choose(m, y);
        Assert.Equal(CalibrationKind.Platt, choice.Chosen.Kind);
        Assert.True(choice.PlattLogLoss <= choice.IsotonicLogLoss * 1.01);
    }

    [Fact]
    public void Choose_StepShapedTruthWithPlentyOfData_PicksIsotonic()
    {
        // Low, a jump, then a plateau far below 1: a sigmoid of an affine margin cannot level off like that.
        var (m, y) = Draw(20_000, 36, v => v < -1 ? 0.02 : v < 1 ? 0.3 : 0.35);
        var choice = CalibrationFitter.Choose(m, y);
        Assert.Equal(CalibrationKind.Isotonic, choice.Chosen.Kind);
        Assert.True(choice.IsotonicLogLoss < choice.PlattLogLoss * (1 - CalibrationFitter.IsotonicMinGain));
        Assert.StartsWith("isotonic", choice.Why);
    }

    [Fact]
    public void AlignLevels_RecoversTheSharedSlopeAndEachOffset_AndMovesEveryStretchToTheLast()
    {
        var (m1, y1) = Draw(30_000, 41, v => Calibration.Sigmoid(0.7 * v - 2.5));
        var (m2, y2) = Draw(30_000, 42, v => Calibration.Sigmoid(0.7 * v - 1.0));
        var (aligned, slope, offsets) = CalibrationFitter.AlignLevels([m1, m2], [y1, y2]);
        Assert.InRange(slope, 0.65, 0.75);
        Assert.InRange(offsets[0], -2.6, -2.4);
        Assert.InRange(offsets[1], -1.1, -0.9);
        // The first stretch's margins shift by (its offset − the last's) / slope, about −2.1: onto the last stretch's level.
        Assert.InRange(aligned[0][0] - m1[0], (offsets[0] - offsets[1]) / slope - 1e-9, (offsets[0] - offsets[1]) / slope + 1e-9);
        Assert.Equal(m2, aligned[1]);
        var pooled = CalibrationFitter.FitPlatt([.. aligned[0], .. aligned[1]], [.. y1, .. y2]);
        Assert.InRange(pooled.B, -1.1, -0.9);
    }
}
