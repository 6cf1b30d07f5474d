namespace LeadML.Features.Featurization;

/// <summary>A lead's attribute values aligned with <see cref="FeatureSpec.Attributes"/>: categories and flags
/// ("true"/"false") as text, numbers as doubles, dates as <see cref="Featurizer.DayNumber"/>; missing = null / NaN.</summary>
public readonly record struct AttributeValues(string?[] Categories, double[] Numbers);
