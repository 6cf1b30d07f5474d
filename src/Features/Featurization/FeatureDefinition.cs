namespace LeadML.Features.Featurization;

/// <summary>One column of the feature vector. Names follow <see cref="FeatureNames"/>.</summary>
/// <param name="Name">Stable identifier, e.g. <c>evt.page_view[/pricing].count_30d</c>.</param>
/// <param name="Kind">What it measures.</param>
/// <param name="Group">Fit (explicit) or engagement (implicit).</param>
/// <param name="Label">Plain-language label for marketers, e.g. "pricing page visits in the last 30 days".</param>
/// <param name="Negative">True when the schema marks it as a negative signal (negative category or event type).</param>
public sealed record FeatureDefinition(string Name, FeatureKind Kind, CriterionGroup Group, string Label, bool Negative = false);
