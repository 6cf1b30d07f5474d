using System.Text.Json;
using LeadML.Features.Randomness;
using LeadML.Features.Evaluation;

namespace LeadML.Features.Tests.Evaluation;

public sealed class MetricsTests
{
    private static double BruteForceAuc(double[] p, float[] y)
    {
        double wins = 0, pairs = 0;
        for (var i = 0; i < p.Length; i++)
        {
            if (y[i] < 0.5f) continue;
            for (var k = 0; k < p.Length; k++)
            {
                if (y[k] > 0.5f) continue;
                pairs++;
                wins += p[i] > p[k] ? 1 : p[i] == p[k] ? 0.5 : 0;
            }
        }
        return wins / pairs;
    }

    [Fact]
    public void RocAuc_EqualsThePairwiseCount_OnRandomCasesWithTies()
    {
        var rng = new Xoshiro256(41);
        for (var trial = 0; trial < 200; trial++)
        {
            var n = 2 + rng.NextInt(40);
            var levels = 1 + rng.NextInt(6); // few levels, so many ties
            var p = new double[n];
            var y = new float[n];
            for (var i = 0; i < n; i++)
            {
                p[i] = rng.NextInt(levels) / 10.0;
                y[i] = rng.NextBool(0.4) ? 1f : 0f;
            }
            y[0] = 1f;
            y[1] = 0f;
            Assert.Equal(BruteForceAuc(p, y), Metrics.RocAuc(p, y), 12);
        }
    }

    [Fact]
    public void RocAuc_MillionsOfRowsInAFewTies_IsTheCountOfPairs()
    {
        // Points scores tie in large groups: a group's positives times its ranks passes int's range at this size.
        (int Rows, int Positives)[] levels = [(1_000_000, 10_000), (1_000_000, 40_000), (1_000_000, 100_000)];
        var p = new double[levels.Sum(l => l.Rows)];
        var y = new float[p.Length];
        var i = 0;
        for (var level = 0; level < levels.Length; level++)
        {
            for (var k = 0; k < levels[level].Rows; k++, i++)
            {
                p[i] = level;
                y[i] = k < levels[level].Positives ? 1 : 0;
            }
        }
        double above = 0, positives = levels.Sum(l => (double)l.Positives), negatives = p.Length - positives;
        for (var a = 0; a < levels.Length; a++)
        {
            for (var b = 0; b < levels.Length; b++)
            {
                var pairs = (double)levels[a].Positives * (levels[b].Rows - levels[b].Positives);
                above += a > b ? pairs : a == b ? pairs / 2 : 0;
            }
        }
        Assert.Equal(above / (positives * negatives), Metrics.RocAuc(p, y), 9);
    }

    [Fact]
    public void RocAuc_SingleClass_IsNaN()
    {
        Assert.True(double.IsNaN(Metrics.RocAuc([0.1, 0.2], [1f, 1f])));
    }

    [Fact]
    public void RocAucStandardError_MatchesHanleyMcNeilByHand()
    {
        // 3 conversions, 4 others, AUC 0.8: Q1 = 0.8/1.2, Q2 = 2·0.64/1.8,
        // SE² = (0.16 + 2(Q1 − 0.64) + 3(Q2 − 0.64)) / 12 = 0.0355556 → SE = 0.188562.
        float[] y = [1, 1, 1, 0, 0, 0, 0];
        Assert.Equal(0.1885618083, Metrics.RocAucStandardError(0.8, y), 9);
    }

    [Fact]
    public void PrAuc_PerfectRankingIsOne_AndAKnownCase()
    {
        Assert.Equal(1.0, Metrics.PrAuc([0.9, 0.8, 0.3, 0.1], [1, 1, 0, 0]), 12);
        // Ranked: conversion, other, conversion → ½·1 + ½·⅔.
        Assert.Equal(0.5 + 0.5 * 2.0 / 3.0, Metrics.PrAuc([0.9, 0.8, 0.7], [1, 0, 1]), 12);
        // All tied: one threshold with precision = positive rate.
        Assert.Equal(0.5, Metrics.PrAuc([0.5, 0.5, 0.5, 0.5], [1, 0, 1, 0]), 12);
    }

