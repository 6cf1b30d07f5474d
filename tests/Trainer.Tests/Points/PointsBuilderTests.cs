using LeadML.Features.Featurization;
using LeadML.Features.History;
using LeadML.Features.Rules;
using LeadML.Trainer.Points;

namespace LeadML.Trainer.Tests.Points;

/// <summary>
/// Contributions with a known additive structure: industry Software +0.8, Retail −0.6 (log-odds, against Other);
/// pricing views in 30 days +0.35 each up to 4; unsubscribed −1.2. The builder must find these criteria with the
/// right signs and order, and its points-only score must rank leads as the margin does.
/// </summary>
public sealed class PointsBuilderTests
{
    private static readonly FeatureSpec Spec = KnownEffects.Spec([new("page_view", "/pricing"), new("unsubscribe", null)], ["unsubscribe"]);

    private static KnownEffects.Data Generate(int rows, ulong seed) => KnownEffects.Generate(Spec, rows, seed, (r, p, views, rng) =>
    {
        int I(string n) => Spec.IndexOf(n);
        r[I("evt.page_view[/pricing].count_90d")] = views + rng.NextInt(3);
        // The model splits the pricing credit between two windows: the family sum is what counts.
        p[I("evt.page_view[/pricing].count_30d")] = 0.25 * Math.Min(views, 4);
        p[I("evt.page_view[/pricing].count_90d")] = 0.10 * Math.Min(views, 4);
        var unsubscribed = rng.NextDouble() < 0.1;
        r[I("evt.unsubscribe.ever")] = unsubscribed ? 1 : 0;
        r[I("evt.unsubscribe.count_365d")] = unsubscribed ? 1 : 0;
        p[I("evt.unsubscribe.ever")] = unsubscribed ? -1.2 : 0;
        p[^1] = -2.5;
    });

    [Fact]
    public void Compact_AtMostMaxCriteria_MergesBands_RefitsBase_AndSaysWhatItLeftOut()
    {
        var d = Generate(6000, 3);
        var test = Generate(4000, 4);
        var full = PointsBuilder.Build(Spec, d.X, d.Y, d.Phi);
        Assert.True(full.Criteria.Count > 3, $"{full.Criteria.Count} criteria with every band");
        var options = new PointsOptions { MaxCriteria = 3, MinGainPerCriterion = 0 };
        var compact = Compaction.Run(Spec, full, (d.X, d.Y), (d.X, d.Y), (test.X, test.Y), null, options);

        Assert.InRange(compact.Criteria.Count, 1, 3);
        // The strongest signals stay, as sentences; pricing's bands are merged into fewer.
        Assert.Contains(compact.Criteria, c => c.Condition.Feature == "attr.industry=Software" && c.Points > 0);
        Assert.Contains(compact.Criteria, c => c.Label.StartsWith("Viewed /pricing", StringComparison.Ordinal) && c.Points > 0);
        var pricing = full.Criteria.Count(c => c.Condition.Feature.StartsWith("evt.page_view", StringComparison.Ordinal));
        Assert.True(compact.Criteria.Count(c => c.Condition.Feature.StartsWith("evt.page_view", StringComparison.Ordinal)) < pricing);
        Assert.NotEmpty(compact.LeftOut);
        Assert.All(compact.LeftOut, l => Assert.False(string.IsNullOrWhiteSpace(l.Why)));
        // The curve grows table by table, ends with every band, and the compact table ranks nearly as well.
        Assert.Equal(full.Criteria.Count, compact.Curve[^1].Criteria);
        Assert.True(compact.Curve.Zip(compact.Curve.Skip(1)).All(p => p.First.Criteria <= p.Second.Criteria));
        Assert.True(compact.Curve[^2].TestRocAuc >= 0.95 * compact.Curve[^1].TestRocAuc, $"{compact.Curve[^2]} against {compact.Curve[^1]}");
        // Base points place a lead matching no criterion: within 0–100, and the spread of leads lands in it.
        Assert.InRange(compact.BasePoints, 0, 100);
        var rules = new RuleSet { ModelVersion = "", Scale = compact.Scale, BasePoints = compact.BasePoints, Criteria = compact.Criteria, Thresholds = new Thresholds(70, 5), Grades = [] };
        var scores = new RuleEvaluator(rules, Spec).Scores(test.X, test.Y.Length, Spec.Features.Count);
        Assert.True(scores.Distinct().Count() > 3);
    }

