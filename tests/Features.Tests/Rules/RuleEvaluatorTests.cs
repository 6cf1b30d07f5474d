using LeadML.Features.Featurization;
using LeadML.Features.Rules;
using LeadML.Features.Tests.Featurization;

namespace LeadML.Features.Tests.Rules;

public sealed class RuleEvaluatorTests
{
    private static readonly FeatureSpec Spec = FeatureFixtures.Spec();

    private static Criterion C(string id, CriterionGroup group, Condition condition, int points, string? capGroup = null) => new()
    {
        Id = id, Label = id, Group = group, Condition = condition, Points = points, CapGroup = capGroup,
    };

    private static RuleSet Rules(IReadOnlyList<Criterion> criteria, IReadOnlyList<CapGroup>? caps = null, double basePoints = 20) => new()
    {
        ModelVersion = "m1",
        Scale = new PointsScale(20, 20 / Math.Log(2)),
        BasePoints = basePoints,
        Criteria = criteria,
        CapGroups = caps ?? [],
        Thresholds = new Thresholds(75, 5),
        Grades = [new GradeBand("A", 75), new GradeBand("B", 55), new GradeBand("C", 35), new GradeBand("D", 0)],
    };

    private static float[] Vector(params (string Name, float Value)[] values)
    {
        var v = new float[Spec.Features.Count];
        for (var i = 0; i < v.Length; i++) v[i] = Spec.Features[i].Kind == FeatureKind.Recency ? float.NaN : 0f;
        foreach (var (name, value) in values) v[Spec.IndexOf(name)] = value;
        return v;
    }

    [Fact]
    public void Evaluate_SumsFiredCriteriaOnBasePoints()
    {
        var e = new RuleEvaluator(Rules([
            C("software", CriterionGroup.Fit, new Condition("attr.industry=Software", ConditionOp.Eq, 1), 15),
            C("pricing-3", CriterionGroup.Engagement, new Condition("evt.page_view[/pricing].count_30d", ConditionOp.Gte, 3), 25),
            C("unsubscribed", CriterionGroup.Engagement, new Condition("evt.unsubscribe.ever", ConditionOp.Eq, 1), -30),
        ]), Spec);

        var hot = e.Evaluate(Vector(("attr.industry=Software", 1), ("evt.page_view[/pricing].count_30d", 4)));
        var cold = e.Evaluate(Vector(("attr.industry=Software", 1), ("evt.unsubscribe.ever", 1)));

        Assert.Equal(60, hot.Score);
        Assert.Equal(["software", "pricing-3"], hot.Fired.Select(f => f.Id));
        Assert.Equal(5, cold.Score);
        Assert.Equal("B", e.Grade(hot.Score));
        Assert.Equal("D", e.Grade(cold.Score));
    }

    [Fact]
    public void Evaluate_ClampsTo0And100()
    {
        var e = new RuleEvaluator(Rules([
            C("big", CriterionGroup.Engagement, new Condition("evt.page_view.count_30d", ConditionOp.Gte, 1), 100),
            C("bad", CriterionGroup.Engagement, new Condition("evt.unsubscribe.ever", ConditionOp.Eq, 1), -100),
        ]), Spec);

        Assert.Equal(100, e.Evaluate(Vector(("evt.page_view.count_30d", 2))).Score);
        Assert.Equal(0, e.Evaluate(Vector(("evt.unsubscribe.ever", 1))).Score);
    }

    [Fact]
    public void Evaluate_CapGroupLimitsPointsCountedTogether()
    {
        var e = new RuleEvaluator(Rules([
            C("views-7", CriterionGroup.Engagement, new Condition("evt.page_view.count_7d", ConditionOp.Gte, 1), 15, "web"),
            C("views-30", CriterionGroup.Engagement, new Condition("evt.page_view.count_30d", ConditionOp.Gte, 1), 15, "web"),
            C("views-90", CriterionGroup.Engagement, new Condition("evt.page_view.count_90d", ConditionOp.Gte, 1), 15, "web"),
        ], [new CapGroup("web", 20)]), Spec);

        var s = e.Evaluate(Vector(("evt.page_view.count_7d", 1), ("evt.page_view.count_30d", 1), ("evt.page_view.count_90d", 1)));

        Assert.Equal(40, s.Score);
        Assert.Equal([15, 5, 0], s.Fired.Select(f => f.CountedPoints));
        Assert.Equal([15, 15, 15], s.Fired.Select(f => f.Points));
    }

    [Fact]
    public void Evaluate_TotalCapLimitsEverythingTogether()
    {
        var rules = Rules([
            C("software", CriterionGroup.Fit, new Condition("attr.industry=Software", ConditionOp.Eq, 1), 30),
            C("pricing", CriterionGroup.Engagement, new Condition("evt.page_view[/pricing].count_30d", ConditionOp.Gte, 1), 30),
        ]) with { TotalCap = new CapGroup("total", 40, -40) };
        var e = new RuleEvaluator(rules, Spec);
        var s = e.Evaluate(Vector(("attr.industry=Software", 1), ("evt.page_view[/pricing].count_30d", 4)));
        Assert.Equal(40, s.Fired.Sum(f => f.CountedPoints));
        Assert.Equal([30, 10], s.Fired.Select(f => f.CountedPoints));
    }

    [Fact]
    public void Evaluate_RecencyWithOrMissing_FiresForNoActivityEver()
    {
        var e = new RuleEvaluator(Rules([
            C("inactive-60", CriterionGroup.Engagement, new Condition("act.days_since_last", ConditionOp.Gte, 60, OrMissing: true), -20),
        ]), Spec);

        Assert.Single(e.Evaluate(Vector()).Fired);
        Assert.Single(e.Evaluate(Vector(("act.days_since_last", 75))).Fired);
        Assert.Empty(e.Evaluate(Vector(("act.days_since_last", 3))).Fired);
    }