    [Fact]
    public void LogLossAndBrier_MatchHandValues()
    {
        double[] p = [0.8, 0.4];
        float[] y = [1, 0];
        Assert.Equal(-(Math.Log(0.8) + Math.Log(0.6)) / 2, Metrics.LogLoss(p, y), 12);
        Assert.Equal((0.04 + 0.16) / 2, Metrics.Brier(p, y), 12);
        Assert.True(double.IsFinite(Metrics.LogLoss([0.0], [1f])));
    }

    [Fact]
    public void ExpectedCalibrationError_IsZeroForPerfectlyCalibratedBins_AndTheGapOtherwise()
    {
        // 10 rows at 0.2 with 2 conversions and 4 rows at 0.75 with 3: each bin's mean equals its rate.
        double[] p = [.. Enumerable.Repeat(0.2, 10), .. Enumerable.Repeat(0.75, 4)];
        float[] y = [1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0];
        Assert.Equal(0.0, Metrics.ExpectedCalibrationError(p, y), 12);

        var table = Metrics.CalibrationTable(p, y);
        Assert.Equal([3, 8], table.Select(b => b.Bin));
        Assert.Equal([10, 4], table.Select(b => b.Count));
        Assert.Equal(0.2, table[0].Lower, 12);
        Assert.Equal(0.3, table[0].Upper, 12);
        Assert.Equal(0.75, table[1].ObservedRate, 12);

        // Everything at 0.9 but half convert: the gap is 0.4.
        Assert.Equal(0.4, Metrics.ExpectedCalibrationError([0.9, 0.9, 0.9, 0.9], [1, 0, 1, 0]), 12);
    }

    [Fact]
    public void LiftTable_CountsAndGainsAddUp()
    {
        var rng = new Xoshiro256(42);
        const int n = 1_003; // not a multiple of 10
        var p = new double[n];
        var y = new float[n];
        for (var i = 0; i < n; i++)
        {
            p[i] = rng.NextDouble();
            y[i] = rng.NextBool(p[i] * 0.5) ? 1f : 0f;
        }
        var table = Metrics.LiftTable(p, y);
        var positives = y.Count(v => v > 0.5f);
        Assert.Equal(10, table.Count);
        Assert.Equal(Enumerable.Range(1, 10), table.Select(r => r.Decile));
        Assert.Equal(n, table.Sum(r => r.Count));
        Assert.Equal(positives, table.Sum(r => r.Positives));
        Assert.Equal(1.0, table[^1].CumulativeGain, 12);
        Assert.Equal(1.0, table.Sum(r => r.Lift * r.Count) / n, 9);
        Assert.True(table[0].Lift > 1.5 && table[^1].Lift < 0.5, "scores correlated with outcomes give a falling lift");
        for (var k = 1; k < table.Count; k++) Assert.True(table[k].CumulativeGain >= table[k - 1].CumulativeGain);
    }

    [Fact]
    public void Compute_SingleClass_GivesNullAucs_AndSerialisesWithoutNaN()
    {
        var set = Metrics.Compute([0.1, 0.3, 0.2], [0f, 0f, 0f]);
        Assert.Null(set.RocAuc);
        Assert.Null(set.RocAucStandardError);
        Assert.Null(set.PrAuc);
        Assert.Equal(0.0, set.PositiveRate);
        var json = JsonSerializer.Serialize(set, new JsonSerializerOptions(JsonSerializerDefaults.Web));
        Assert.Contains("\"rocAuc\":null", json);
        Assert.DoesNotContain("NaN", json);
    }

    [Fact]
    public void Compute_TwoClasses_FillsEveryFigure()
    {
        var set = Metrics.Compute([0.9, 0.7, 0.4, 0.2], [1, 0, 1, 0]);
        Assert.Equal(0.75, set.RocAuc);
        Assert.NotNull(set.RocAucStandardError);
        Assert.Equal(0.5, set.PositiveRate);
        Assert.Equal(4, set.Calibration.Sum(b => b.Count));
        Assert.Equal(4, set.Lift.Sum(r => r.Count));
    }
}
