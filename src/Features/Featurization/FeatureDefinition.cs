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

/// <summary>Whether a feature describes who the lead is (explicit, fit) or what the lead does (implicit, engagement).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CriterionGroup>))]
public enum CriterionGroup
{
    Fit,
    Engagement,
}

/// <summary>One column of the feature vector. Names follow <see cref="FeatureNames"/>.</summary>
/// <param name="Name">Stable identifier, e.g. <c>evt.page_view[/pricing].count_30d</c>.</param>
/// <param name="Kind">What it measures.</param>
/// <param name="Group">Fit (explicit) or engagement (implicit).</param>
/// <param name="Label">Plain-language label for marketers, e.g. "pricing page visits in the last 30 days".</param>
/// <param name="Negative">True when the schema marks it as a negative signal (negative category or event type).</param>
public sealed record FeatureDefinition(string Name, FeatureKind Kind, CriterionGroup Group, string Label, bool Negative = false);