    [Fact]
    public void Evaluate_FitAndEngagementEachScaleTo0To100()
    {
        var e = new RuleEvaluator(Rules([
            C("software", CriterionGroup.Fit, new Condition("attr.industry=Software", ConditionOp.Eq, 1), 20),
            C("retail", CriterionGroup.Fit, new Condition("attr.industry=Retail", ConditionOp.Eq, 1), -20),
            C("pricing-1", CriterionGroup.Engagement, new Condition("evt.page_view[/pricing].count_30d", ConditionOp.Between, 1, 3), 10),
            C("pricing-3", CriterionGroup.Engagement, new Condition("evt.page_view[/pricing].count_30d", ConditionOp.Gte, 3), 30),
        ]), Spec);

        var best = e.Evaluate(Vector(("attr.industry=Software", 1), ("evt.page_view[/pricing].count_30d", 5)));
        var mid = e.Evaluate(Vector(("evt.page_view[/pricing].count_30d", 1)));
        var worst = e.Evaluate(Vector(("attr.industry=Retail", 1)));

        Assert.Equal((100.0, 100.0), (best.Fit, best.Engagement));
        Assert.Equal(50.0, mid.Fit);
        Assert.Equal(100.0 / 3, mid.Engagement, 6);
        Assert.Equal((0.0, 0.0), (worst.Fit, worst.Engagement));
    }

    [Fact]
    public void Constructor_CriterionOverUnknownFeature_IsListedAndNeverFires()
    {
        var e = new RuleEvaluator(Rules([
            C("ghost", CriterionGroup.Fit, new Condition("attr.planet=Mars", ConditionOp.Eq, 1), 50),
        ]), Spec);

        Assert.Equal(["attr.planet=Mars"], e.UnknownFeatures);
        Assert.Equal(20, e.Evaluate(Vector()).Score);
    }

    private static KnockOut K(string id, Condition condition, bool enabled = true) => new() { Id = id, Label = id + " label", Condition = condition, Enabled = enabled };

    [Fact]
    public void Evaluate_KnockOut_DisqualifiesWhateverTheScore()
    {
        var rules = Rules([
            C("pricing-3", CriterionGroup.Engagement, new Condition("evt.page_view[/pricing].count_30d", ConditionOp.Gte, 3), 90),
        ]) with { KnockOuts = [K("unsubscribed", new Condition("evt.unsubscribe.ever", ConditionOp.Eq, 1)), K("student", new Condition("attr.industry=Retail", ConditionOp.Eq, 1))] };
        var e = new RuleEvaluator(rules, Spec);

        var hot = e.Evaluate(Vector(("evt.page_view[/pricing].count_30d", 5)), explain: false);
        var knocked = e.Evaluate(Vector(("evt.page_view[/pricing].count_30d", 5), ("evt.unsubscribe.ever", 1)), explain: false);

        Assert.Equal(100, knocked.Score);
        Assert.False(hot.Disqualified);
        Assert.True(e.SalesReady(hot.Score, hot.Disqualified));
        Assert.Equal("A", e.Grade(hot.Score, hot.Disqualified));
        Assert.True(knocked.Disqualified);
        Assert.Equal(["unsubscribed"], knocked.KnockOuts.Select(k => k.Id));
        Assert.Equal("unsubscribed label", knocked.KnockOuts[0].Label);
        Assert.False(e.SalesReady(knocked.Score, knocked.Disqualified));
        Assert.Equal("D", e.Grade(knocked.Score, knocked.Disqualified));
    }

    [Fact]
    public void Evaluate_DisabledOrUnknownKnockOut_NeverFires()
    {
        var rules = Rules([]) with
        {
            KnockOuts = [K("off", new Condition("evt.unsubscribe.ever", ConditionOp.Eq, 1), enabled: false), K("ghost", new Condition("attr.planet=Mars", ConditionOp.Eq, 1))],
        };
        var e = new RuleEvaluator(rules, Spec);

        var r = e.Evaluate(Vector(("evt.unsubscribe.ever", 1)));

        Assert.False(r.Disqualified);
        Assert.Equal(["attr.planet=Mars"], e.UnknownFeatures);
    }

    [Fact]
    public void Disqualified_MarksTheRowsAKnockOutFiresFor()
    {
        var e = new RuleEvaluator(Rules([]) with { KnockOuts = [K("unsubscribed", new Condition("evt.unsubscribe.ever", ConditionOp.Eq, 1))] }, Spec);
        var x = Vector().Concat(Vector(("evt.unsubscribe.ever", 1))).Concat(Vector()).ToArray();

        Assert.Equal([false, true, false], e.Disqualified(x, 3, Spec.Features.Count));
    }

    [Fact]
    public void RuleSet_WrittenBeforeKnockOuts_ReadsWithNone()
    {
        var json = System.Text.Json.JsonSerializer.Serialize(Rules([]), BundleJsonOptions);
        var node = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
        node.Remove("knockOuts");
        var read = System.Text.Json.JsonSerializer.Deserialize<RuleSet>(node.ToJsonString(), BundleJsonOptions)!;

        Assert.Empty(read.KnockOuts);
        Assert.False(new RuleEvaluator(read, Spec).Evaluate(Vector(("evt.unsubscribe.ever", 1))).Disqualified);
    }

    private static readonly System.Text.Json.JsonSerializerOptions BundleJsonOptions = new(System.Text.Json.JsonSerializerDefaults.Web);
}
