using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using LeadML.Features.Bundles;
using LeadML.Features.Reporting;
using LeadML.Features.Rules;
using Spectre.Console;

namespace LeadML.Trainer.Commands;

/// <summary><c>leadml guide BUNDLE [--rules FILE] [--out FILE]</c>: the printable procedures guide of a points table.</summary>
internal static class GuideCommand
{
    public static Command Create()
    {
        var bundle = new Argument<string>("bundle") { Description = "Bundle folder" };
        var rulesFile = new Option<string?>("--rules")
        {
            Description = "The approved rule set (JSON, as GET /rulesets/{model}/{version} answers it, or its \"rules\"); default: the bundle's suggestion",
        };
        var output = new Option<string?>("--out") { Description = "Where to write the HTML (default: guide.html in the bundle)" };
        var command = new Command("guide", "Write a printable procedures guide of the points table: each criterion, its points and its evidence") { bundle, rulesFile, output };
        command.SetAction(r => CommandErrors.Run(() =>
        {
            var b = ModelBundle.Load(r.GetValue(bundle)!);
            var rules = r.GetValue(rulesFile) is { } file ? ReadRules(file) : b.ReadOptional<RuleSet>(ModelBundle.SuggestedRuleSetFile)
                ?? throw new InvalidDataException($"{b.Directory} has no {ModelBundle.SuggestedRuleSetFile}; pass the table with --rules FILE");
            var (evidence, average, period) = Evidence(b, rules);
            var path = r.GetValue(output) ?? Path.Combine(b.Directory!, GuideWriter.FileName);
            File.WriteAllText(path, GuideWriter.Render(b.Manifest, rules, evidence, average, period));
            AnsiConsole.MarkupLine($"Guide written to [bold]{Markup.Escape(Path.GetFullPath(path))}[/]");
            return CommandErrors.Ok;
        }));
        return command;
    }

    /// <summary>A rule set file: the rule set itself, or the Api's view of one (its <c>rules</c>).</summary>
    private static RuleSet ReadRules(string file)
    {
        var text = File.ReadAllText(file);
        try
        {
            using var doc = JsonDocument.Parse(text);
            var root = doc.RootElement.TryGetProperty("rules", out var inner) ? inner.GetRawText() : text;
            return JsonSerializer.Deserialize<RuleSet>(root, BundleJson.Options) ?? throw new InvalidDataException($"{file}: not a rule set");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{file}: not a rule set ({e.Message})", e);
        }
    }

    /// <summary>Each criterion's leads and conversions counted on the bundle's test-period sample, so an edited table's
    /// evidence is its own; the stored support (validation period) when the bundle has no sample.</summary>
    private static (Dictionary<string, GuideWriter.Evidence> Evidence, double Average, string Period) Evidence(ModelBundle b, RuleSet rules)
    {
        var result = new Dictionary<string, GuideWriter.Evidence>(StringComparer.Ordinal);
        if (!File.Exists(Path.Combine(b.Directory!, EvaluationSample.FileName)))
        {
            var validation = b.Metrics.Validation;
            return (result, validation is { Rows: > 0 } v ? (double)v.Positives / v.Rows : 0, "the validation period (as stored with each criterion)");
        }
        var sample = EvaluationSample.Read(b.Directory!);
        foreach (var c in rules.Criteria.Where(c => c.Enabled))
        {
            var j = b.Spec.IndexOf(c.Condition.Feature);
            if (j < 0) continue;
            int leads = 0, conversions = 0;
            for (var i = 0; i < sample.Rows; i++)
            {
                if (!c.Condition.Matches(sample.X[i * sample.Width + j])) continue;
                leads++;
                if (sample.Converted[i]) conversions++;
            }
            result[c.Id] = new GuideWriter.Evidence(leads, conversions);
        }
        var average = sample.Rows == 0 ? 0 : sample.Converted.Count(x => x) / (double)sample.Rows;
        var period = sample.Rows == 0 ? "the test period" : string.Create(CultureInfo.InvariantCulture,
            $"the test period ({sample.Cutoff.Min():yyyy-MM-dd} – {sample.Cutoff.Max():yyyy-MM-dd}, {sample.Rows:N0} lead snapshots)");
        return (result, average, period);
    }
}
