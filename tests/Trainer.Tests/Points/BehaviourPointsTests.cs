using LeadML.Features.Featurization;
using LeadML.Features.History;
using LeadML.Features.Randomness;
using LeadML.Features.Rules;
using LeadML.Trainer.Points;

namespace LeadML.Trainer.Tests.Points;

/// <summary>
/// The rules that make behaviour points as right as attribute points (<see cref="PointsBuilder"/>,
/// <see cref="Families"/>, <see cref="Banding.MergeContradicting"/>): a negative history keeps its effect as long as it
/// is true, inactivity is one family with one sign, and recency bands never contradict their own conversion rates.
/// </summary>
public sealed class BehaviourPointsTests
{
    private static readonly FeatureSpec Spec = BuildSpec();

    private static FeatureSpec BuildSpec()
    {
        var channels = new List<EventChannel> { new("page_view", null), new("page_view", "/pricing"), new("quote_request", null), new("unsubscribe", null) };
        var negative = new List<string> { "unsubscribe" };
        var (defs, _) = FeatureLayout.Build(HistoryKind.Events, [], channels, negative);
        return new FeatureSpec { Kind = HistoryKind.Events, Attributes = [], Channels = channels, NegativeEventTypes = negative, Features = defs };
    }

    private static int I(string name) => Spec.IndexOf(name);

    private sealed record Data(float[] X, float[] Y, double[] Phi);

    /// <summary>
    /// Leads whose only activity is page views, idle for a few days to half a year (30–60 days most often), 5 % never
    /// active. The model's inactivity effect (−0.3 log-odds a month, split between "any activity" and "any page") is
    /// wobbly: idle 60–90 days reads a little better than 30–60. Of the 10 % who unsubscribed (1 to 400 days ago), the
    /// model only penalises those of the last 180 days, on the recency of the unsubscribe.
    /// </summary>
    private static Data Generate(int rows, ulong seed)
    {
        var w = Spec.Features.Count;
        var rng = new Xoshiro256(seed);
        var x = new float[rows * w];
        var phi = new double[rows * (w + 1)];
        var y = new float[rows];
        int[] idleDays = [3, 20, 45, 45, 45, 50, 75, 120, 200];
        for (var i = 0; i < rows; i++)
        {
            var r = x.AsSpan(i * w, w);
            var p = phi.AsSpan(i * (w + 1), w + 1);
            for (var j = 0; j < w; j++) r[j] = Spec.Features[j].Kind == FeatureKind.Recency ? float.NaN : 0;
            if (rng.NextBool(0.05))
            {
                p[I(FeatureNames.DaysSinceLastActivity)] = -0.8;
            }
            else
            {
                var idle = idleDays[rng.NextInt(idleDays.Length)] + rng.NextInt(5);
                r[I(FeatureNames.DaysSinceLastActivity)] = idle;
                r[I(FeatureNames.DaysSinceLast("page_view", null))] = idle;
                var effect = -0.3 * Math.Min(idle, 180) / 30 + (idle is >= 60 and < 90 ? 0.5 : 0);
                p[I(FeatureNames.DaysSinceLastActivity)] = effect / 2;
                p[I(FeatureNames.DaysSinceLast("page_view", null))] = effect / 2;
            }
            if (rng.NextBool(0.1))
            {
                var ago = 1 + rng.NextInt(400);
                r[I(FeatureNames.Ever("unsubscribe"))] = 1;
                r[I(FeatureNames.DaysSinceLast("unsubscribe", null))] = ago;
                if (ago < 365) r[I(FeatureNames.Count("unsubscribe", null, 365))] = 1;
                p[I(FeatureNames.DaysSinceLast("unsubscribe", null))] = ago < 180 ? -1.2 : 0;
            }
            p[w] = -2;
            double m = 0;
            foreach (var v in p) m += v;
            y[i] = rng.NextDouble() < 1 / (1 + Math.Exp(-m)) ? 1 : 0;
        }
        return new Data(x, y, phi);
    }

    private static double Points(IEnumerable<Criterion> criteria, ReadOnlySpan<float> row)
    {
        double sum = 0;
        foreach (var c in criteria)
        {
            if (c.Condition.Matches(row[I(c.Condition.Feature)])) sum += c.Points;
        }
        return sum;
    }

    [Fact]
    public void Families_ATypeWithDetailsJoinsInactivity_ATypeWithoutDetailsKeepsItsRecency()
    {
        var families = Families.Of(Spec);

        var inactivity = Assert.Single(families, f => f.Name == Families.Inactivity);
        var names = inactivity.Features.Select(j => Spec.Features[j].Name).ToList();
        // Days since any activity first (the representative), then any page's recency: the same inactivity in other words.
        Assert.Equal([FeatureNames.DaysSinceLastActivity, FeatureNames.DaysSinceLast("page_view", null)], names);
        Assert.Equal(CriterionGroup.Engagement, inactivity.Group);
        // A quote request's recency is the behaviour itself; a negative signal's recency stays with its flag.
        Assert.Contains(FeatureNames.DaysSinceLast("quote_request", null), families.Single(f => f.Name == "evt.quote_request").Features.Select(j => Spec.Features[j].Name));
        Assert.Contains(FeatureNames.DaysSinceLast("unsubscribe", null), families.Single(f => f.Name == "evt.unsubscribe").Features.Select(j => Spec.Features[j].Name));
        Assert.Contains(FeatureNames.DaysSinceLast("page_view", "/pricing"), families.Single(f => f.Name == "evt.page_view[/pricing]").Features.Select(j => Spec.Features[j].Name));
    }

