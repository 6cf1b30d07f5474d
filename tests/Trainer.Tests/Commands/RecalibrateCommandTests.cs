using System.Text.Json.Nodes;
using LeadML.Features.Bundles;
using LeadML.Features.Evaluation;
using LeadML.Features.History;
using LeadML.Trainer.Commands;
using LeadML.Trainer.Modeling;
using LeadML.Trainer.Sample;
using LeadML.Trainer.Training;

namespace LeadML.Trainer.Tests.Commands;

/// <summary><c>leadml recalibrate</c> run as a user runs it: a new bundle version with the same trees and a calibration
/// refitted on the latest complete outcomes; bad input named.</summary>
public sealed class RecalibrateCommandTests(RecalibrateCommandTests.Trained trained) : IClassFixture<RecalibrateCommandTests.Trained>
{
    /// <summary>A small sample history and a bundle trained on it (one small tree candidate).</summary>
    public sealed class Trained : IDisposable
    {
        public Trained()
        {
            History = Path.Combine(Root, "history");
            Bundle = Path.Combine(Root, "model");
            SampleGenerator.Write(History, new SampleOptions { Leads = 3000, TruthProbabilities = false });
            TrainingRun.Run(new TrainOptions { History = History, Out = Bundle, Search = new SearchOptions { Depths = [2], MinChildWeights = [1], TreesOnly = true } });
        }

        public string Root { get; } = Directory.CreateTempSubdirectory("leadml-recalibrate-").FullName;
        public string History { get; }
        public string Bundle { get; }

        public void Dispose() => Directory.Delete(Root, recursive: true);
    }

    [Fact]
    public void Recalibrate_WritesANewVersion_WithTheSameTreesAndPoints_AndANewCalibration()
    {
        var output = Path.Combine(trained.Root, "model-recalibrated");
        var manifestBefore = File.ReadAllText(Path.Combine(trained.Bundle, ModelBundle.ManifestFile));
        var r = Leadml.Run("recalibrate", trained.Bundle, "--history", trained.History, "--out", output, "--json");
        Assert.True(r.ExitCode == 0, r.Error);
        var json = JsonNode.Parse(r.Output)!;

        var old = ModelBundle.Load(trained.Bundle);
        var next = ModelBundle.Load(output);
        Assert.Equal(old.Trees, next.Trees);
        Assert.Equal(File.ReadAllBytes(Path.Combine(trained.Bundle, ModelBundle.FeaturesFile)), File.ReadAllBytes(Path.Combine(output, ModelBundle.FeaturesFile)));
        Assert.Equal(File.ReadAllBytes(Path.Combine(trained.Bundle, ModelBundle.SuggestedRuleSetFile)), File.ReadAllBytes(Path.Combine(output, ModelBundle.SuggestedRuleSetFile)));
        Assert.NotEqual(old.Manifest.ModelVersion, next.Manifest.ModelVersion);
        Assert.Equal(next.Manifest.ModelVersion, json["modelVersion"]!.GetValue<string>());
        Assert.Equal(old.Manifest.ModelVersion, next.Manifest.RecalibratedFrom);
        // The source bundle is untouched.
        Assert.Equal(manifestBefore, File.ReadAllText(Path.Combine(trained.Bundle, ModelBundle.ManifestFile)));

        // Fitted on the latest complete horizon after the training window: the test period's three cut-offs here.
        var outcomes = next.Manifest.Window.Calibration!;
        Assert.True(outcomes.From > old.Manifest.Window.LearntUntil);
        Assert.Equal(old.Manifest.Window.Test.From, outcomes.From);
        Assert.Equal(old.Manifest.Window.Test.To, outcomes.To);
        Assert.Equal(old.Manifest.Window.Test.Rows, outcomes.Rows);
        var fit = next.Metrics.CalibrationFit!;
        Assert.Equal("recentOutcomes", fit.Method);
        Assert.Equal(json["eceAfter"]!.GetValue<double>(), fit.EceAfter);
        Assert.NotEqual(System.Text.Json.JsonSerializer.Serialize(old.Calibration), System.Text.Json.JsonSerializer.Serialize(next.Calibration));
        Assert.Contains("Recalibrated on", File.ReadAllText(Path.Combine(output, "report.html")), StringComparison.Ordinal);

        // A comparison scores only what comes after the outcomes it learnt from: none in this history.
        var compare = Assert.Throws<InvalidDataException>(() => BundleComparison.Run(old, next, HistoryReader.Read(trained.History)));
        Assert.Contains("no cut-off after", compare.Message, StringComparison.Ordinal);

        // The same folder again is refused: a recalibration never replaces a bundle.
        var again = Leadml.Run("recalibrate", trained.Bundle, "--history", trained.History, "--out", output);
        Assert.Equal(CommandErrors.BadInput, again.ExitCode);
        Assert.Contains("already exists", again.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Recalibrate_BadInput_ExitsOneNamingTheFileLineAndField()
    {
        var broken = Path.Combine(trained.Root, "broken-history");
        Directory.CreateDirectory(broken);
        foreach (var f in Directory.GetFiles(trained.History)) File.Copy(f, Path.Combine(broken, Path.GetFileName(f)));
        var leads = File.ReadAllLines(Path.Combine(broken, "leads.csv"));
        var header = leads[0].Split(',');
        var created = Array.IndexOf(header, "created_at");
        var cells = leads[5].Split(',');
        cells[created] = "2025-13-01";
        leads[5] = string.Join(',', cells);
        File.WriteAllLines(Path.Combine(broken, "leads.csv"), leads);

        var r = Leadml.Run("recalibrate", trained.Bundle, "--history", broken, "--out", Path.Combine(trained.Root, "never"));
        Assert.Equal(CommandErrors.BadInput, r.ExitCode);
        Assert.Contains("leads.csv", r.Error, StringComparison.Ordinal);
        Assert.Contains("line 6", r.Error, StringComparison.Ordinal);
        Assert.Contains("created_at", r.Error, StringComparison.Ordinal);
        Assert.Contains("2025-13-01", r.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", r.Error, StringComparison.Ordinal);

        var day = Leadml.Run("recalibrate", trained.Bundle, "--history", trained.History, "--from", "13/01/2025", "--out", Path.Combine(trained.Root, "never"));
        Assert.Equal(CommandErrors.BadInput, day.ExitCode);
        Assert.Contains("--from '13/01/2025'", day.Error, StringComparison.Ordinal);

        var learnt = ModelBundle.Load(trained.Bundle).Manifest.Window.LearntUntil;
        var early = Leadml.Run("recalibrate", trained.Bundle, "--history", trained.History, "--from", learnt.AddDays(-20).ToString("yyyy-MM-dd"),
            "--out", Path.Combine(trained.Root, "never"));
        Assert.Equal(CommandErrors.BadInput, early.ExitCode);
        Assert.Contains("training window", early.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(trained.Root, "never")));
    }
}
