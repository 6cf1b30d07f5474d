namespace LeadML.Features.Featurization;

/// <summary>Settings for choosing which categories and event details become features.</summary>
public sealed record FeatureSpecOptions
{
    /// <summary>A category level needs at least this many leads to be its own feature (default 20)…</summary>
    public int MinLevelCount { get; init; } = 20;
    /// <summary>…and at least this share of leads (default 0.002).</summary>
    public double MinLevelShare { get; init; } = 0.002;
    /// <summary>At most this many levels per column (the most frequent; default 40).</summary>
    public int MaxLevels { get; init; } = 40;
    /// <summary>An event type needs this many events to be a channel (default 20).</summary>
    public int MinTypeEvents { get; init; } = 20;
    /// <summary>A detail needs this many events (default 50)…</summary>
    public int MinDetailEvents { get; init; } = 50;
    /// <summary>…and this share of its type's events (default 0.01).</summary>
    public double MinDetailShare { get; init; } = 0.01;
    /// <summary>At most this many details per type (default 12).</summary>
    public int MaxDetailsPerType { get; init; } = 12;
    /// <summary>An event type or detail whose converted leads' events come at or after the conversion for at least
    /// this share (default 0.8) gets no feature: snapshots see a lead only before it converts, so its features would
    /// be dead (see <see cref="EventCatalog.PostConversion"/>).</summary>
    public double PostConversionShare { get; init; } = 0.8;
    /// <summary>…judged from at least this many converted leads' events (default 20).</summary>
    public int MinPostConversionEvents { get; init; } = 20;
}
