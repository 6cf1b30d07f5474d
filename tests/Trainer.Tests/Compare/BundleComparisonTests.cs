using System.Text.Json;
using System.Text.Json.Nodes;
using LeadML.Features.Bundles;
using LeadML.Features.Featurization;
using LeadML.Features.History;
using LeadML.Features.Rules;
using LeadML.Trainer.Commands;
using LeadML.Features.Evaluation;
using LeadML.Trainer.Sample;
using LeadML.Trainer.Training;

namespace LeadML.Trainer.Tests.Compare;

public sealed class BundleComparisonTests
{
    private static Criterion C(string id, int points, double half = 2) => new()
    {
        Id = id, Label = id, Group = CriterionGroup.Fit, Points = points,
        Condition = new Condition("attr.x=" + id, ConditionOp.Eq, 1), Interval = new PointsInterval(points - half, points + half),
    };

    private static RuleSet Rules(params Criterion[] c) => new()
    {
        ModelVersion = "m", Scale = new PointsScale(20, 28.85), BasePoints = 50, Criteria = c,
        Thresholds = new Thresholds(70, 5), Grades = [new GradeBand("A", 70), new GradeBand("D", 0)],
    };

    [Fact]
    public void Moves_NameNewDroppedFlippedMovedAndUnchanged()
    {
        var current = Rules(C("kept", 10), C("flip", 5), C("move", 10), C("gone", 3));
        var next = Rules(C("kept", 11), C("flip", -4), C("move", 20), C("fresh", 7));
        var moves = BundleComparison.Moves(current, next).ToDictionary(m => m.Id, m => m.Change);
        Assert.Equal("unchanged", moves["kept"]);
        Assert.Equal("sign flipped", moves["flip"]);
        Assert.Equal("moved", moves["move"]);
        Assert.Equal("new", moves["fresh"]);
        Assert.Equal("dropped", moves["gone"]);
    }

    [Fact]
    public void Compare_ScoresBothOnMonthsNeitherWasTrainedOn_AndRecordsItInTheNewReport()
    {
        var root = Path.Combine(Path.GetTempPath(), $"leadml-compare-{Guid.NewGuid():N}");
        try
        {
            var history = Path.Combine(root, "history");
            SampleGenerator.Write(history, new SampleOptions { Leads = 3000, TruthProbabilities = false });
            var schema = HistorySchemaFile.Load(Path.Combine(history, "leadml.json"));
            schema.Window = new WindowSchema { Start = schema.Window!.Start, End = new DateTime(2025, 8, 1, 0, 0, 0, DateTimeKind.Utc) };
            var oldSchema = Path.Combine(root, "old.json");
            HistorySchemaFile.Save(schema, oldSchema);
            var search = new LeadML.Trainer.Modeling.SearchOptions { Depths = [2], MinChildWeights = [1] };
            TrainingRun.Run(new TrainOptions { History = history, Schema = oldSchema, Out = Path.Combine(root, "old"), Search = search });
            TrainingRun.Run(new TrainOptions { History = history, Out = Path.Combine(root, "new"), Search = search });
            var champion = ModelBundle.Load(Path.Combine(root, "old"));
            var challenger = ModelBundle.Load(Path.Combine(root, "new"));

            var r = BundleComparison.Run(champion, challenger, HistoryReader.Read(history));

            Assert.True(r.From > challenger.Manifest.Window.Validation.To && r.From > champion.Manifest.Window.Validation.To);
            Assert.Equal(r.Current.Rows, r.New.Rows);
            Assert.InRange(r.New.RocAuc!.Value, 0.6, 1);
            Assert.InRange(r.GradeChanges, 0, r.Leads);
            Assert.NotEmpty(r.Moves);

            BundleComparison.Record(challenger, r);
            var metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(root, "new", ModelBundle.MetricsFile)))!;
            Assert.Equal(r.New.RocAuc!.Value, metrics["comparison"]!["new"]!["rocAuc"]!.GetValue<double>(), 9);
            Assert.Contains("Champion and challenger", File.ReadAllText(Path.Combine(root, "new", "report.html")), StringComparison.Ordinal);
        }
        finally
        {
            if (Directory.Exists(root)) Directory.Delete(root, true);
        }
    }
}
