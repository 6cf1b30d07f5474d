namespace LeadML.Api.Leads;

/// <summary>An event id the lead already has, sent again with other content: the request is refused (409) at
/// <see cref="Path"/>, since storing either version would silently lose the other.</summary>
public sealed class EventConflictException(string path, string message) : Exception(message)
{
    /// <summary>When the Api answers this, as its OpenAPI document says.</summary>
    public const string When = "an eventId the lead already has is sent with another type, timestamp or detail; nothing of the request is stored";

    /// <summary>The JSON path of the conflicting event's id.</summary>
    public string Path { get; } = path;
}
