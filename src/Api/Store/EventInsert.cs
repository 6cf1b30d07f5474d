namespace LeadML.Api.Store;

/// <summary>What storing one event did.</summary>
public enum EventInsert
{
    /// <summary>The lead had no event with this id: stored.</summary>
    Added,
    /// <summary>The lead already has this event, with the same content: nothing changes (a resent event).</summary>
    Duplicate,
    /// <summary>The lead already has an event with this id but other content: nothing may be stored.</summary>
    Conflict,
}
