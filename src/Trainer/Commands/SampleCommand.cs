using System.CommandLine;
using LeadML.Trainer.Sample;
using Spectre.Console;

namespace LeadML.Trainer.Commands;

/// <summary><c>leadml sample --out data/sample [--leads N] [--seed S]</c>: writes a synthetic 12-month history with
/// known true effects (<c>truth.json</c>).</summary>
internal static class SampleCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Folder to write leads.csv, events.csv, leadml.json and truth.json into", DefaultValueFactory = _ => "data/sample" };
        var leads = new Option<int>("--leads") { Description = "Number of leads", DefaultValueFactory = _ => new SampleOptions().Leads };
        var seed = new Option<ulong>("--seed") { Description = "Random seed (same seed, same files)", DefaultValueFactory = _ => new SampleOptions().Seed };
        var activity = new Option<double>("--activity") { Description = "Multiplies every event rate (e.g. 10 for ten times the events)", DefaultValueFactory = _ => 1.0 };
        var noTruth = new Option<bool>("--no-truth-probabilities") { Description = "Skip the Monte Carlo true probabilities (faster)" };
        var command = new Command("sample", "Write a synthetic lead history generated from known true effects") { output, leads, seed, activity, noTruth };
        command.SetAction(r => CommandErrors.Run(() =>
        {
            var options = new SampleOptions
            {
                Leads = r.GetValue(leads),
                Seed = r.GetValue(seed),
                ActivityScale = r.GetValue(activity),
                TruthProbabilities = !r.GetValue(noTruth),
            };
            var folder = r.GetValue(output)!;
            SampleSummary? summary = null;
            AnsiConsole.Progress().Start(ctx =>
            {
                var task = ctx.AddTask("Generating history", maxValue: 1.0);
                summary = SampleGenerator.Write(folder, options, new Progress<double>(p => task.Value = p));
                task.Value = 1.0;
            });
            AnsiConsole.MarkupLine($"Wrote [bold]{summary!.Leads:N0}[/] leads ({summary.Converted:N0} converted) and [bold]{summary.Events:N0}[/] events to {Markup.Escape(folder)}");
            return CommandErrors.Ok;
        }));
        return command;
    }
}
