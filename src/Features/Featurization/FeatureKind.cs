using System.Text.Json.Serialization;

namespace LeadML.Features.Featurization;

/// <summary>What a feature measures, which decides how criteria are built from it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FeatureKind>))]
public enum FeatureKind
{
    /// <summary>A category level, one-hot (1 when the lead has it, else 0).</summary>
    Level,
    /// <summary>A numeric attribute (missing allowed).</summary>
    Number,
    /// <summary>A yes/no attribute or signal: 1 or 0 (missing allowed for attributes).</summary>
    Flag,
    /// <summary>A count of events in a window (0 or more).</summary>
    Count,
    /// <summary>Days since an event or a date (missing when there was none).</summary>
    Recency,
    /// <summary>A ratio or difference of counts (clicks per open, trend).</summary>
    Rate,
}