    [Fact]
    public void Build_RecoversSignsOrderAndBands()
    {
        var d = Generate(6000, 1);
        var s = PointsBuilder.Build(Spec, d.X, d.Y, d.Phi);

        var byFeature = s.Criteria.GroupBy(c => c.Condition.Feature).ToDictionary(g => g.Key, g => g.ToList());
        // Other is the most common industry: it scores 0 and the others are relative to it.
        var software = Assert.Single(byFeature["attr.industry=Software"]);
        var retail = Assert.Single(byFeature["attr.industry=Retail"]);
        Assert.True(software.Points > 0 && retail.Points < 0, $"software {software.Points}, retail {retail.Points}");
        Assert.Equal(0.8 / 0.6, software.Points / (double)-retail.Points, 1);
        Assert.DoesNotContain("attr.industry=Other", byFeature.Keys);

        var unsubscribed = s.Criteria.Single(c => c.Condition.Feature.StartsWith("evt.unsubscribe", StringComparison.Ordinal));
        Assert.True(unsubscribed.Points < -software.Points, "unsubscribe is the strongest, negative criterion");
        Assert.Equal(CriterionGroup.Engagement, unsubscribed.Group);

        var pricing = s.Criteria.Where(c => c.Condition.Feature.StartsWith("evt.page_view[/pricing]", StringComparison.Ordinal))
            .OrderBy(c => c.Condition.Value).ToList();
        Assert.True(pricing.Count >= 2, "pricing views come in several bands");
        Assert.Single(pricing.Select(c => c.Condition.Feature).Distinct());
        Assert.True(pricing.Zip(pricing.Skip(1)).All(p => p.First.Points < p.Second.Points), "more pricing views, more points");
        Assert.All(s.Criteria, c => Assert.InRange(c.Points, -100, 100));
        Assert.All(s.Criteria, c => Assert.True(c.Interval!.Low <= c.Points + 1 && c.Points - 1 <= c.Interval.High, $"{c.Id}: {c.Points} outside {c.Interval}"));
    }

    [Fact]
    public void Build_PointsOnlyScoreRanksLikeTheMargin()
    {
        var train = Generate(6000, 2);
        var s = PointsBuilder.Build(Spec, train.X, train.Y, train.Phi);
        var rules = new RuleSet
        {
            ModelVersion = "test", Scale = s.Scale, BasePoints = s.BasePoints, Criteria = s.Criteria,
            Thresholds = new Thresholds(70, 5), Grades = [new GradeBand("A", 70), new GradeBand("D", 0)],
        };
        var evaluator = new RuleEvaluator(rules, Spec);
        var test = Generate(4000, 3);
        var w = Spec.Features.Count;
        var points = Enumerable.Range(0, test.Y.Length).Select(i => evaluator.Evaluate(test.X.AsSpan(i * w, w), explain: false).Score).ToArray();

        Assert.True(Spearman(points, test.Margin) > 0.97, $"Spearman {Spearman(points, test.Margin):F3}");
        // The model's margin put on the rules' scale lands where the rules put the lead.
        var modelPoints = test.Margin.Select(m => Math.Clamp(s.BasePoints + s.Scale.Factor * (m - s.Scale.ReferenceMargin), 0, 100)).ToArray();
        var gap = points.Zip(modelPoints).Average(p => Math.Abs(p.First - p.Second));
        Assert.True(gap < 3, $"mean gap between rule points and model points {gap:F2}");
        // Most leads land inside 0–100 rather than on its edges.
        Assert.True(points.Count(p => p is > 0 and < 100) > 0.9 * points.Length);
    }

    /// <summary>The rows of <paramref name="d"/> whose feature vector is <paramref name="wanted"/>.</summary>
    private static KnownEffects.Data Keep(KnownEffects.Data d, Func<float[], bool> wanted)
    {
        var w = Spec.Features.Count;
        var rows = Enumerable.Range(0, d.Y.Length).Where(i => wanted(d.X[(i * w)..((i + 1) * w)])).ToArray();
        return new KnownEffects.Data(
            [.. rows.SelectMany(i => d.X[(i * w)..((i + 1) * w)])], [.. rows.Select(i => d.Y[i])],
            [.. rows.SelectMany(i => d.Phi[(i * (w + 1))..((i + 1) * (w + 1))])], [.. rows.Select(i => d.Margin[i])]);
    }

