using System.ComponentModel.DataAnnotations;

namespace LeadML.Api.Store;

/// <summary>Which database keeps leads, events, score history, alerts and rule sets (section <c>LeadML:Store</c>).</summary>
public sealed class StoreOptions
{
    public const string Section = "LeadML:Store";

    /// <summary><c>sqlite</c> (default: one file, one Api process), <c>postgres</c> (several Api processes on one
    /// database) or <c>none</c> (scoring only: no lead state, rule sets in memory).</summary>
    [RegularExpression("(?i)^(sqlite|postgres|none)$", ErrorMessage = "LeadML:Store:Provider must be sqlite, postgres or none")]
    public string Provider { get; set; } = "sqlite";

    /// <summary>The SQLite file; relative paths are relative to the content root. Default <c>leadml.db</c>.</summary>
    public string Path { get; set; } = "leadml.db";

    /// <summary>The SQLite file as a full path: <see cref="Path"/>, relative to <paramref name="contentRoot"/> when it is
    /// not rooted.</summary>
    public string SqlitePath(string contentRoot) => System.IO.Path.IsPathRooted(Path) ? Path : System.IO.Path.Combine(contentRoot, Path);

    /// <summary>The PostgreSQL connection string (<c>Host=…;Port=…;Database=…;Username=…;Password=…</c>).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>SQLite <c>synchronous</c> level: FULL (default: an acknowledged write survives a power cut) or NORMAL
    /// (survives a process crash only; faster).</summary>
    [RegularExpression("(?i)^(full|normal)$", ErrorMessage = "LeadML:Store:Synchronous must be FULL or NORMAL")]
    public string Synchronous { get; set; } = "FULL";
}
