using System.CommandLine;
using LeadML.Features.Featurization;
using LeadML.Features.History;
using LeadML.Trainer.Evaluation;

namespace LeadML.Trainer.Commands;

/// <summary><c>leadml read --history PATH [--schema FILE] [--fail-on-leak]</c>: reads a history and prints what it
/// holds, and what the leak guard finds in it, so that a mapping can be checked before training.</summary>
internal static class ReadCommand
{
    public static Command Create()
    {
        var history = new Option<string>("--history") { Description = "History folder (leads.csv, events.csv, leadml.json) or leads file", Required = true };
        var schema = new Option<string?>("--schema") { Description = "Schema file mapping the export's columns (JSON)" };
        var failOnLeak = new Option<bool>("--fail-on-leak") { Description = "Exit with 1 when the leak guard finds a possible leak" };
        var command = new Command("read", "Read a history and print a summary (counts, time span, column types, event types) and possible leaks")
        {
            history, schema, failOnLeak,
        };
        command.SetAction(r => CommandErrors.Run(() =>
        {
            var h = HistoryReader.Read(r.GetValue(history)!, r.GetValue(schema));
            Console.WriteLine(HistorySummary.Describe(h));
            var findings = Guard(h, out var strongest);
            var evidence = strongest is var (name, auc)
                ? $" (the column that alone ranks leads best is '{name}', ROC-AUC {auc.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture)}; a leak is flagged from {Leakage.ColumnAuc:0.0})"
                : "";
            Console.WriteLine(findings.Count == 0 ? $"Leak guard: nothing found{evidence}" : $"Leak guard{evidence}:");
            foreach (var line in Leakage.Lines(findings)) Console.WriteLine($"  {line}");
            return r.GetValue(failOnLeak) && findings.Any(f => !f.Handled) ? CommandErrors.BadInput : CommandErrors.Ok;
        }));
        return command;
    }

    /// <summary>The leak guard over every lead (no split yet) and, for event histories, over the events.</summary>
    internal static List<Features.Bundles.LeakFinding> Guard(LeadHistory h, out (string Column, double RocAuc)? strongest)
    {
        var findings = new List<Features.Bundles.LeakFinding>(Leakage.Attributes(h.Leads, h.Kind, null, "leads", out strongest));
        if (h.Kind == HistoryKind.Events && h.Events is not null)
        {
            var catalog = new EventCatalog(h.Leads.Leads);
            foreach (var e in h.Events.ReadEvents(new ReadReport())) catalog.Add(e);
            var options = new FeatureSpecOptions();
            findings.AddRange(Leakage.Events(catalog.PostConversion(options.PostConversionShare, options.MinPostConversionEvents)));
        }
        return findings;
    }
}
