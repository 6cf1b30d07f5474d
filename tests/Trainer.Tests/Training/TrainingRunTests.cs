using System.Globalization;
using System.Text;
using LeadML.Features.Bundles;
using LeadML.Features.Randomness;
using LeadML.Trainer.Evaluation;
using LeadML.Trainer.Tests.Snapshots;
using LeadML.Trainer.Training;

namespace LeadML.Trainer.Tests.Training;

/// <summary>The training run on tiny histories: it refuses what cannot be learned and warns about what is thin.</summary>
public sealed class TrainingRunTests
{
    [Fact]
    public void Run_NoConversionAtAll_FailsWithAClearMessage()
    {
        var leads = "lead_id,created_at,converted_at,industry\n" + string.Concat(Enumerable.Range(0, 60).Select(i =>
            $"L{i},2025-01-{1 + i % 28:D2}T09:00:00Z,,{(i % 2 == 0 ? "Software" : "Finance")}\n"));
        var events = "lead_id,timestamp,type,detail\nL0,2025-12-31T10:00:00Z,page_view,/pricing\n";
        using var history = new TinyHistory(leads, events);
        var output = Path.Combine(history.Folder, "model");

        var e = Assert.Throws<InvalidDataException>(() => TrainingRun.Run(new TrainOptions { History = history.Folder, Out = output }));

        Assert.Contains("no lead converted", e.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
    }

    private const string SingleTableSchema = """
        { "kind": "singleTable", "leads": { "id": null, "createdAt": null, "convertedAt": null },
          "outcome": { "column": "converted", "positive": ["yes"] } }
        """;

    /// <summary>A single table in file order: an honest score, and a CRM status that sales set after contact.</summary>
    private static string WithCrmStatus(int rows)
    {
        var rng = new Xoshiro256(17);
        var text = new StringBuilder("score,status,converted\n");
        for (var i = 0; i < rows; i++)
        {
            var score = rng.NextDouble() * 10;
            var converted = rng.NextDouble() < 1 / (1 + Math.Exp(-(-3 + 0.3 * score)));
            var status = converted ? new[] { "closed by sales", "closed by partner" }[rng.NextInt(2)] : new[] { "lost to competitor", "no answer" }[rng.NextInt(2)];
            text.Append(CultureInfo.InvariantCulture, $"{score:F2},{status},{(converted ? "yes" : "no")}\n");
        }
        return text.ToString();
    }

    [Fact]
    public void Run_ALeakyColumn_IsInTheMetricsAndAtTheTopOfTheReport()
    {
        using var history = new TinyHistory(WithCrmStatus(1500), schemaJson: SingleTableSchema);
        var output = Path.Combine(history.Folder, "model");

        var summary = TrainingRun.Run(new TrainOptions { History = history.Folder, Out = output, Search = new() { Depths = [2], MinChildWeights = [1] } });

        var column = Assert.Single(summary.Metrics.Leaks, l => l.Kind == LeakKind.Column);
        Assert.Equal("status", column.Column);
        Assert.Contains(summary.Metrics.Leaks, l => l is { Kind: LeakKind.Level, Level: "closed by sales" });
        var written = BundleMetrics.Parse(File.ReadAllText(Path.Combine(output, "metrics.json")));
        Assert.Equal(summary.Metrics.Leaks.Count, written.Leaks.Count);
        var report = File.ReadAllText(Path.Combine(output, "report.html"));
        Assert.InRange(report.IndexOf("id=\"leaks\"", StringComparison.Ordinal), 1, report.IndexOf("id=\"summary\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Run_FailOnLeak_StopsBeforeTheModelSearch_AndWritesNoBundle()
    {
        using var history = new TinyHistory(WithCrmStatus(1500), schemaJson: SingleTableSchema);
        var output = Path.Combine(history.Folder, "model");

        var e = Assert.Throws<InvalidDataException>(() => TrainingRun.Run(new TrainOptions { History = history.Folder, Out = output, FailOnLeak = true }));

        Assert.Contains("--fail-on-leak", e.Message, StringComparison.Ordinal);
        Assert.Contains("'status'", e.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void Run_AModelTooGoodOnValidation_IsFlagged_ThoughNoColumnIsAlone()
    {
        // Converted exactly when a + b > 1: each column alone ranks at about 0.83, together they separate the outcome.
        var rng = new Xoshiro256(19);
        var rows = new StringBuilder("a,b,converted\n");
        for (var i = 0; i < 2000; i++)
        {
            var (a, b) = (rng.NextDouble(), rng.NextDouble());
            rows.Append(CultureInfo.InvariantCulture, $"{a:F3},{b:F3},{(a + b > 1 ? "yes" : "no")}\n");
        }
        using var history = new TinyHistory(rows.ToString(), schemaJson: SingleTableSchema);
        var output = Path.Combine(history.Folder, "model");
        var options = new TrainOptions { History = history.Folder, Out = output, Search = new() { LinearOnly = true } };

        var summary = TrainingRun.Run(options);

        Assert.DoesNotContain(summary.Metrics.Leaks, l => l.Kind is LeakKind.Column or LeakKind.Level);
        var tooGood = Assert.Single(summary.Metrics.Leaks);
        Assert.Equal(LeakKind.ValidationAuc, tooGood.Kind);
        Assert.True(tooGood.RocAuc >= Leakage.ValidationAuc);
        Directory.Delete(output, recursive: true);
        Assert.Throws<InvalidDataException>(() => TrainingRun.Run(options with { FailOnLeak = true }));
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void Run_FewerThanAThousandLeads_TrainsWithTheLittleHistoryWarning()
    {
        // 600 rows of a single table in file order; the outcome follows the industry and a score, with noise.
        var rng = new Xoshiro256(7);
        var rows = new StringBuilder("industry,score,converted\n");
        string[] industries = ["Software", "Finance", "Retail", "Government"];
        for (var i = 0; i < 600; i++)
        {
            var industry = industries[rng.NextInt(industries.Length)];
            var score = rng.NextDouble() * 10;
            var logOdds = -2.5 + 0.3 * score + (industry == "Software" ? 1.0 : industry == "Government" ? -1.0 : 0);
            var converted = rng.NextDouble() < 1 / (1 + Math.Exp(-logOdds));
            rows.Append(CultureInfo.InvariantCulture, $"{industry},{score:F2},{(converted ? "yes" : "no")}\n");
        }
        var schema = """
            { "kind": "singleTable", "leads": { "id": null, "createdAt": null, "convertedAt": null },
              "outcome": { "column": "converted", "positive": ["yes"] } }
            """;
        using var history = new TinyHistory(rows.ToString(), schemaJson: schema);
        var output = Path.Combine(history.Folder, "model");

        var summary = TrainingRun.Run(new TrainOptions { History = history.Folder, Out = output });

        var warning = Assert.Single(summary.Warnings, w => w.StartsWith("little history", StringComparison.Ordinal));
        Assert.Contains("600 leads", warning, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(output, "manifest.json")));
        Assert.Contains(summary.Metrics.Warnings, w => w.Contains("little history", StringComparison.Ordinal));
    }
}
