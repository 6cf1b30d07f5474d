namespace LeadML.Api.Hosting;

/// <summary>A request that cannot be scored; <see cref="Path"/> is the JSON path of the offending field.</summary>
public sealed class RequestValidationException(string path, string message) : Exception(message)
{
    public string Path { get; } = path;
}
