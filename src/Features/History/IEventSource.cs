namespace LeadML.Features.History;

/// <summary>A source of events that can be read several times, each time streamed from its origin (a file, a store),
/// so memory does not grow with the number of events.</summary>
public interface IEventSource
{
    /// <summary>Streams every event once, in file order (not necessarily time order). Bad rows either throw a
    /// <see cref="HistoryFormatException"/> or are counted in <paramref name="report"/> when skipping them is safe.</summary>
    IEnumerable<LeadEvent> ReadEvents(ReadReport report);
}
