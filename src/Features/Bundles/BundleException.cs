namespace LeadML.Features.Bundles;

/// <summary>A bundle that cannot be used; the message names the folder and what is wrong.</summary>
public sealed class BundleException(string directory, string problem) : Exception($"model bundle '{directory}' {problem}")
{
    public string BundleDirectory { get; } = directory;
}
