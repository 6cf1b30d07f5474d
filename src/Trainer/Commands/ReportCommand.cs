using System.CommandLine;
using LeadML.Features.Bundles;
using LeadML.Features.Rules;
using LeadML.Features.Reporting;
using Spectre.Console;

namespace LeadML.Trainer.Commands;

/// <summary><c>leadml report BUNDLE [--out FILE]</c>: re-renders the bundle's report from its files.</summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var bundle = new Argument<string>("bundle") { Description = "Bundle folder" };
        var output = new Option<string?>("--out") { Description = "Where to write the HTML (default: report.html in the bundle)" };
        var command = new Command("report", "Re-render a bundle's report.html (one self-contained page that opens offline)") { bundle, output };
        command.SetAction(r => CommandErrors.Run(() =>
        {
            var b = ModelBundle.Load(r.GetValue(bundle)!);
            var rules = b.ReadOptional<RuleSet>(ModelBundle.SuggestedRuleSetFile);
            var path = r.GetValue(output) ?? Path.Combine(b.Directory!, ReportWriter.FileName);
            File.WriteAllText(path, ReportWriter.Render(b.Manifest, b.Metrics, rules));
            AnsiConsole.MarkupLine($"Report written to [bold]{Markup.Escape(Path.GetFullPath(path))}[/]");
            return CommandErrors.Ok;
        }));
        return command;
    }
}
