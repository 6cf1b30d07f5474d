using System.Globalization;

namespace LeadML.Features.Featurization;

/// <summary>The parsing rules for attribute text shared by readers and the Api.</summary>
public static class AttributeText
{
    /// <summary>Empty, NA, N/A, NULL and null mean missing.</summary>
    public static bool IsMissing(string? text) =>
        string.IsNullOrWhiteSpace(text) || text.Trim() is "NA" or "N/A" or "NULL" or "null";

    /// <summary>true/false, yes/no, y/n, 1/0, any case.</summary>
    public static bool TryParseFlag(string text, out bool value)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "true" or "yes" or "y" or "1":
                value = true;
                return true;
            case "false" or "no" or "n" or "0":
                value = false;
                return true;
            default:
                value = false;
                return false;
        }
    }

    /// <summary>A number written invariantly (<c>1234.5</c>, <c>-3</c>, <c>7.5E-05</c>); no thousands separators. It
    /// must be finite within the range of the feature vector's single precision (±3.4E+38): <c>NaN</c>,
    /// <c>Infinity</c> and a number past that range (<c>1e400</c>, <c>1e300</c>) are not numbers, since they would be
    /// scored as ±∞.</summary>
    public static bool TryParseNumber(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && Math.Abs(value) <= float.MaxValue;

    /// <summary>A date in the given .NET custom <paramref name="format"/> (exactly, as UTC), or with no format the rules of
    /// <see cref="TryParseDate(string, out DateTime)"/>.</summary>
    public static bool TryParseDate(string text, string? format, out DateTime utc)
    {
        if (format is null) return TryParseDate(text, out utc);
        if (DateTime.TryParseExact(text.Trim(), format, CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out utc))
        {
            utc = DateTime.SpecifyKind(utc, DateTimeKind.Utc);
            return true;
        }
        return false;
    }

    /// <summary>ISO 8601 dates and date-times (an offset or Z converts to UTC; none means UTC).</summary>
    public static bool TryParseDate(string text, out DateTime utc)
    {
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var dto))
        {
            utc = dto.UtcDateTime;
            return true;
        }
        utc = default;
        return false;
    }
}
