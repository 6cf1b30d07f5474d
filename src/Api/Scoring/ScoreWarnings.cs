using System.Text.Json.Serialization;

namespace LeadML.Api.Scoring;

/// <summary>What was odd in the request; scoring went on regardless.</summary>
public sealed record ScoreWarnings
{
    public IReadOnlyList<string> UnknownAttributes { get; init; } = [];
    public IReadOnlyList<string> MissingAttributes { get; init; } = [];
    public IReadOnlyList<string> UnknownCategories { get; init; } = [];
    public IReadOnlyList<string> InvalidValues { get; init; } = [];
    public int IgnoredEvents { get; init; }
    /// <summary>Why each of the <see cref="IgnoredEvents"/> was ignored, with its path.</summary>
    public IReadOnlyList<IgnoredEvent> IgnoredEventReasons { get; init; } = [];
    public IReadOnlyList<string> UnknownEventTypes { get; init; } = [];

    /// <summary>True when there is nothing to report.</summary>
    [JsonIgnore]
    public bool IsEmpty => UnknownAttributes.Count + MissingAttributes.Count + UnknownCategories.Count + InvalidValues.Count + UnknownEventTypes.Count == 0 && IgnoredEvents == 0;
}