    [Fact]
    public void Build_EverUnsubscribed_KeepsItsPenaltyLongAfterTheUnsubscribe()
    {
        var d = Generate(8000, 11);

        var s = PointsBuilder.Build(Spec, d.X, d.Y, d.Phi);

        var unsubscribe = Assert.Single(s.Criteria, c => c.Condition.Feature.StartsWith("evt.unsubscribe", StringComparison.Ordinal));
        Assert.Equal(new Condition(FeatureNames.Ever("unsubscribe"), ConditionOp.Eq, 1), unsubscribe.Condition);
        Assert.True(unsubscribe.Points < 0, $"{unsubscribe.Points}");
        // A lead who unsubscribed 300 days ago still loses the points.
        var w = Spec.Features.Count;
        var row = Enumerable.Repeat(float.NaN, w).ToArray();
        row[I(FeatureNames.Ever("unsubscribe"))] = 1;
        row[I(FeatureNames.DaysSinceLast("unsubscribe", null))] = 300;
        Assert.Equal(unsubscribe.Points, Points(s.Criteria.Where(c => c.Condition.Feature.StartsWith("evt.unsubscribe", StringComparison.Ordinal)), row));
    }

    [Fact]
    public void Build_Inactivity_IsOneFamilyWithOneSign_LongerWaitsNeverScoreMore()
    {
        var d = Generate(8000, 12);

        var s = PointsBuilder.Build(Spec, d.X, d.Y, d.Phi);

        var inactivity = s.Criteria.Where((c, k) => s.FamilyOf[k] == Families.Inactivity).ToList();
        Assert.NotEmpty(inactivity);
        // No inactivity criterion on another family (any page's recency is inactivity) and none rewards a wait.
        Assert.DoesNotContain(s.Criteria, c => c.Condition.Feature == FeatureNames.DaysSinceLast("page_view", null) && !inactivity.Contains(c));
        Assert.All(inactivity, c => Assert.True(c.Points < 0, $"{c.Label}: {c.Points}"));
        // Points of a lead idle for 1…200 days never rise with the days.
        var w = Spec.Features.Count;
        var previous = double.PositiveInfinity;
        foreach (var days in new[] { 1, 5, 10, 20, 29, 31, 45, 59, 61, 75, 89, 91, 120, 179, 181, 200 })
        {
            var row = Enumerable.Repeat(float.NaN, w).ToArray();
            row[I(FeatureNames.DaysSinceLastActivity)] = days;
            row[I(FeatureNames.DaysSinceLast("page_view", null))] = days;
            var points = Points(inactivity, row);
            Assert.True(points <= previous, $"idle {days} days: {points} points, more than {previous} for a shorter wait");
            previous = points;
        }
        Assert.True(previous < 0, "a long inactive stretch loses points");
    }

    [Fact]
    public void MergeContradicting_BandsWhosePointsGoAgainstTheirRates_AreMerged()
    {
        // Three recency bands: in the last 10 days (0, converts 20 %), 30–90 days ago (−0.3, 10 %), 90 or more (+0.1, 5 %):
        // the oldest band scores more than the middle one and converts less: the two merge.
        var values = new List<float>();
        var phi = new List<double>();
        var y = new List<float>();
        void Band(float days, double contribution, int converted)
        {
            for (var i = 0; i < 200; i++)
            {
                values.Add(days);
                phi.Add(contribution);
                y.Add(i < converted ? 1 : 0);
            }
        }
        Band(5, 0, 40);
        Band(45, -0.3, 20);
        Band(120, 0.1, 10);
        var cut = Banding.Cut(0, FeatureKind.Recency, values.ToArray(), [.. phi], minSupport: 40, mergeBelow: 0.01);
        Assert.Equal(3, cut.Bands.Count);

        var merged = Banding.MergeContradicting(cut, values.ToArray(), [.. phi], [.. y], nonIncreasing: false);

        Assert.Equal(2, merged.Bands.Count);
        Assert.Equal(merged.BandOfRow[200], merged.BandOfRow[400]);
        Assert.NotEqual(merged.BandOfRow[0], merged.BandOfRow[200]);
        Assert.Equal(-0.1, merged.Mean[merged.BandOfRow[200]], 9);
        // Bands whose points follow their rates stay apart.
        double[] falling = [.. phi.Select((v, i) => i >= 400 ? -0.6 : v)];
        var agreeing = Banding.MergeContradicting(Banding.Cut(0, FeatureKind.Recency, values.ToArray(), falling, 40, 0.01), values.ToArray(), falling, [.. y], nonIncreasing: false);
        Assert.Equal(3, agreeing.Bands.Count);
    }
}
