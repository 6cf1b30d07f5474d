using System.Globalization;
using System.Text;
using LeadML.Features.Randomness;
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
