using System.Text.Json;
using LeadML.Features.Engine;

namespace LeadML.Features.Tests.Engine;

public sealed class CalibrationTests
{
    [Fact]
    public void Identity_IsTheSigmoidOfTheMargin()
    {
        Assert.Equal(0.5, Calibration.Identity.Apply(0), 15);
        Assert.Equal(1 / (1 + Math.Exp(-2.0)), Calibration.Identity.Apply(2), 15);
        Assert.Equal(CalibrationKind.None, Calibration.Identity.Kind);
    }

    [Fact]
    public void Sigmoid_StaysFiniteAndSymmetricForLargeMargins()
    {
        Assert.Equal(1.0, Calibration.Sigmoid(800));
        Assert.Equal(0.0, Calibration.Sigmoid(-800));
        Assert.Equal(1 - Calibration.Sigmoid(3.7), Calibration.Sigmoid(-3.7), 15);
    }

    [Fact]
    public void Platt_AppliesSlopeAndOffsetBeforeTheSigmoid()
    {
        var c = Calibration.ForPlatt(0.5, -1.0);
        Assert.Equal(Calibration.Sigmoid(0.5 * 3 - 1), c.Apply(3), 15);
    }

    [Fact]
    public void Isotonic_InterpolatesBetweenKnots_AndClampsAtTheEnds()
    {
        var c = Calibration.ForIsotonic([-1.0, 0.0, 2.0], [0.1, 0.3, 0.7]);
        Assert.Equal(0.1, c.Apply(-5), 15);
        Assert.Equal(0.1, c.Apply(-1), 15);
        Assert.Equal(0.2, c.Apply(-0.5), 12);
        Assert.Equal(0.5, c.Apply(1.0), 12);
        Assert.Equal(0.7, c.Apply(9), 15);
    }

    [Fact]
    public void Isotonic_KeepsValuesAwayFromZeroAndOne()
    {
        var c = Calibration.ForIsotonic([0.0, 1.0], [0.0, 1.0]);
        Assert.Equal(Calibration.MinProbability, c.Apply(-1));
        Assert.Equal(1 - Calibration.MinProbability, c.Apply(2));
    }

    [Fact]
    public void Isotonic_RejectsDecreasingValuesAndUnsortedThresholds()
    {
        Assert.Throws<ArgumentException>(() => Calibration.ForIsotonic([0.0, 1.0], [0.5, 0.4]));
        Assert.Throws<ArgumentException>(() => Calibration.ForIsotonic([1.0, 1.0], [0.1, 0.2]));
        Assert.Throws<ArgumentException>(() => Calibration.ForIsotonic([1.0], [0.1, 0.2]));
    }

    [Fact]
    public void Json_RoundTrip_KeepsKindAndMap()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        var iso = Calibration.ForIsotonic([-1.0, 0.0, 2.0], [0.1, 0.3, 0.7]);
        var json = JsonSerializer.Serialize(iso, options);
        Assert.Contains("\"Isotonic\"", json);
        var back = JsonSerializer.Deserialize<Calibration>(json, options)!;
        Assert.Equal(CalibrationKind.Isotonic, back.Kind);
        Assert.Equal(iso.Apply(0.7), back.Apply(0.7), 15);

        var platt = JsonSerializer.Deserialize<Calibration>(JsonSerializer.Serialize(Calibration.ForPlatt(1.3, 0.2), options), options)!;
        Assert.Equal(Calibration.ForPlatt(1.3, 0.2).Apply(-0.4), platt.Apply(-0.4), 15);
    }
}