    [Fact]
    public void Build_LevelNoLeadHas_GetsTheModelsPointsWithoutSupport()
    {
        // No lead has Retail; evaluation leads with Retail put in stand for them (their contributions are the model's).
        var retailColumn = Spec.IndexOf("attr.industry=Retail");
        var evaluation = Keep(Generate(6000, 8), i => i[retailColumn] == 0);
        var modelled = Keep(Generate(3000, 9), i => i[retailColumn] == 1);

        var s = PointsBuilder.Build(Spec, evaluation.X, evaluation.Y, evaluation.Phi,
            earlier: new EarlierRows(modelled.X, modelled.Y, modelled.Phi, Leads: 0));

        var software = s.Criteria.Single(c => c.Condition.Feature == "attr.industry=Software");
        var retail = s.Criteria.Single(c => c.Condition.Feature == "attr.industry=Retail");
        Assert.InRange(retail.Points / (double)software.Points, -0.6 / 0.8 - 0.05, -0.6 / 0.8 + 0.05);
        // Not a lead among them: no support, a wide interval, marked low support, and the description says where the points
        // come from.
        Assert.Equal(new Support(0, 0, 0), retail.Support);
        Assert.True(retail.Interval!.High - retail.Interval.Low > 2 * Math.Abs(software.Points), $"{retail.Interval}");
        Assert.True(retail.LowSupport);
        Assert.Contains("No lead of the training or evaluation period matched", retail.Description, StringComparison.Ordinal);
        Assert.True(software.Support!.Leads > 0);

    }

    [Fact]
    public void Build_LevelOnlyInEarlierRows_GetsTheModelsPointsMarkedLowSupport()
    {
        // The evaluation rows have no Retail lead (like months outside the validation period); earlier rows do.
        var retailColumn = Spec.IndexOf("attr.industry=Retail");
        var evaluation = Keep(Generate(6000, 8), i => i[retailColumn] == 0);
        var earlier = Keep(Generate(3000, 9), i => i[retailColumn] == 1);

        var without = PointsBuilder.Build(Spec, evaluation.X, evaluation.Y, evaluation.Phi);
        Assert.DoesNotContain(without.Criteria, c => c.Condition.Feature == "attr.industry=Retail");

        var with = PointsBuilder.Build(Spec, evaluation.X, evaluation.Y, evaluation.Phi, earlier: new EarlierRows(earlier.X, earlier.Y, earlier.Phi));
        var software = with.Criteria.Single(c => c.Condition.Feature == "attr.industry=Software");
        var retail = with.Criteria.Single(c => c.Condition.Feature == "attr.industry=Retail");
        // Retail −0.6 and Software +0.8 log-odds against Other, on the same scale.
        Assert.InRange(retail.Points / (double)software.Points, -0.6 / 0.8 - 0.05, -0.6 / 0.8 + 0.05);
        // Its support is the training leads', and says so.
        Assert.Equal(new Support(earlier.Y.Length, (int)earlier.Y.Sum(), Math.Round(earlier.Y.Average(), 6), "training"), retail.Support);
        Assert.Null(software.Support!.Period);
        Assert.True(retail.LowSupport);
        Assert.Contains($"{earlier.Y.Length:N0} leads did", retail.Description, StringComparison.Ordinal);
        Assert.True(retail.Interval!.Low < retail.Points && retail.Points < retail.Interval.High);
        // Everything else is as without the earlier rows.
        Assert.Equal(without.Criteria.Select(c => (c.Id, c.Points)), with.Criteria.Where(c => c != retail).Select(c => (c.Id, c.Points)));

    }

