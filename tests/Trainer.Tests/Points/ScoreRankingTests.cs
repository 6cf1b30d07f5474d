using LeadML.Features.Evaluation;
using LeadML.Features.Randomness;
using LeadML.Trainer.Points;

namespace LeadML.Trainer.Tests.Points;

public sealed class ScoreRankingTests
{
    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    [InlineData(3UL)]
    public void Auc_IsTheRocAucOfTheScores_TiesSharingTheirMidRank(ulong seed)
    {
        // Scores as a table gives them: sums of a few points, so many rows tie, on both sides of 0 (−0 beside 0),
        // with the odd large value.
        var rng = new Xoshiro256(seed);
        var rows = 5000;
        var y = new float[rows];
        for (var i = 0; i < rows; i++) y[i] = rng.NextBool(0.2) ? 1 : 0;
        var ranking = new ScoreRanking(y);
        double[] points = [-1.25, -0.5, 0.0, 0.3, 0.75, 1e9];
        for (var round = 0; round < 3; round++)
        {
            var scores = ranking.Scores;
            for (var i = 0; i < rows; i++)
            {
                var s = rng.NextBool(0.5) ? -0.0 : 0.0;
                for (var k = 0; k < points.Length - 1; k++) if (rng.NextBool(0.3 + y[i] * Math.Sign(points[k]) * 0.2)) s += points[k];
                if (rng.NextBool(0.001)) s = rng.NextBool(0.5) ? points[^1] : -points[^1];
                if (round == 2) s += rng.NextGaussian() * 1e-3;
                scores[i] = s;
            }
            var expected = Metrics.RocAuc([.. scores], y);
            Assert.InRange(expected, 0.55, 0.95);
            Assert.Equal(expected, ranking.Auc());
        }
    }

    [Fact]
    public void Auc_WithOneClass_IsNaN()
    {
        var ranking = new ScoreRanking([0f, 0f, 0f]);
        ranking.Scores[0] = 1;
        Assert.True(double.IsNaN(ranking.Auc()));
    }
}
