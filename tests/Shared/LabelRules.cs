using System.Text.RegularExpressions;

namespace LeadML.Tests.Shared;

/// <summary>What a label a person reads must be: a sentence that starts with a capital (or a page path), with no
/// feature id, no long decimal and no code for a missing value.</summary>
public static partial class LabelRules
{
    public static bool IsSentence(string text, out string why)
    {
        why = "";
        if (string.IsNullOrWhiteSpace(text)) why = "is empty";
        else if (!char.IsUpper(text[0]) && text[0] != '/') why = "does not start with a capital";
        else if (FeatureId().IsMatch(text)) why = "holds a feature id";
        else if (LongDecimal().IsMatch(text)) why = "holds a long decimal";
        else if (MissingCode().IsMatch(text)) why = "holds a missing value's code";
        return why.Length == 0;
    }

    [GeneratedRegex(@"\b(attr|evt|act|lead)\.[a-z_]|\.(count_|days_since|ever\b|trend\b)|=")]
    private static partial Regex FeatureId();

    [GeneratedRegex(@"\d\.\d{3,}")]
    private static partial Regex LongDecimal();

    [GeneratedRegex(@"\b(null|NaN|Infinity)\b|∞")]
    private static partial Regex MissingCode();
}
