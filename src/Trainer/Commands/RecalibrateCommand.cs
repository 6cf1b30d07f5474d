using System.CommandLine;
using System.Globalization;
using LeadML.Features.Bundles;
using LeadML.Features.Reporting;
using LeadML.Features.Store;
using Spectre.Console;

namespace LeadML.Trainer.Commands;

/// <summary><c>leadml recalibrate BUNDLE --history PATH [--out FOLDER] [--from DATE]</c>: refits only the bundle's
/// calibration on the latest complete horizon of outcomes and writes it as a new bundle version.</summary>
internal static class RecalibrateCommand
{
    public static Command Create()
    {
        var bundle = new Argument<string>("bundle") { Description = "The bundle whose trees or weights are kept" };
        var history = new Option<string>("--history")
        {
            Description = "Recent history with outcomes: a folder, or the Api's lead store (sqlite:PATH or \"postgres:CONNECTION\")", Required = true,
        };
        var schema = new Option<string?>("--schema") { Description = "Schema file for the history" };
        var model = new Option<string?>("--model") { Description = "With a store history: the scoring model whose leads to read" };
        var output = new Option<string?>("--out") { Description = "Folder of the new bundle version (default: BUNDLE-recalibrated-TIME beside it); must not exist" };
        var from = new Option<string?>("--from") { Description = "Fit on every complete outcome from this day (yyyy-MM-dd) instead of the latest horizon; after the bundle's training window" };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON" };
        var command = new Command("recalibrate", "Refit only the calibration on recent outcomes (the model stays) and write a new bundle version")
        {
            bundle, history, schema, model, output, from, json,
        };
        command.SetAction(r => CommandErrors.Run(() =>
        {
            var asJson = r.GetValue(json);
            var console = CommandErrors.Human(asJson);
            var fromDay = ParseDay(r.GetValue(from));
            var source = ModelBundle.Load(r.GetValue(bundle)!);
            var now = DateTime.UtcNow;
            var target = r.GetValue(output) ?? $"{source.Directory!.TrimEnd(Path.DirectorySeparatorChar)}-recalibrated-{now:yyyyMMdd'T'HHmmss}";
            var h = StoreHistory.ReadAny(r.GetValue(history)!, r.GetValue(schema), r.GetValue(model));
            var result = Recalibration.Run(source, h, target, now, fromDay, s => console.MarkupLine($"[grey]{Markup.Escape(s)}[/]"));
            var fit = result.Fit;
            if (asJson)
            {
                Console.WriteLine(new System.Text.Json.Nodes.JsonObject
                {
                    ["bundle"] = result.Bundle.Directory,
                    ["modelVersion"] = result.Bundle.Manifest.ModelVersion,
                    ["recalibratedFrom"] = fit.RecalibratedFrom,
                    ["calibration"] = fit.Kind,
                    ["rows"] = result.Outcomes.Rows,
                    ["positives"] = result.Outcomes.Positives,
                    ["eceBefore"] = fit.EceBefore,
                    ["eceAfter"] = fit.EceAfter,
                }.ToJsonString(BundleJson.Options));
                return CommandErrors.Ok;
            }
            var c = CultureInfo.InvariantCulture;
            console.MarkupLine($"[bold]{Markup.Escape(result.Bundle.Manifest.ModelVersion)}[/]: the model of {Markup.Escape(fit.RecalibratedFrom ?? "")} with a new calibration");
            console.MarkupLine(Markup.Escape(TrainCommand.CalibrationText(fit)));
            console.MarkupLine(Markup.Escape(string.Create(c,
                $"Calibration error on these outcomes: {fit.EceBefore:0.0000} with the old calibration, {fit.EceAfter:0.0000} with the new one (5-fold cross-validated); {fit.Kind}: {fit.Why}")));
            console.MarkupLine($"Bundle written to [bold]{Markup.Escape(result.Bundle.Directory!)}[/]; open {Markup.Escape(Path.Combine(result.Bundle.Directory!, ReportWriter.FileName))} for the report");
            console.MarkupLine("[grey]Compare it with the bundle in force once a month of newer outcomes is complete (leadml compare), or promote it (POST /admin/models/{name}/promote, \"force\": true before a comparison).[/]");
            return CommandErrors.Ok;
        }));
        return command;
    }

    private static DateTime? ParseDay(string? text)
    {
        if (text is null) return null;
        return DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var day)
            ? day
            : throw new InvalidDataException($"--from '{text}' is not a day (yyyy-MM-dd)");
    }
}
