using System.Text.Json;
using System.Text.Json.Nodes;
using LeadML.Features.Bundles;
using LeadML.Features.Featurization;
using LeadML.Features.History;
using LeadML.Features.Rules;
using LeadML.Trainer.Bench;
using LeadML.Trainer.Sample;

namespace LeadML.Trainer.Tests.Bench;

/// <summary>How the recovery check reads the suggested points against one true effect.</summary>
public sealed class TruthRecoveryTests
{
    [Fact]
    public void Inactivity_OfALeadThatNeverActedCountsFromItsCreation()
    {
        // The generator's own inactivity effect, as truth.json writes it.
        var effect = SampleTruth.Effects().Single(e => e.Feature == FeatureNames.DaysSinceLastActivity);
        Assert.Equal(FeatureNames.LeadAge, effect.MissingAs);
        var truth = new JsonObject
        {
            ["effects"] = new JsonArray(JsonSerializer.SerializeToNode(effect, SampleGenerator.Json)),
        };

        var (defs, _) = FeatureLayout.Build(HistoryKind.Events, [], [new EventChannel("page_view", null)], []);
        var spec = new FeatureSpec { Kind = HistoryKind.Events, Attributes = [], Channels = [new EventChannel("page_view", null)], NegativeEventTypes = [], Features = defs };
        Criterion Rule(string id, Condition c, int points) => new()
        {
            Id = id, Label = id, Group = CriterionGroup.Engagement, Condition = c, Points = points,
        };
        var rules = new RuleSet
        {
            ModelVersion = "test", Scale = new PointsScale(6.93, 10), BasePoints = 50,
            Criteria =
            [
                Rule("never", new Condition(FeatureNames.DaysSinceLastActivity, ConditionOp.Missing), -20),
                Rule("idle", new Condition(FeatureNames.DaysSinceLastActivity, ConditionOp.Gte, 180), -30),
            ],
            Thresholds = new Thresholds(70, 5), Grades = [new GradeBand("A", 70), new GradeBand("D", 0)],
        };

        // (days since the last activity, lead age): a lead created 2 days ago without activity is not idle; one
        // created 400 days ago without activity is idle for 400 days.
        (float Idle, float Age)[] rows = [(float.NaN, 2), (float.NaN, 400), (200, 300), (5, 100)];
        var w = spec.Features.Count;
        var x = new float[rows.Length * w];
        for (var i = 0; i < rows.Length; i++)
        {
            x[i * w + spec.IndexOf(FeatureNames.DaysSinceLastActivity)] = rows[i].Idle;
            x[i * w + spec.IndexOf(FeatureNames.LeadAge)] = rows[i].Age;
        }
        var sample = new EvaluationSample { Width = w, X = x, Converted = new bool[rows.Length], Cutoff = new DateTime[rows.Length] };

        var r = TruthRecovery.Evaluate(truth, rules, spec, sample);

        var recovered = Assert.Single(r.Effects);
        // Idle rows (−20, −30) against active rows (−20 for the new lead, 0): (−25 − (−10)) / factor 10.
        Assert.Equal(2, recovered.Rows);
        Assert.Equal(2, recovered.ComparedWith);
        Assert.Equal(-1.5, recovered.SuggestedLogOdds, 6);
        Assert.Equal(-0.3 * 180 / 30, recovered.TrueLogOdds, 6);
    }
}
