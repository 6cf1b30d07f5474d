using System.Diagnostics;
using System.Text.Json.Nodes;
using LeadML.Trainer.Commands;
using LeadML.Trainer.Sample;

namespace LeadML.Trainer.Tests.Commands;

/// <summary>The built <c>leadml</c> run as a user runs it, in its own process: exit codes, messages, JSON.</summary>
public sealed class CliTests(TrainedSample sample) : IClassFixture<TrainedSample>
{
    [Fact]
    public void Train_NegativeMaxCriteria_IsRefusedNamingTheOption()
    {
        var r = Leadml.Run("train", "--history", sample.Root, "--out", Path.Combine(sample.Root, "never"), "--max-criteria", "-1");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("--max-criteria", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Guide_WritesTheSuggestedTable_FitAndEngagementApart_WithEvidence()
    {
        var path = Path.Combine(sample.Root, "guide.html");
        var r = Leadml.Run("guide", sample.Bundle, "--out", path);
        Assert.Equal(0, r.ExitCode);
        var html = File.ReadAllText(path);
        var rules = LeadML.Features.Bundles.ModelBundle.Load(sample.Bundle).ReadOptional<LeadML.Features.Rules.RuleSet>(LeadML.Features.Bundles.ModelBundle.SuggestedRuleSetFile)!;
        Assert.InRange(rules.Criteria.Count, 1, 25);
        Assert.All(rules.Criteria, c => Assert.Contains(System.Net.WebUtility.HtmlEncode(c.Label), html, StringComparison.Ordinal));
        Assert.Contains("id=\"fit-table\"", html, StringComparison.Ordinal);
        Assert.Contains("id=\"engagement-table\"", html, StringComparison.Ordinal);
        Assert.Contains("the test period (", html, StringComparison.Ordinal);
        Assert.DoesNotContain("attr.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("evt.", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_MissingHistory_ExitsWithBadInputAndNamesTheFile()
    {
        var missing = Path.Combine(sample.Root, "no-such-history");
        var r = Leadml.Run("train", "--history", missing, "--out", Path.Combine(sample.Root, "never"));

        Assert.Equal(CommandErrors.BadInput, r.ExitCode);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("no-such-history", r.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void TrainJson_PrintsValidJsonWithTheTestRocAuc()
    {
        Assert.Equal(0, sample.Train.ExitCode);
        var json = JsonNode.Parse(sample.Train.Output)!;
        var auc = json["metrics"]!["test"]!["rocAuc"]!.GetValue<double>();
        Assert.InRange(auc, 0.5, 1.0);
        Assert.Equal(sample.Bundle, json["bundle"]!.GetValue<string>());
    }

    [Fact]
    public void Train_ChosenModelAndManifest_StateTheSameRounds_AndSayWhyTheCandidateHadFewer()
    {
        Assert.Equal(0, sample.Train.ExitCode);
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(sample.Bundle, "manifest.json")))!;
        var metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(sample.Bundle, "metrics.json")))!;
        var chosen = metrics["chosen"]!;
        Assert.Equal(manifest["settings"]!.ToJsonString(), chosen["settings"]!.ToJsonString());
        if (manifest["settings"]!["rounds"] is { } rounds)
        {
            Assert.Contains($"{rounds.GetValue<string>()} rounds", chosen["description"]!.GetValue<string>(), StringComparison.Ordinal);
            // The candidate with the chosen settings (XGBoost's or FastTree's), rounds aside.
            static string Settings(JsonNode s) => string.Join(",", s.AsObject().Where(p => p.Key != "rounds").Select(p => $"{p.Key}={p.Value}"));
            var candidate = metrics["candidates"]!.AsArray().Single(c => Settings(c!["settings"]!) == Settings(manifest["settings"]!));
            var found = candidate!["settings"]!["rounds"]!.GetValue<string>();
            if (found != rounds.GetValue<string>())
            {
                Assert.Contains($"early stopping on the training period alone found {found} rounds", chosen["why"]!.GetValue<string>(), StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Inspect_BundleOfAnotherFormatVersion_ExitsWithBadInputAndSaysToRetrain()
    {
        var copy = Path.Combine(sample.Root, "old-bundle");
        Directory.CreateDirectory(copy);
        foreach (var f in Directory.GetFiles(sample.Bundle)) File.Copy(f, Path.Combine(copy, Path.GetFileName(f)));
        var manifestPath = Path.Combine(copy, "manifest.json");
        var manifest = JsonNode.Parse(File.ReadAllText(manifestPath))!;
        manifest["formatVersion"] = 99;
        File.WriteAllText(manifestPath, manifest.ToJsonString());

        var r = Leadml.Run("inspect", copy);

        Assert.Equal(CommandErrors.BadInput, r.ExitCode);
        Assert.Contains("99", r.Error, StringComparison.Ordinal);
        Assert.Contains("retrain", r.Error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Inspect_CurrentBundle_Succeeds()
    {
        var r = Leadml.Run("inspect", sample.Bundle);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("test ROC-AUC", r.Output, StringComparison.Ordinal);
    }
}

/// <summary>A sample history of 8,000 leads trained once with <c>leadml train --json</c> for the CLI tests.</summary>
public sealed class TrainedSample : IDisposable
{
    public TrainedSample()
    {
        Root = Path.Combine(Path.GetTempPath(), $"leadml-cli-{Guid.NewGuid():N}");
        var history = Path.Combine(Root, "history");
        Bundle = Path.Combine(Root, "model");
        SampleGenerator.Write(history, new SampleOptions { Leads = 8000, TruthProbabilities = false });
        Train = Leadml.Run("train", "--history", history, "--out", Bundle, "--json");
    }

    public string Root { get; }
    public string Bundle { get; }
    public Leadml.Result Train { get; }

    public void Dispose()
    {
        if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
    }
}

/// <summary>Runs the leadml.dll built beside the tests with the same dotnet host.</summary>
public static class Leadml
{
    public sealed record Result(int ExitCode, string Output, string Error);

    public static Result Run(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "leadml.dll");
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h ? h : "dotnet";
        var start = new ProcessStartInfo(host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return new Result(process.ExitCode, output, error.Result);
    }
}
