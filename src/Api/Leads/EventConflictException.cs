namespace LeadML.Api.Leads;

/// <summary>An event id the lead already has, sent again with other content: the request is refused (409) at
/// <see cref="Path"/>, since storing either version would silently lose the other.</summary>
public sealed class EventConflictException(string path, string message) : Exception(message)
{
    /// <summary>The JSON path of the conflicting event's id.</summary>
    public string Path { get; } = path;
}
