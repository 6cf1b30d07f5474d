using System.Globalization;
using System.Text.RegularExpressions;
using LeadML.Features.Bundles;

namespace LeadML.Features.Evaluation;

/// <summary>
/// Whether the conversion rate moves across a history: the rate of its earliest third of rows against its latest
/// third (whole periods, in time order). A calibration fitted on the past carries the past's rate, so when the rate
/// moves the probabilities drift with it until the bundle is recalibrated on recent outcomes.
/// </summary>
public static partial class RateTrends
{
    /// <summary>The late rate must differ from the early one by at least this share of it.</summary>
    public const double MinRelativeChange = 0.25;

    /// <summary>…and by at least this many standard errors (two-proportion z).</summary>
    public const double MinZ = 4;

    /// <summary>The trend of <paramref name="periods"/> (time order); null with fewer than three periods or no rows.</summary>
    /// <param name="periods">Conversion rates per period, oldest first.</param>
    /// <param name="what">What the rows are, in words, for the message (default "lead snapshots").</param>
    public static RateTrend? Measure(IReadOnlyList<PeriodRate> periods, string what = "lead snapshots")
    {
        ArgumentNullException.ThrowIfNull(periods);
        var total = periods.Sum(p => p.Rows);
        if (periods.Count < 3 || total == 0) return null;
        // Whole periods from each end until a third of the rows, so that neither end is split.
        var early = Take(periods, total / 3.0);
        var late = Take([.. Enumerable.Reverse(periods)], total / 3.0);
        late.Reverse();
        if (early.Count + late.Count > periods.Count) return null;
        var a = Span(early);
        var b = Span(late);
        var pooled = (double)(a.Positives + b.Positives) / (a.Rows + b.Rows);
        var se = Math.Sqrt(pooled * (1 - pooled) * (1.0 / a.Rows + 1.0 / b.Rows));
        var z = se > 0 ? (b.Rate - a.Rate) / se : 0;
        var relative = a.Rate > 0 ? Math.Abs(b.Rate - a.Rate) / a.Rate : b.Rate > 0 ? double.PositiveInfinity : 0;
        var moving = relative >= MinRelativeChange && Math.Abs(z) >= MinZ;
        var c = CultureInfo.InvariantCulture;
        var figures = string.Create(c, $"{a.Rate:0.0%} of {what} converted in {a.Label} and {b.Rate:0.0%} in {b.Label}");
        var message = moving
            ? $"conversion rates are moving: {figures}. Probabilities are calibrated on the rates of the periods the model learnt from; when outcomes come back at another rate, recalibrate on them (leadml recalibrate, or POST /admin/models/{{name}}/recalibrate)"
            : $"conversion rates are steady: {figures}";
        return new RateTrend(a, b, Math.Round(z, 2), moving, message);
    }

    private static List<PeriodRate> Take(IReadOnlyList<PeriodRate> periods, double rows)
    {
        var taken = new List<PeriodRate>();
        var sum = 0;
        foreach (var p in periods)
        {
            if (sum >= rows) break;
            taken.Add(p);
            sum += p.Rows;
        }
        return taken;
    }

    private static RateSpan Span(List<PeriodRate> periods)
    {
        var rows = periods.Sum(p => p.Rows);
        var positives = periods.Sum(p => p.Positives);
        return new RateSpan(Label(Name(periods[0]), Name(periods[^1])), rows, positives, rows == 0 ? 0 : Math.Round((double)positives / rows, 6));
    }

    private static string Name(PeriodRate p) =>
        p.Label ?? p.Cutoff?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? p.Period;

    /// <summary>"rows 1–200" and "rows 801–1,000" become "rows 1–1,000"; other names "first – last".</summary>
    internal static string Label(string first, string last)
    {
        if (first == last) return first;
        var a = RowRange().Match(first);
        var b = RowRange().Match(last);
        return a.Success && b.Success ? $"rows {a.Groups[1].Value}–{b.Groups[2].Value}" : $"{first} – {last}";
    }

    [GeneratedRegex(@"^rows ([\d,]+)–([\d,]+)$")]
    private static partial Regex RowRange();
}
