using System.Globalization;

namespace LeadML.Features.Featurization;

/// <summary>
/// The one place where feature names are built. Names are stable identifiers used in bundles, rule-set conditions,
/// truth files and reports:
/// <list type="bullet">
/// <item><c>attr.{column}={value}</c> — a category level (one-hot); <c>attr.{column}=(other)</c> pools rare levels,
/// <c>attr.{column}=(missing)</c> marks empty values.</item>
/// <item><c>attr.{column}</c> — a number, a flag (1/0), or for a date column the days from the date to the cut-off.</item>
/// <item><c>evt.{type}.count_{w}d</c> and <c>evt.{type}[{detail}].count_{w}d</c> — events in the last w days
/// (w = 7, 30, 90, 365).</item>
/// <item><c>evt.{type}.days_since_last</c> (and with [detail]) — days since the last such event; missing if none.</item>
/// <item><c>evt.{type}.ever</c> — 1 if the lead ever had such an event before the cut-off (used for negative
/// signals such as <c>unsubscribe</c>).</item>
/// <item><c>evt.{type}.trend</c> — events in the last 30 days minus the monthly average of the 60 days before.</item>
/// <item><c>act.active_days_{w}d</c> — distinct days with any activity in the last w days (w = 30, 90).</item>
/// <item><c>act.days_since_last</c> — days since the last activity of any kind (inactivity); missing if none.</item>
/// <item><c>act.email_click_rate_90d</c> — email clicks per email open over 90 days; missing without opens.</item>
/// <item><c>lead.age_days</c> — days from the lead's creation to the cut-off.</item>
/// </list>
/// </summary>
public static class FeatureNames
{
    /// <summary>The count windows, in days.</summary>
    public static readonly int[] CountWindows = [7, 30, 90, 365];

    /// <summary>The active-day windows, in days.</summary>
    public static readonly int[] ActiveDayWindows = [30, 90];

    public const string OtherLevel = "(other)";
    public const string MissingLevel = "(missing)";

    public static string Category(string column, string level) => $"attr.{column}={level}";

    public static string Attribute(string column) => $"attr.{column}";

    public static string Channel(string type, string? detail) => detail is null ? $"evt.{type}" : $"evt.{type}[{detail}]";

    public static string Count(string type, string? detail, int days) =>
        $"{Channel(type, detail)}.count_{days.ToString(CultureInfo.InvariantCulture)}d";

    public static string DaysSinceLast(string type, string? detail) => $"{Channel(type, detail)}.days_since_last";

    public static string Ever(string type) => $"evt.{type}.ever";

    public static string Trend(string type, string? detail) => $"{Channel(type, detail)}.trend";

    public static string ActiveDays(int days) => $"act.active_days_{days.ToString(CultureInfo.InvariantCulture)}d";

    public const string DaysSinceLastActivity = "act.days_since_last";

    public const string EmailClickRate = "act.email_click_rate_90d";

    public const string LeadAge = "lead.age_days";
}
