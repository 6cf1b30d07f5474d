using System.Text.Json;

namespace LeadML.Api.Hosting;

/// <summary>
/// The one rule for every date a request body sends: an ISO 8601 date and time with a time zone (<c>Z</c> or an
/// offset), in 1900 or later. A time without a zone or a date alone would be read in some zone the client did not
/// choose, hours away from what it meant; a year before 1900 is a typo, not a lead's history.
/// </summary>
internal static class StrictDate
{
    /// <summary>The earliest year a date may have.</summary>
    public const int MinYear = 1900;

    /// <summary>What a date field takes, in the sender's words.</summary>
    public const string Form = "an ISO 8601 date and time with a time zone, e.g. 2025-11-20T10:00:00Z";

    /// <summary>What is wrong with a value that is not a date at all.</summary>
    public const string Expected = "must be " + Form;

    /// <summary>Why a date sent as text (a query value) cannot be used, by the same rule as a body's date; null when it
    /// can.</summary>
    public static string? Check(string text)
    {
        // The text as the JSON string a body would send, so that exactly the same forms are read.
        var json = JsonSerializer.SerializeToUtf8Bytes(text);
        var reader = new Utf8JsonReader(json);
        reader.Read();
        return Read(ref reader, out _);
    }

    /// <summary>Reads the current token as a date; null when it is one, else why not (the token is consumed either
    /// way). A JSON null is read as no date.</summary>
    public static string? Read(ref Utf8JsonReader reader, out DateTimeOffset? value)
    {
        value = null;
        if (reader.TokenType == JsonTokenType.Null) return null;
        if (reader.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            return Expected;
        }
        if (!reader.TryGetDateTimeOffset(out var date) || !reader.TryGetDateTime(out var kind)) return Expected;
        var text = reader.GetString()!;
        if (!text.Contains('T', StringComparison.OrdinalIgnoreCase))
        {
            return $"'{text}' is a date without a time; send a date and time with a time zone, e.g. {text}T00:00:00Z";
        }
        if (kind.Kind == DateTimeKind.Unspecified) return $"'{text}' has no time zone; add Z for UTC or an offset such as +01:00";
        if (date.Year < MinYear) return $"'{text}' is before {MinYear}";
        value = date;
        return null;
    }
}
