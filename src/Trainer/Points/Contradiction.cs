using System.Globalization;

namespace LeadML.Trainer.Points;

/// <summary>
/// A criterion whose points go against its own conversion rate: negative points for leads who convert more often than
/// all leads do, or positive points for leads who convert less often (e.g. −4 points at 7.0 % where all leads convert at
/// 5.2 %). Points are not a criterion's rate against everyone's: they are relative to its family's reference band (the
/// leads the family gives no points), with the other criteria held fixed. A marketer reading only the rate would take
/// such points for a mistake, so the criterion's description says why, naming the reference band.
/// </summary>
internal static class Contradiction
{
    /// <summary>True when the points and the rate disagree as a person reads them: rates compared as shown, to 0.1 %.</summary>
    public static bool Contradicts(int points, double rate, double baseRate)
    {
        if (points == 0 || !double.IsFinite(rate) || !double.IsFinite(baseRate)) return false;
        var shown = Math.Round(rate * 1000) - Math.Round(baseRate * 1000);
        return points < 0 ? shown > 0 : shown < 0;
    }

    /// <summary>
    /// The sentence that says why, or an empty string when the points do not contradict the rate.
    /// </summary>
    /// <param name="points">The criterion's points.</param>
    /// <param name="rate">The conversion rate of the leads who match it, 0–1.</param>
    /// <param name="baseRate">The conversion rate of all leads of the same period, 0–1.</param>
    /// <param name="reference">The family's reference band in words, as it should read after "reference band, " (labels from
    /// <c>CriterionText</c> in quotes), e.g. <c>“Never viewed /careers”</c>.</param>
    /// <param name="referenceRate">The conversion rate of the reference band's leads, 0–1; null when unknown.</param>
    public static string Why(int points, double rate, double baseRate, string reference, double? referenceRate)
    {
        if (!Contradicts(points, rate, baseRate)) return "";
        var c = CultureInfo.InvariantCulture;
        var negative = points < 0;
        var refText = referenceRate is { } r && double.IsFinite(r) ? string.Create(c, $" ({r:P1} of them converted)") : "";
        var head = string.Create(c,
            $"Why {points:+0;-0} points when these leads convert {(negative ? "more" : "less")} often than all leads ({rate:P1} against {baseRate:P1}): " +
            $"points are relative to the family's reference band, {reference}{refText}, with the other criteria held fixed.");
        var againstReference = referenceRate is { } rr && double.IsFinite(rr) && (negative ? rate < rr : rate > rr);
        var tail = againstReference
            ? $" Against that band these leads convert {(negative ? "less" : "more")} often."
            : negative
                ? " These leads also match other criteria that add points more often than that band does; with those counted, this one on its own makes conversion less likely."
                : " These leads also match other criteria that take points away more often than that band does; with those counted, this one on its own makes conversion more likely.";
        return head + tail;
    }
}
