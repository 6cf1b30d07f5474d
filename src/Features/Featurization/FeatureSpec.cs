using System.Text.Json.Serialization;
using LeadML.Features.History;

namespace LeadML.Features.Featurization;

/// <summary>How one attribute column is encoded.</summary>
/// <param name="Column">Column name in the leads export.</param>
/// <param name="Type">Its type.</param>
/// <param name="Levels">Category levels kept as their own one-hot feature (others pool into "(other)").</param>
/// <param name="HasOther">Whether an "(other)" feature exists (rare or unseen levels).</param>
/// <param name="HasMissing">Whether a "(missing)" feature exists.</param>
/// <param name="NegativeLevels">Levels the schema marks negative.</param>
public sealed record AttributeEncoding(
    string Column,
    [property: JsonConverter(typeof(JsonStringEnumConverter<ColumnType>))] ColumnType Type,
    IReadOnlyList<string> Levels,
    bool HasOther,
    bool HasMissing,
    IReadOnlyList<string> NegativeLevels);

/// <summary>An event channel: all events of a type, or those of a type with one frequent detail (a page, a form).</summary>
/// <param name="Type">Event type.</param>
/// <param name="Detail">The detail value, or null for the whole type.</param>
public sealed record EventChannel(string Type, string? Detail);

/// <summary>
/// The feature definitions of one model: which attributes and event channels become which columns of the feature
/// vector. Built once by the trainer from training data, saved in the bundle (<c>features.json</c>), and used by the
/// trainer and the Api alike through <see cref="Featurizer"/>, so both compute the very same vector.
/// </summary>
public sealed class FeatureSpec
{
    /// <summary>Format version of this document.</summary>
    public int Version { get; init; } = 1;

    /// <summary>Events (snapshots with event features) or a single table (attributes only).</summary>
    [JsonConverter(typeof(JsonStringEnumConverter<HistoryKind>))]
    public HistoryKind Kind { get; init; }

    public required IReadOnlyList<AttributeEncoding> Attributes { get; init; }

    /// <summary>Event channels; empty for single tables.</summary>
    public required IReadOnlyList<EventChannel> Channels { get; init; }

    /// <summary>Event types treated as negative signals (they get an <c>ever</c> flag).</summary>
    public required IReadOnlyList<string> NegativeEventTypes { get; init; }

    /// <summary>The feature vector's columns, in order.</summary>
    public required IReadOnlyList<FeatureDefinition> Features { get; init; }

    /// <summary>Position of a feature by name, or -1.</summary>
    public int IndexOf(string name)
    {
        _index ??= BuildIndex();
        return _index.TryGetValue(name, out var i) ? i : -1;
    }

    private Dictionary<string, int>? _index;

    private FeatureLayout.Step[]? _steps;

    /// <summary>How each column is computed (what it reads and over which window), derived once from the attributes
    /// and channels; the sentences of <see cref="Rules.CriterionText"/> read it.</summary>
    internal FeatureLayout.Step[] Steps =>
        _steps ??= [.. FeatureLayout.Build(Kind, Attributes, Channels, NegativeEventTypes).Steps];

    private Dictionary<string, int> BuildIndex()
    {
        var index = new Dictionary<string, int>(Features.Count, StringComparer.Ordinal);
        for (var i = 0; i < Features.Count; i++) index[Features[i].Name] = i;
        return index;
    }
}
