using LeadML.Features.Featurization;
using LeadML.Features.History;
using LeadML.Features.Rules;
using LeadML.Trainer.Points;

namespace LeadML.Trainer.Tests.Points;

/// <summary>
/// The compact table against known effects whose shape defeats a naive shortening: the most common industry
/// (Software, 35 % of leads) has an effect (+0.5 log-odds) while three industries have none, and a rare negative history
/// (an e-mail bounce on 1 % of leads, −0.5) adds little to the ranking.
/// </summary>
public sealed class CompactionTests
{
    private static readonly string[] Industries = ["Software", "Finance", "Manufacturing", "Healthcare", "Other", "Government"];
    private static readonly double[] Shares = [0.35, 0.10, 0.15, 0.15, 0.15, 0.10];
    private static readonly double[] Effects = [0.5, 0.3, 0, 0, 0, -0.8];
    private static readonly FeatureSpec Spec = BuildSpec();

    private static FeatureSpec BuildSpec()
    {
        var attributes = new List<AttributeEncoding> { new("industry", ColumnType.Category, [.. Industries], false, false, []) };
        var channels = new List<EventChannel> { new("page_view", "/pricing"), new("email_bounce", null) };
        var negative = new List<string> { "email_bounce" };
        var (defs, _) = FeatureLayout.Build(HistoryKind.Events, attributes, channels, negative);
        return new FeatureSpec { Kind = HistoryKind.Events, Attributes = attributes, Channels = channels, NegativeEventTypes = negative, Features = defs };
    }

    private static (float[] X, float[] Y, double[] Phi, double[] Margin) Generate(int rows, ulong seed) =>
        KnownContributions.Generate(Spec, rows, seed, -2.5, (rng, r, p) =>
        {
            int I(string n) => Spec.IndexOf(n);
            var level = rng.NextWeighted(Shares);
            r[I($"attr.industry={Industries[level]}")] = 1;
            p[I($"attr.industry={Industries[level]}")] = Effects[level];
            var views = rng.NextDouble() < 0.5 ? 0 : rng.NextInt(6);
            r[I("evt.page_view[/pricing].count_30d")] = views;
            p[I("evt.page_view[/pricing].count_30d")] = 0.4 * Math.Min(views, 3);
            var bounced = rng.NextDouble() < 0.01;
            r[I("evt.email_bounce.ever")] = bounced ? 1 : 0;
            r[I("evt.email_bounce.count_365d")] = bounced ? 1 : 0;
            p[I("evt.email_bounce.ever")] = bounced ? -0.5 : 0;
        });

    [Fact]
    public void Compact_CategoryLevelsScoredAlikeStayTogetherAtZero_AndEveryKeptLevelKeepsItsSign()
    {
        var d = Generate(20000, 11);
        var test = Generate(5000, 12);
        var full = PointsBuilder.Build(Spec, d.X, d.Y, d.Phi);
        // Software is the most common level, so the table with every band scores it 0 and the levels without effect below it.
        Assert.DoesNotContain(full.Criteria, c => c.Condition.Feature == "attr.industry=Software");
        Assert.Contains(full.Criteria, c => c.Condition.Feature == "attr.industry=Manufacturing" && c.Points < 0);

        var compact = Compaction.Run(Spec, full, (d.X, d.Y, d.Margin), (d.X, d.Y), (test.X, test.Y), null,
            new PointsOptions { MaxCriteria = full.Criteria.Count - 2, MinGainPerCriterion = 0 });

        var industry = compact.Criteria.Where(c => c.Condition.Feature.StartsWith("attr.industry=", StringComparison.Ordinal)).ToList();
        // The three levels without effect are left together, without a criterion: the kept levels are compared with them.
        foreach (var none in new[] { "Manufacturing", "Healthcare", "Other" }) Assert.DoesNotContain(industry, c => c.Condition.Feature == $"attr.industry={none}");
        var software = Assert.Single(industry, c => c.Condition.Feature == "attr.industry=Software");
        var government = Assert.Single(industry, c => c.Condition.Feature == "attr.industry=Government");
        Assert.True(software.Points > 0, $"{software.Label}: {software.Points}");
        Assert.True(government.Points < 0, $"{government.Label}: {government.Points}");
        Assert.All(industry.Where(c => c.Condition.Feature == "attr.industry=Finance"), c => Assert.True(c.Points > 0, $"{c.Label}: {c.Points}"));
        // Its description does not claim the leads compared with are Software's.
        Assert.DoesNotContain($"“{software.Label}”", software.Description.Replace($"match “{software.Label}”", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void Compact_ALevelScoredLikeTheReference_StaysWithIt_WhenTheReferenceTakesACriterion()
    {
        // Finance has Software's effect: the table with every band scores both 0 (Software is the reference), so Finance has
        // no criterion there. The compact table gives Software a criterion of its own, the levels without effect none.
        var effects = new[] { 0.5, 0.5, 0, 0, 0, -0.8 };
        (float[] X, float[] Y, double[] Phi, double[] Margin) Data(int rows, ulong seed) =>
            KnownContributions.Generate(Spec, rows, seed, -2.5, (rng, r, p) =>
            {
                var level = rng.NextWeighted(Shares);
                r[Spec.IndexOf($"attr.industry={Industries[level]}")] = 1;
                p[Spec.IndexOf($"attr.industry={Industries[level]}")] = effects[level];
            });
        var d = Data(20000, 21);
        var test = Data(5000, 22);
        var full = PointsBuilder.Build(Spec, d.X, d.Y, d.Phi);
        Assert.DoesNotContain(full.Criteria, c => c.Condition.Feature is "attr.industry=Software" or "attr.industry=Finance");
        Assert.Contains(full.LikeReference, l => l.Level.Condition.Feature == "attr.industry=Finance" && l.Family == "attr.industry");

        int Points(IReadOnlyList<Criterion> criteria, string level) =>
            criteria.Where(c => c.Condition.Feature == $"attr.industry={level}").Sum(c => c.Points);
        var options = new PointsOptions { MaxCriteria = 3, MinGainPerCriterion = 0 };
        var compact = Compaction.Run(Spec, Suggestion.WithLevelsLikeReference(full), (d.X, d.Y, d.Margin), (d.X, d.Y), (test.X, test.Y), null, options);
        Assert.True(Points(compact.Criteria, "Software") > 0, string.Join("; ", compact.Criteria.Select(c => $"{c.Label} {c.Points}")));
        Assert.InRange(Points(compact.Criteria, "Finance"), Points(compact.Criteria, "Software") - 1, Points(compact.Criteria, "Software") + 1);
        Assert.Equal(0, Points(compact.Criteria, "Manufacturing"));
        // What the compact table says of the table with every band counts that table's criteria, not the levels added.
        var told = Suggestion.WithoutLevelsLikeReference(compact, full);
        Assert.Equal(full.Criteria.Count + full.LikeReference.Count, compact.Curve[^1].Criteria);
        Assert.Equal(full.Criteria.Count, told.Curve[^1].Criteria);

        // Without the levels scored like the reference, Finance would be left with the levels without effect.
        var without = Compaction.Run(Spec, full, (d.X, d.Y, d.Margin), (d.X, d.Y), (test.X, test.Y), null, options);
        Assert.True(Points(without.Criteria, "Software") > 0);
        Assert.Equal(Points(without.Criteria, "Manufacturing"), Points(without.Criteria, "Finance"));
    }
}
