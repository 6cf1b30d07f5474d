using LeadML.Features.History;

namespace LeadML.Features.Featurization;

/// <summary>What one streaming pass over the events finds: counts per type and per (type, detail), and the time
/// span. Memory grows with the number of distinct types and details, not events.</summary>
public sealed class EventCatalog
{
    private readonly Dictionary<string, long> _types = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Type, string Detail), long> _details = [];
    private readonly IReadOnlyList<Lead>? _leads;
    private readonly Dictionary<(string Type, string? Detail), (long Before, long After)> _converted = [];

    /// <summary>A catalog of counts only.</summary>
    public EventCatalog()
    {
    }

    /// <summary>A catalog that also counts, per type and detail, the events of converted <paramref name="leads"/>
    /// before and after their conversion (see <see cref="PostConversion"/>).</summary>
    /// <param name="leads">The history's leads, indexed as <see cref="LeadEvent.LeadIndex"/>.</param>
    public EventCatalog(IReadOnlyList<Lead> leads) => _leads = leads;

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
        if (_leads is not null && (uint)e.LeadIndex < (uint)_leads.Count && _leads[e.LeadIndex].ConvertedAt is { } converted)
        {
            var after = e.Timestamp >= converted;
            Tally((e.Type, null), after);
            if (e.Detail is not null) Tally((e.Type, e.Detail), after);
        }
    }

    private void Tally((string, string?) key, bool after)
    {
        var (before, later) = _converted.GetValueOrDefault(key);
        _converted[key] = after ? (before, later + 1) : (before + 1, later);
    }

    /// <summary>Event types, and details of the other types, that on converted leads come mostly at or after the
    /// conversion (logins, paid invoices): their features would be dead, since a lead's snapshots only see events
    /// before it converted. Empty for a catalog built without leads.</summary>
    /// <param name="share">The share of converted leads' events of the kind at or after the conversion from which it
    /// counts (default 0.8).</param>
    /// <param name="minEvents">Converted leads' events of the kind needed to judge (default 20).</param>
    public IReadOnlyList<PostConversionEvents> PostConversion(double share = 0.8, long minEvents = 20)
    {
        bool Mostly((long Before, long After) c) => c.Before + c.After >= minEvents && c.After >= share * (c.Before + c.After);
        var types = _converted.Where(kv => kv.Key.Detail is null && Mostly(kv.Value)).Select(kv => kv.Key.Type).ToHashSet(StringComparer.Ordinal);
        return [.. _converted
            .Where(kv => Mostly(kv.Value) && (kv.Key.Detail is null || !types.Contains(kv.Key.Type)))
            .Select(kv => new PostConversionEvents(kv.Key.Type, kv.Key.Detail, kv.Value.Before, kv.Value.After))
            .OrderBy(p => p.Type, StringComparer.Ordinal).ThenBy(p => p.Detail, StringComparer.Ordinal)];
    }
}

/// <summary>An event type (or one detail of it) that converted leads do mostly after converting.</summary>
/// <param name="Type">The event type.</param>
/// <param name="Detail">The detail, or null for the whole type.</param>
/// <param name="Before">Converted leads' events of this kind before their conversion.</param>
/// <param name="After">Those at or after it.</param>
public sealed record PostConversionEvents(string Type, string? Detail, long Before, long After)
{
    /// <summary>The share of the events at or after the conversion (0–1).</summary>
    public double ShareAfter => Before + After == 0 ? 0 : (double)After / (Before + After);
}
