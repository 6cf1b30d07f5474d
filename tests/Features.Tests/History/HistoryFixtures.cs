namespace LeadML.Features.Tests.History;

/// <summary>A temporary history folder with files written by the test, deleted on dispose.</summary>
internal sealed class TempHistory : IDisposable
{
    public TempHistory()
    {
        Folder = Path.Combine(Path.GetTempPath(), "leadml-history-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
    }

    public string Folder { get; }

    /// <summary>Writes a file (lines joined by \n) and returns its path.</summary>
    public string Write(string name, params string[] lines)
    {
        var path = Path.Combine(Folder, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, string.Join("\n", lines) + (lines.Length > 0 ? "\n" : ""));
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on some platforms; the temp folder is cleaned by the OS.
        }
    }
}

/// <summary>Where the repository and the shared real data sets are.</summary>
internal static class RepoPaths
{
    /// <summary>The folder holding LeadML.sln, found by walking up from the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The shared data folder beside the repository.</summary>
    public static string SharedData => Path.GetFullPath(Path.Combine(Root, "..", "shared", "data"));

    public static string Schema(string name) => Path.Combine(Root, "data", "schemas", name);

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LeadML.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("LeadML.sln not found above " + AppContext.BaseDirectory);
    }
}
