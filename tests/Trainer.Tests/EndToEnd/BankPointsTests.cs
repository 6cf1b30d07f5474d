using LeadML.Features.Bundles;
using LeadML.Features.Rules;
using LeadML.Trainer.Tests.Modeling;
using LeadML.Trainer.Training;
using Xunit.Abstractions;

namespace LeadML.Trainer.Tests.EndToEnd;

/// <summary>
/// The whole training run on bank-additional (schema <c>data/schemas/bank-additional.json</c>), whose 10 % validation
/// period holds April and May 2009 only: months outside it take their points from the training leads that had them,
/// and September, which no lead before the test period has, takes the points the model gives such a lead.
/// </summary>
public sealed class BankPointsTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _out = Path.Combine(Path.GetTempPath(), $"leadml-bank-{Guid.NewGuid():N}");

    [Fact]
    public void Points_CoverEveryMonth_AndRankAlmostAsWellAsTheModel()
    {
        var schema = Path.Combine(BankMarketing.RepoRoot(), "data", "schemas", "bank-additional.json");
        // The table with every band: the one whose months must all be covered (the compact table may merge them).
        var summary = TrainingRun.Run(new TrainOptions { History = schema, Out = _out, Points = new LeadML.Trainer.Points.PointsOptions { MaxCriteria = 0 } });
        var rules = ModelBundle.Load(_out).ReadOptional<RuleSet>(ModelBundle.SuggestedRuleSetFile)!;
        Criterion Month(string m) => rules.Criteria.Single(c => c.Condition.Feature == $"attr.month={m}");

        var october = Month("oct");
        Assert.Equal("training", october.Support!.Period);
        Assert.True(october.Support.Leads > 0 && october.Points > 0, $"{october.Label}: {october.Points}, {october.Support}");

        var september = Month("sep");
        output.WriteLine($"{september.Label}: {september.Points} points; {september.Description}");
        Assert.Equal(0, september.Support!.Leads);
        Assert.True(september.LowSupport);
        Assert.Contains("No lead of the training or evaluation period matched", september.Description, StringComparison.Ordinal);

        var model = summary.Metrics.Test!.RocAuc!.Value;
        var points = summary.Metrics.PointsOnly!.Test.RocAuc!.Value;
        output.WriteLine($"model {model:F4}, points only {points:F4}, ratio {points / model:F4}");
        Assert.True(points >= 0.97 * model, $"points-only AUC {points:F4} < 0.97 × model {model:F4}");
    }

    public void Dispose()
    {
        if (Directory.Exists(_out)) Directory.Delete(_out, recursive: true);
    }
}
