using Spectre.Console;

namespace LeadML.Trainer.Store;

/// <summary>A store's history exported to a temporary folder for one command, removed on dispose.</summary>
internal sealed class StoreFolder : IDisposable
{
    private StoreFolder(string path) => Path = path;

    /// <summary>The exported history folder.</summary>
    public string Path { get; }

    /// <summary>Exports the store named by <paramref name="history"/>, or returns null when it names a folder or file.</summary>
    public static StoreFolder? For(string history, string? model, string? baseSchema, IAnsiConsole? console = null)
    {
        if (!StoreHistory.IsStore(history)) return null;
        var folder = new StoreFolder(Directory.CreateTempSubdirectory("leadml-store-history-").FullName);
        try
        {
            var r = StoreHistory.Export(history, model, folder.Path, baseSchema);
            console?.MarkupLine($"[grey]Exported model {Markup.Escape(r.Model)} from the store: {r.Leads:N0} leads ({r.Conversions:N0} converted), {r.Events:N0} events[/]");
            return folder;
        }
        catch
        {
            folder.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(Path)) Directory.Delete(Path, true);
    }
}
