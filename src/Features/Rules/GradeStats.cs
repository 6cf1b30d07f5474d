namespace LeadML.Features.Rules;

/// <summary>How scored leads fall into a rule set's grades, with the conversion rate of each.</summary>
public static class GradeStats
{
    /// <summary>Per grade: how many leads, what share, how many converted, and leads per month.</summary>
    /// <param name="scores">Rule scores, one per lead snapshot.</param>
    /// <param name="y">Outcomes (1 converted, 0 not), one per score.</param>
    /// <param name="cutoff">Each snapshot's cut-off, to count months.</param>
    /// <param name="grades">The grade bands, highest first; the last takes every lower score.</param>
    /// <param name="disqualified">Per score, whether a knock-out fired: those leads go to the last grade whatever their
    /// score (null: none did).</param>
    public static IReadOnlyList<GradeStat> Of(double[] scores, float[] y, DateTime[] cutoff, IReadOnlyList<GradeBand> grades, bool[]? disqualified = null)
    {
        var months = Math.Max(1, cutoff.Select(c => (c.Year, c.Month)).Distinct().Count());
        var result = new List<GradeStat>();
        for (var g = 0; g < grades.Count; g++)
        {
            var upper = g == 0 ? double.PositiveInfinity : grades[g - 1].MinScore;
            int leads = 0, conv = 0;
            for (var i = 0; i < scores.Length; i++)
            {
                var s = scores[i];
                var last = g == grades.Count - 1;
                var inBand = disqualified is not null && disqualified[i] ? last : s >= grades[g].MinScore && s < upper || (last && s < grades[g].MinScore);
                if (!inBand) continue;
                leads++;
                if (y[i] > 0.5f) conv++;
            }
            result.Add(new GradeStat(grades[g].Grade, grades[g].MinScore, leads, scores.Length == 0 ? 0 : Math.Round((double)leads / scores.Length, 6),
                conv, leads == 0 ? 0 : Math.Round((double)conv / leads, 6), Math.Round(leads / (double)months, 1)));
        }
        return result;
    }
}
