using System.CommandLine;
using LeadML.Features.History;

namespace LeadML.Trainer.Commands;

/// <summary><c>leadml read --history PATH [--schema FILE]</c>: reads a history and prints what it holds, so that a
/// mapping can be checked before training.</summary>
internal static class ReadCommand
{
    public static Command Create()
    {
        var history = new Option<string>("--history") { Description = "History folder (leads.csv, events.csv, leadml.json) or leads file", Required = true };
        var schema = new Option<string?>("--schema") { Description = "Schema file mapping the export's columns (JSON)" };
        var command = new Command("read", "Read a history and print a summary (counts, time span, column types, event types)") { history, schema };
        command.SetAction(r => CommandErrors.Run(() =>
        {
            var h = HistoryReader.Read(r.GetValue(history)!, r.GetValue(schema));
            Console.WriteLine(HistorySummary.Describe(h));
            return CommandErrors.Ok;
        }));
        return command;
    }
}
