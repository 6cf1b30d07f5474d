namespace LeadML.Trainer.Tests.Snapshots;

/// <summary>A hand-made history in a temporary folder: <c>leads.csv</c>, <c>events.csv</c> and optionally
/// <c>leadml.json</c>, deleted on dispose. Without leads it is an empty folder for a generator to fill.</summary>
internal sealed class TinyHistory : IDisposable
{
    public TinyHistory(string? leadsCsv = null, string? eventsCsv = null, string? schemaJson = null)
    {
        Folder = Path.Combine(Path.GetTempPath(), $"leadml-tiny-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Folder);
        if (leadsCsv is not null) File.WriteAllText(Path.Combine(Folder, "leads.csv"), leadsCsv);
        if (eventsCsv is not null) File.WriteAllText(Path.Combine(Folder, "events.csv"), eventsCsv);
        if (schemaJson is not null) File.WriteAllText(Path.Combine(Folder, "leadml.json"), schemaJson);
    }

    public string Folder { get; }

    public void Dispose()
    {
        if (Directory.Exists(Folder)) Directory.Delete(Folder, recursive: true);
    }
}
