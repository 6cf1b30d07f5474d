using System.Globalization;
using LeadML.Features.Rules;

namespace LeadML.Trainer.Points;

/// <summary>How the sales-ready threshold is chosen: a target precision, a sales capacity, or a share of leads.</summary>
internal sealed record ThresholdOptions
{
    /// <summary>Lowest score whose sales-ready leads convert at least at this rate (e.g. 0.3).</summary>
    public double? TargetPrecision { get; init; }
    /// <summary>Lowest score that sends at most this many leads per month to sales.</summary>
    public double? CapacityPerMonth { get; init; }
    /// <summary>Used when neither is given: about this share of leads is sales-ready.</summary>
    public double DefaultShare { get; init; } = 0.10;
}

/// <summary>The suggested threshold, grade bands and hysteresis, and why.</summary>
internal sealed record ThresholdSuggestion(Thresholds Thresholds, IReadOnlyList<GradeBand> Grades, string Why);

/// <summary>
/// Suggests the sales-ready threshold and grade bands A–D from rule scores on the validation period: A is
/// sales-ready (the threshold is A's lower bound); B, C and D take the next 25 %, 30 % and the rest of leads. The hysteresis margin for "going cold"
/// is the typical month-to-month score change of leads near the threshold, so that ordinary wobble does not alert.
/// </summary>
internal static class ThresholdSuggester
{
    public static ThresholdSuggestion Suggest(double[] scores, float[] y, DateTime[] cutoff, int[] lead, ThresholdOptions options)
    {
        var n = scores.Length;
        var months = Math.Max(1, cutoff.Select(c => (c.Year, c.Month)).Distinct().Count());
        int Selected(double t) => scores.Count(s => s >= t);
        double Precision(double t)
        {
            int sel = 0, pos = 0;
            for (var i = 0; i < n; i++)
            {
                if (scores[i] < t) continue;
                sel++;
                if (y[i] > 0.5f) pos++;
            }
            return sel == 0 ? 0 : (double)pos / sel;
        }

        double threshold;
        string why;
        var c = CultureInfo.InvariantCulture;
        if (options.TargetPrecision is { } target)
        {
            var candidates = Enumerable.Range(1, 100).Where(t => Selected(t) >= 10).ToList();
            var hit = candidates.FirstOrDefault(t => Precision(t) >= target, -1);
            threshold = hit >= 0 ? hit : candidates.Count == 0 ? 50 : candidates.MaxBy(t => Precision(t));
            why = hit >= 0
                ? string.Create(c, $"lowest score whose leads converted at least at the target {target:P0} on the validation period ({Precision(threshold):P1})")
                : string.Create(c, $"no score reaches the target precision {target:P0}; this is the most precise score with at least 10 leads ({Precision(threshold):P1})");
        }
        else if (options.CapacityPerMonth is { } capacity)
        {
            threshold = Enumerable.Range(0, 101).FirstOrDefault(t => Selected(t) / (double)months <= capacity, 100);
            why = string.Create(c, $"lowest score that sends at most {capacity:0.#} leads a month to sales ({Selected(threshold) / (double)months:0.#} on the validation period)");
        }
        else
        {
            threshold = Enumerable.Range(0, 101).FirstOrDefault(t => Selected(t) <= options.DefaultShare * n, 100);
            why = string.Create(c, $"lowest score reached by at most {options.DefaultShare:P0} of leads on the validation period ({Selected(threshold) / (double)Math.Max(1, n):P1}; their conversion rate {Precision(threshold):P1})");
        }

        var shareA = n == 0 ? 0 : Selected(threshold) / (double)n;
        var b = Math.Min(threshold - 1, Enumerable.Range(0, 101).FirstOrDefault(t => Selected(t) <= (shareA + 0.25) * n, 0));
        var cMin = Math.Min(b - 1, Enumerable.Range(0, 101).FirstOrDefault(t => Selected(t) <= (shareA + 0.55) * n, 0));
        b = Math.Max(b, 2);
        cMin = Math.Clamp(cMin, 1, b - 1);
        // The sales-ready threshold is grade A's lower bound; a band that would not lie below it (a threshold of 0–2) is left out.
        List<GradeBand> grades =
        [
            new("A", threshold, "sales-ready: pass to sales"),
            .. new GradeBand[] { new("B", b, "warm: nurture actively"), new("C", cMin, "lukewarm: nurture"), new("D", 0, "cold: low priority") }
                .Where(g => g.MinScore < threshold),
        ];
        var hysteresis = Hysteresis(scores, cutoff, lead, threshold);
        return new ThresholdSuggestion(new Thresholds(threshold, hysteresis), grades, why);
    }

    /// <summary>Median absolute change between consecutive snapshots of the same lead near the threshold, 3–15 points.</summary>
    internal static double Hysteresis(double[] scores, DateTime[] cutoff, int[] lead, double threshold)
    {
        var order = Enumerable.Range(0, scores.Length).OrderBy(i => lead[i]).ThenBy(i => cutoff[i]).ToArray();
        var changes = new List<double>();
        for (var k = 1; k < order.Length; k++)
        {
            int a = order[k - 1], b = order[k];
            if (lead[a] != lead[b] || cutoff[a] == cutoff[b]) continue;
            if (Math.Abs(scores[a] - threshold) > 15 && Math.Abs(scores[b] - threshold) > 15) continue;
            changes.Add(Math.Abs(scores[b] - scores[a]));
        }
        if (changes.Count < 10) return 5;
        changes.Sort();
        return Math.Clamp(Math.Round(changes[changes.Count / 2]), 3, 15);
    }
}
