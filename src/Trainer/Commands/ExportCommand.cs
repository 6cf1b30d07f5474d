using System.CommandLine;
using LeadML.Features.Store;
using Spectre.Console;

namespace LeadML.Trainer.Commands;

/// <summary><c>leadml export --store sqlite:PATH|"postgres:CONNECTION" [--model NAME] [--schema FILE] --out FOLDER</c>:
/// the Api's lead store as a standard history folder.</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var store = new Option<string>("--store") { Description = "The Api's lead store: sqlite:PATH or \"postgres:Host=…;Database=…;Username=…;Password=…\"", Required = true };
        var model = new Option<string?>("--model") { Description = "The scoring model whose leads to export (needed when the store holds several)" };
        var schema = new Option<string?>("--schema") { Description = "A schema whose column types, negative values, horizon and split the export keeps" };
        var output = new Option<string>("--out") { Description = "Folder to write leads.csv, events.csv and leadml.json to", Required = true };
        var command = new Command("export", "Write the leads, events and conversions the Api stored as a history folder (leads.csv, events.csv, leadml.json)")
        {
            store, model, schema, output,
        };
        command.SetAction(r => CommandErrors.Run(() =>
        {
            var result = StoreHistory.Export(r.GetValue(store)!, r.GetValue(model), r.GetValue(output)!, r.GetValue(schema));
            AnsiConsole.MarkupLine($"Model [bold]{Markup.Escape(result.Model)}[/]: {result.Leads:N0} leads ({result.Conversions:N0} converted), {result.Events:N0} events, " +
                $"{result.Columns.Count} attribute columns written to [bold]{Markup.Escape(result.Folder)}[/]");
            return CommandErrors.Ok;
        }));
        return command;
    }
}
