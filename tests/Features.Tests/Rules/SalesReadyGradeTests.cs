using System.Text.Json;
using System.Text.Json.Nodes;
using LeadML.Features.Bundles;
using LeadML.Features.Featurization;
using LeadML.Features.Rules;
using LeadML.Features.Tests.Featurization;

namespace LeadML.Features.Tests.Rules;

/// <summary>One meaning of sales-ready: the threshold is the top grade's lower bound.</summary>
public sealed class SalesReadyGradeTests
{
    private static RuleSet Rules(double salesReady, double gradeA, double gradeB = 55) => new()
    {
        ModelVersion = "m1",
        Scale = new PointsScale(20, 20 / Math.Log(2)),
        BasePoints = 20,
        Criteria =
        [
            new Criterion { Id = "pricing", Label = "pricing", Group = CriterionGroup.Engagement, Condition = new Condition("evt.page_view[/pricing].count_30d", ConditionOp.Gte, 1), Points = 54 },
        ],
        Thresholds = new Thresholds(salesReady, 5),
        Grades = [new GradeBand("A", gradeA), new GradeBand("B", gradeB), new GradeBand("D", 0)],
    };

    [Fact]
    public void ARuleSetWhoseTopGradeStartsAtTheThreshold_IsValid()
    {
        Assert.Null(SalesReadyGrade.Problem(Rules(72, 72)));
    }

    [Fact]
    public void ATopGradeStartingElsewhere_IsInvalid_AndTheMessageSaysWhy()
    {
        var problem = SalesReadyGrade.Problem(Rules(72, 77));

        Assert.NotNull(problem);
        Assert.StartsWith("the top grade starts where sales-ready starts", problem);
        Assert.Contains("grade A starts at 77", problem);
        Assert.Contains("threshold is 72", problem);
    }

    [Fact]
    public void AThresholdAtOrBelowTheNextGrade_IsInvalid()
    {
        var problem = SalesReadyGrade.Problem(Rules(50, 50, gradeB: 55));

        Assert.NotNull(problem);
        Assert.Contains("grade B's minimum (55)", problem);
    }

    [Fact]
    public void ARuleSetStoredBeforeTheRule_IsReadWithTheTopGradeAtTheThreshold()
    {
        var json = JsonSerializer.Serialize(Rules(72, 77), BundleJson.Options);
        Assert.Equal(77, JsonNode.Parse(json)!["grades"]![0]!["minScore"]!.GetValue<double>());

        var read = JsonSerializer.Deserialize<RuleSet>(json, BundleJson.Options)!;

        Assert.Equal(72, read.Thresholds.SalesReady);
        Assert.Equal([72, 55, 0], read.Grades.Select(g => g.MinScore));
        Assert.Null(SalesReadyGrade.Problem(read));
    }

    [Fact]
    public void TheEvaluator_GradesASalesReadyScore_WithTheTopGrade()
    {
        var spec = FeatureFixtures.Spec();
        var e = new RuleEvaluator(Rules(72, 77), spec);
        var v = new float[spec.Features.Count];
        for (var i = 0; i < v.Length; i++) v[i] = spec.Features[i].Kind == FeatureKind.Recency ? float.NaN : 0f;
        v[spec.IndexOf("evt.page_view[/pricing].count_30d")] = 2;

        var score = e.Evaluate(v).Score;

        Assert.Equal(74, score);
        Assert.True(score >= e.Rules.Thresholds.SalesReady);
        Assert.Equal("A", e.Grade(score));
        Assert.Equal("B", e.Grade(71.9));
    }
}
