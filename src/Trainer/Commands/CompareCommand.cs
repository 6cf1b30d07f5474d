using System.CommandLine;
using System.Text.Json;
using LeadML.Features.Bundles;
using LeadML.Features.History;
using LeadML.Features.Rules;
using LeadML.Features.Store;
using LeadML.Features.Evaluation;
using LeadML.Features.Reporting;
using Spectre.Console;

namespace LeadML.Trainer.Commands;

/// <summary><c>leadml compare NEW --against CURRENT --history PATH</c>: champion against challenger.</summary>
internal static class CompareCommand
{
    public static Command Create()
    {
        var next = new Argument<string>("new") { Description = "The new (challenger) bundle folder" };
        var against = new Option<string>("--against") { Description = "The current (champion) bundle folder", Required = true };
        var history = new Option<string>("--history") { Description = "History to score both on (its months after both training windows): a folder, or sqlite:PATH / \"postgres:CONNECTION\"", Required = true };
        var schema = new Option<string?>("--schema") { Description = "Schema file for the history" };
        var json = new Option<bool>("--json") { Description = "Print the comparison as JSON" };
        var command = new Command("compare", "Score two bundles on the same recent months neither was trained on; adds the comparison to the new bundle's report")
        {
            next, against, history, schema, json,
        };
        command.SetAction(r => CommandErrors.Run(() =>
        {
            var asJson = r.GetValue(json);
            var console = CommandErrors.Human(asJson);
            var challenger = ModelBundle.Load(r.GetValue(next)!);
            var champion = ModelBundle.Load(r.GetValue(against)!);
            var h = StoreHistory.ReadAny(r.GetValue(history)!, r.GetValue(schema));
            var result = BundleComparison.Run(champion, challenger, h, s => console.MarkupLine($"[grey]{Markup.Escape(s)}[/]"));
            BundleComparison.Record(challenger, result);
            if (asJson)
            {
                Console.WriteLine(BundleComparison.ToJson(result).ToJsonString(BundleJson.Options));
                return CommandErrors.Ok;
            }
            var table = new Table().Border(TableBorder.Rounded)
                .Title($"[bold]{result.From:yyyy-MM-dd} – {result.To:yyyy-MM-dd}[/], {result.Leads:N0} lead snapshots");
            table.AddColumn("");
            table.AddColumn(new TableColumn($"current\n{Markup.Escape(result.Current.ModelVersion)}").RightAligned());
            table.AddColumn(new TableColumn($"new\n{Markup.Escape(result.New.ModelVersion)}").RightAligned());
            void Row(string label, double? a, double? b, string format) => table.AddRow(label, ReportWriter.F(a, format), ReportWriter.F(b, format));
            Row("ROC-AUC", result.Current.RocAuc, result.New.RocAuc, "0.0000");
            Row("PR-AUC", result.Current.PrAuc, result.New.PrAuc, "0.0000");
            Row("calibration error", result.Current.Ece, result.New.Ece, "0.0000");
            Row("lift, top decile", result.Current.TopDecileLift, result.New.TopDecileLift, "0.00");
            console.Write(table);
            console.MarkupLine($"{result.GradeChanges:N0} of {result.Leads:N0} lead snapshots change grade.");
            var moved = result.Moves.Where(m => m.Change != "unchanged").ToList();
            if (moved.Count > 0)
            {
                var moves = new Table().Border(TableBorder.Simple).AddColumn("criterion").AddColumn(new TableColumn("current").RightAligned())
                    .AddColumn(new TableColumn("new").RightAligned()).AddColumn("change");
                foreach (var m in moved)
                {
                    moves.AddRow(Markup.Escape(m.Label), m.Current?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "–",
                        m.New?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "–", m.Change);
                }
                console.Write(moves);
            }
            console.MarkupLine(result.NewNotWorse ? $"[green]{Markup.Escape(result.Verdict)}[/]" : $"[yellow]{Markup.Escape(result.Verdict)}[/]");
            console.MarkupLine($"Comparison added to {Markup.Escape(Path.Combine(challenger.Directory!, ReportWriter.FileName))}");
            return CommandErrors.Ok;
        }));
        return command;
    }
}
