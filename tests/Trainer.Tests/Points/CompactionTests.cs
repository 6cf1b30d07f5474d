using LeadML.Features.Bundles;
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

        var compact = Compaction.Run(Spec, full, (d.X, d.Y), (d.X, d.Y), (test.X, test.Y), null,
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
    public void Compact_LevelOnlyEarlierLeadsHave_DoesNotTakeTheirPeriodsLevelAsItsPoints()
    {
        // Like a month of bank-additional's training period: every earlier lead is in Retail (−0.6 against Other), and the
        // model also gives those leads −1.0 through an economic rate that no recent lead differs in (so no criterion reads
        // it). Refit to the model's margin, Retail would take that −1.0 as its own and carry it into later periods; on
        // earlier leads the compact table reproduces the table with every band instead, whose Retail points are Retail's
        // contributions, and the model's margin only on the latest period's leads.
        var spec = EconomySpec();
        var recent = EconomyRows(spec, 6000, 21, earlier: false);
        var earlier = EconomyRows(spec, 3000, 22, earlier: true);
        var test = EconomyRows(spec, 3000, 23, earlier: false);
        var full = PointsBuilder.Build(spec, recent.X, recent.Y, recent.Phi, earlier: new EarlierRows(earlier.X, earlier.Y, earlier.Phi));
        Assert.DoesNotContain(full.Criteria, c => c.Condition.Feature == "attr.rate");
        Assert.Contains(full.Criteria, c => c.Condition.Feature == "attr.industry=Retail");

        var fit = (X: (float[])[.. earlier.X, .. recent.X], Y: (float[])[.. earlier.Y, .. recent.Y]);
        double[] margin = [.. earlier.Margin, .. recent.Margin];
        var latest = Enumerable.Range(earlier.Y.Length, recent.Y.Length).ToArray();
        double RetailToSoftware(int[] latestRows)
        {
            var compact = Compaction.Run(spec, full, fit, (recent.X, recent.Y), (test.X, test.Y), null,
                new PointsOptions { MaxCriteria = full.Criteria.Count - 1, MinGainPerCriterion = 0 }, (latestRows, [.. latestRows.Select(i => margin[i])]));
            var retail = Assert.Single(compact.Criteria, c => c.Condition.Feature == "attr.industry=Retail");
            var software = Assert.Single(compact.Criteria, c => c.Condition.Feature == "attr.industry=Software");
            return retail.Points / (double)software.Points;
        }

        // −0.6 against +0.8 log-odds; with the period's −1.0 taken in it would be −1.6 against +0.8, as it is when the
        // model's margin is reproduced on every lead.
        Assert.InRange(RetailToSoftware(latest), -0.6 / 0.8 - 0.15, -0.6 / 0.8 + 0.15);
        Assert.True(RetailToSoftware([.. Enumerable.Range(0, margin.Length)]) < -1.3);
    }

    private static FeatureSpec EconomySpec()
    {
        var attributes = new List<AttributeEncoding>
        {
            new("industry", ColumnType.Category, ["Software", "Retail", "Other"], false, false, []),
            new("rate", ColumnType.Number, [], false, false, []),
        };
        var channels = new List<EventChannel> { new("page_view", "/pricing") };
        var (defs, _) = FeatureLayout.Build(HistoryKind.Events, attributes, channels, []);
        return new FeatureSpec { Kind = HistoryKind.Events, Attributes = attributes, Channels = channels, NegativeEventTypes = [], Features = defs };
    }

    /// <summary>Earlier leads are all in Retail at a rate of 5 (−1.0 log-odds); recent ones in Software or Other at 1 (0).</summary>
    private static (float[] X, float[] Y, double[] Phi, double[] Margin) EconomyRows(FeatureSpec spec, int rows, ulong seed, bool earlier)
    {
        var (x, y, phi, margin) = KnownContributions.Generate(spec, rows, seed, -2.0, (rng, r, p) =>
        {
            int I(string n) => spec.IndexOf(n);
            var industry = earlier ? "Retail" : rng.NextDouble() < 0.4 ? "Software" : "Other";
            r[I($"attr.industry={industry}")] = 1;
            p[I("attr.industry=Software")] = industry == "Software" ? 0.8 : 0;
            p[I("attr.industry=Retail")] = industry == "Retail" ? -0.6 : 0;
            r[I("attr.rate")] = earlier ? 5 : 1;
            p[I("attr.rate")] = earlier ? -1.0 : 0;
            var views = rng.NextDouble() < 0.5 ? 0 : rng.NextInt(6);
            r[I("evt.page_view[/pricing].count_30d")] = views;
            p[I("evt.page_view[/pricing].count_30d")] = 0.4 * Math.Min(views, 3);
        });
        return (x, y, phi, margin);
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
        var compact = Compaction.Run(Spec, full, (d.X, d.Y), (d.X, d.Y), (test.X, test.Y), null, options);
        Assert.True(Points(compact.Criteria, "Software") > 0, string.Join("; ", compact.Criteria.Select(c => $"{c.Label} {c.Points}")));
        Assert.InRange(Points(compact.Criteria, "Finance"), Points(compact.Criteria, "Software") - 1, Points(compact.Criteria, "Software") + 1);
        Assert.Equal(0, Points(compact.Criteria, "Manufacturing"));
        // What the compact table says of the table with every band counts that table's criteria, not the levels it
        // added to the family's forms: the curve's last point and the family's bands merged, in figures and in words.
        // Finance has no criterion in that table: the selection had it from the levels scored like the reference.
        Assert.Contains(compact.Criteria, c => c.Condition.Feature == "attr.industry=Finance");
        var industryBands = full.FamilyOf.Count(f => f == "attr.industry");
        Assert.Equal(full.Criteria.Count, compact.Curve[^1].Criteria);
        var industry = Assert.Single(compact.LeftOut, l => l.Family == "attr.industry");
        Assert.Equal(industryBands, industry.Bands);
        Assert.StartsWith($"{industryBands} bands merged into {industry.Kept}:", industry.Why, StringComparison.Ordinal);
        Assert.EndsWith($"for {industryBands - industry.Kept} more criteria", industry.Why, StringComparison.Ordinal);

        // Without the levels scored like the reference, Finance would be left with the levels without effect.
        var without = Compaction.Run(Spec, full with { LikeReference = [] }, (d.X, d.Y), (d.X, d.Y), (test.X, test.Y), null, options);
        Assert.True(Points(without.Criteria, "Software") > 0);
        Assert.Equal(Points(without.Criteria, "Manufacturing"), Points(without.Criteria, "Finance"));
    }

    [Fact]
    public void Selection_AboveItsRows_KeepsEveryConversionAndWeightsAShareOfTheOthers_TheSameForASeed()
    {
        var d = Generate(20000, 21);
        var options = new PointsOptions { SelectionRows = 5000, Seed = 7 };

        var sample = Compaction.Selection(d.Y, options);

        Assert.True(sample.Sampled);
        var positives = Enumerable.Range(0, d.Y.Length).Where(i => d.Y[i] > 0.5f).ToList();
        Assert.True(positives.Count is > 500 and < 4000, $"{positives.Count} conversions");
        Assert.Empty(positives.Except(sample.Rows));
        Assert.InRange(sample.Rows.Length, 4500, 5500);
        for (var k = 0; k < sample.Rows.Length; k++)
        {
            Assert.Equal(d.Y[sample.Rows[k]] > 0.5f ? 1f : (float)(1 / sample.NegativeShare), sample.Weights![k]);
        }
        // The weights stand for every row.
        Assert.InRange(sample.EffectiveRows, 19000, 21000);
        Assert.Equal(sample.Rows, Compaction.Selection(d.Y, options).Rows);
        Assert.NotEqual(sample.Rows, Compaction.Selection(d.Y, options with { Seed = 8 }).Rows);
    }

    [Fact]
    public void Selection_UpToItsRows_IsEveryRow()
    {
        var d = Generate(5000, 22);

        var sample = Compaction.Selection(d.Y, new PointsOptions { SelectionRows = 5000 });

        Assert.False(sample.Sampled);
        Assert.Equal(Enumerable.Range(0, 5000), sample.Rows);
        Assert.False(Compaction.Selection(d.Y, new PointsOptions { SelectionRows = 0 }).Sampled);
    }

    [Fact]
    public void Compact_OnASample_RanksAsTheTableChosenOnEveryRow_WithSupportCountedOnEveryRow()
    {
        var d = Generate(30000, 23);
        var test = Generate(10000, 24);
        var full = PointsBuilder.Build(Spec, d.X, d.Y, d.Phi);
        var options = new PointsOptions { MaxCriteria = full.Criteria.Count - 2, MinGainPerCriterion = 0 };
        CompactTable Compact(PointsOptions o) => Compaction.Run(Spec, full, (d.X, d.Y), (d.X, d.Y), (test.X, test.Y), null, o);

        var every = Compact(options);
        var sampled = Compact(options with { SelectionRows = 8000 });

        Assert.Null(every.Sample);
        var sample = Assert.IsType<PointsSelectionSample>(sampled.Sample);
        Assert.Equal(30000, sample.Of);
        Assert.InRange(sample.Rows, 7000, 9000);
        Assert.InRange(sampled.Curve[^2].TestRocAuc!.Value, every.Curve[^2].TestRocAuc!.Value - 0.01, 1);
        // Support is what every row says, not the sample.
        foreach (var c in sampled.Criteria)
        {
            var j = Spec.IndexOf(c.Condition.Feature);
            var leads = Enumerable.Range(0, 30000).Count(i => c.Condition.Matches(d.X[i * Spec.Features.Count + j]));
            Assert.Equal(leads, c.Support!.Leads);
        }
        // The same seed gives the same table.
        var again = Compact(options with { SelectionRows = 8000 });
        Assert.Equal(sampled.Criteria.Select(c => (c.Condition, c.Points)), again.Criteria.Select(c => (c.Condition, c.Points)));
    }
}
