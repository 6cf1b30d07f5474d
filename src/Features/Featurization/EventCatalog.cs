using LeadML.Features.History;

namespace LeadML.Features.Featurization;

/// <summary>What one streaming pass over the events finds: counts per type and per (type, detail), and the time
/// span. Memory grows with the number of distinct types and details, not events.</summary>
public sealed class EventCatalog
{
    private readonly Dictionary<string, long> _types = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Type, string Detail), long> _details = [];

    public long Count { get; private set; }
    public DateTime? First { get; private set; }
    public DateTime? Last { get; private set; }
    public IReadOnlyDictionary<string, long> Types => _types;
    public IReadOnlyDictionary<(string Type, string Detail), long> Details => _details;

    public void Add(in LeadEvent e)
    {
        Count++;
        if (First is null || e.Timestamp < First) First = e.Timestamp;
        if (Last is null || e.Timestamp > Last) Last = e.Timestamp;
        _types[e.Type] = _types.GetValueOrDefault(e.Type) + 1;
        if (e.Detail is not null)
        {
            var key = (e.Type, e.Detail);
            _details[key] = _details.GetValueOrDefault(key) + 1;
        }
    }
}