    [Fact]
    public void Compact_LevelOnlyInTrainingRows_GetsPoints()
    {
        // Like a month only the training period has: no validation lead is in Retail, training leads are. The compact table
        // is chosen and refit on training + validation leads, so Retail keeps its criterion and its sign.
        var retailColumn = Spec.IndexOf("attr.industry=Retail");
        var validation = Keep(Generate(6000, 8), i => i[retailColumn] == 0);
        var training = Keep(Generate(3000, 9), i => i[retailColumn] == 1);
        var full = PointsBuilder.Build(Spec, validation.X, validation.Y, validation.Phi, earlier: new EarlierRows(training.X, training.Y, training.Phi));
        Assert.Contains(full.Criteria, c => c.Condition.Feature == "attr.industry=Retail");
        var test = Generate(4000, 10);

        var fit = (X: (float[])[.. training.X, .. validation.X], Y: (float[])[.. training.Y, .. validation.Y]);
        var options = new PointsOptions { MaxCriteria = full.Criteria.Count - 1 };
        var compact = Compaction.Run(Spec, full, fit, (validation.X, validation.Y), (test.X, test.Y), null, options);

        Assert.True(compact.Criteria.Count < full.Criteria.Count);
        var retail = Assert.Single(compact.Criteria, c => c.Condition.Feature == "attr.industry=Retail");
        var software = Assert.Single(compact.Criteria, c => c.Condition.Feature == "attr.industry=Software");
        // Retail −0.6 and Software +0.8 log-odds against Other, on the same scale; its support is the training leads'.
        Assert.InRange(retail.Points / (double)software.Points, -0.6 / 0.8 - 0.1, -0.6 / 0.8 + 0.1);
        Assert.Equal(training.Y.Length, retail.Support!.Leads);
        // Without the training rows it has no lead to be fit on and gets no points.
        var validationOnly = Compaction.Run(Spec, full, (validation.X, validation.Y), (validation.X, validation.Y), (test.X, test.Y), null, options);
        Assert.DoesNotContain(validationOnly.Criteria, c => c.Condition.Feature == "attr.industry=Retail");
    }

    [Fact]
    public void Compact_LevelNoLeadHas_KeepsTheModelsPoints()
    {
        // No lead of the rows the compact table is fit on is in Retail (like a month only the test period holds): the
        // refit cannot estimate it, so it keeps the points the model gives such a lead instead of 0.
        var retailColumn = Spec.IndexOf("attr.industry=Retail");
        var evaluation = Keep(Generate(6000, 8), i => i[retailColumn] == 0);
        var modelled = Keep(Generate(3000, 9), i => i[retailColumn] == 1);
        var full = PointsBuilder.Build(Spec, evaluation.X, evaluation.Y, evaluation.Phi, earlier: new EarlierRows(modelled.X, modelled.Y, modelled.Phi, Leads: 0));
        var test = Generate(4000, 10);

        var compact = Compaction.Run(Spec, full, (evaluation.X, evaluation.Y), (evaluation.X, evaluation.Y), (test.X, test.Y), null,
            new PointsOptions { MaxCriteria = full.Criteria.Count, MinGainPerCriterion = 0 });

        var retail = Assert.Single(compact.Criteria, c => c.Condition.Feature == "attr.industry=Retail");
        var software = Assert.Single(compact.Criteria, c => c.Condition.Feature == "attr.industry=Software");
        Assert.InRange(retail.Points / (double)software.Points, -0.6 / 0.8 - 0.1, -0.6 / 0.8 + 0.1);
        Assert.Equal(0, retail.Support!.Leads);
        Assert.True(retail.LowSupport);
        Assert.StartsWith("No lead of the training or validation period matched", retail.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_SupportCountsRowsAndConversions()
    {
        var d = Generate(3000, 4);
        var s = PointsBuilder.Build(Spec, d.X, d.Y, d.Phi);
        var software = s.Criteria.Single(c => c.Condition.Feature == "attr.industry=Software");
        var w = Spec.Features.Count;
        var j = Spec.IndexOf("attr.industry=Software");
        var rows = Enumerable.Range(0, d.Y.Length).Where(i => d.X[i * w + j] == 1).ToList();
        Assert.Equal(rows.Count, software.Support!.Leads);
        Assert.Equal(rows.Count(i => d.Y[i] == 1), software.Support.Conversions);
        Assert.Contains("converted", software.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Interval_WidensWithFewerConversions()
    {
        var many = PointsBuilder.LogOddsRatioError(200, 1000, 400, 4000);
        var few = PointsBuilder.LogOddsRatioError(5, 25, 400, 4000);
        Assert.True(few > 3 * many, $"{few} vs {many}");
        // Woolf by hand for one table.
        Assert.Equal(Math.Sqrt(1 / 200.5 + 1 / 800.5 + 1 / 400.5 + 1 / 3600.5), many, 12);
    }

    [Fact]
    public void Build_WrongContributionShape_Throws() =>
        Assert.Throws<ArgumentException>(() => PointsBuilder.Build(Spec, new float[Spec.Features.Count], [0], new double[3]));

    private static double Spearman(double[] a, double[] b) => LeadML.Trainer.Bench.TruthRecovery.Spearman(a, b);
}
