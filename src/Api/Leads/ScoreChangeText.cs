using System.Globalization;
using LeadML.Api.Store;
using LeadML.Features.Rules;

namespace LeadML.Api.Leads;

/// <summary>
/// A score change's cause in a marketer's words, written on each read (so entries recorded before causes were kept
/// read from their reason alone): events as <see cref="CriterionText.Event"/> phrases, attributes by their names in
/// words, versions as the Api names them. Never a feature id.
/// </summary>
public static class ScoreChangeText
{
    /// <summary>The most events one description names; the rest are counted.</summary>
    private const int ShownEvents = 5;

    public static string Describe(ScoreChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var c = change.Cause;
        return change.Reason switch
        {
            ScoreReasons.Event => Events(c),
            ScoreReasons.Attributes => Attributes(c),
            ScoreReasons.Rescoring => c?.PreviouslyScoredAt is { } before
                ? $"Time passed: scored again {Span(change.At - before.UtcDateTime)} after its last score, as its events aged"
                : "Time passed: scored again as its events aged",
            ScoreReasons.RescoringAsOf => c?.RequestedAt is { } asked
                ? $"Time moved forward for a test: an administrator rescored it as of {Day(change.At)} (asked on {Day(asked.UtcDateTime)})"
                : $"Time moved forward for a test: an administrator rescored it as of {Day(change.At)}",
            ScoreReasons.NewRuleSet => $"Rule set {Version(change.RuleSetVersion)} put in force"
                + (c?.PreviousRuleSetVersion is { } rv ? $", replacing {Version(rv)}" : ""),
            ScoreReasons.NewModel => $"Model {change.ModelVersion} put in force" + (c?.PreviousModelVersion is { } mv ? $", replacing {mv}" : ""),
            ScoreReasons.Conversion => c?.ConvertedAt is { } at ? $"Converted on {Day(at.UtcDateTime)}: no longer rescored nor alerted on" : "Converted: no longer rescored nor alerted on",
            ScoreReasons.ConversionUndone => c?.ConvertedAt is { } was ? $"Its conversion of {Day(was.UtcDateTime)} was undone" : "Its conversion was undone",
            _ => change.Reason,
        };
    }

    private static string Events(ScoreCause? c)
    {
        if (c?.Events is not { Count: > 0 } events) return "New events";
        var texts = events.Select(e => e.Text).Distinct(StringComparer.Ordinal).ToList();
        var shown = string.Join("; ", texts.Take(ShownEvents));
        var total = c.EventCount ?? events.Count;
        var named = Math.Min(texts.Count, ShownEvents);
        // Distinct texts hide repeats: say how many events there were when the phrases do not.
        return total > named ? $"{shown} ({total} new events)" : shown;
    }

    private static string Attributes(ScoreCause? c)
    {
        if (c?.Attributes is not { } changes) return "The lead's attributes were sent";
        if (c.NewLead == true)
        {
            return changes.Count == 0 ? "New lead, without attributes" : $"New lead: {List(changes.Select(a => a.Label))} given";
        }
        var parts = new List<string>();
        foreach (var (change, word) in new[] { (AttributeChange.Changed, "changed"), (AttributeChange.Set, "given"), (AttributeChange.Removed, "removed") })
        {
            var names = changes.Where(a => a.Change == change).Select(a => a.Label).ToList();
            if (names.Count > 0) parts.Add($"{List(names)} {word}");
        }
        if (c.CreatedAtChanged == true) parts.Add("creation date changed");
        if (parts.Count == 0) return "The lead's attributes were sent again, unchanged";
        var text = string.Join("; ", parts);
        return char.ToUpperInvariant(text[0]) + text[1..];
    }

    private static string List(IEnumerable<string> names)
    {
        var all = names.ToList();
        return all.Count <= 1 ? string.Concat(all) : $"{string.Join(", ", all.Take(all.Count - 1))} and {all[^1]}";
    }

    private static string Version(string version) => version == "suggested" ? "the suggested points" : version;

    private static string Day(DateTime t) => t.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static string Span(TimeSpan t) => t.TotalDays >= 2 ? $"{Math.Floor(t.TotalDays):0} days"
        : t.TotalHours >= 2 ? $"{Math.Floor(t.TotalHours):0} hours"
        : $"{Math.Max(0, Math.Floor(t.TotalMinutes)):0} minutes";
}
