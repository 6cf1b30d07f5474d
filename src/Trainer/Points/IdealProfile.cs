using LeadML.Features.Bundles;
using LeadML.Features.Featurization;
using LeadML.Features.Rules;

namespace LeadML.Trainer.Points;

/// <summary>
/// "Who is our ideal prospect?": the criteria most over-represented among converters compared with all leads, on
/// the evaluation data, keeping only traits shared by a meaningful number of converters.
/// </summary>
internal static class IdealProfile
{
    public static IReadOnlyList<ProfileTrait> Build(IReadOnlyList<Criterion> criteria, int leads, int conversions, int max = 8)
    {
        if (leads == 0 || conversions == 0) return [];
        var overall = (double)conversions / leads;
        var minConversions = Math.Max(5, (int)Math.Ceiling(0.02 * conversions));
        return [.. criteria
            // Counts from another period (a level only the training leads had) do not compare with these totals.
            .Where(c => c.Support is { Period: null } s && s.Conversions >= minConversions && s.Leads > 0)
            .Select(c => new ProfileTrait(c.Id, c.Label, c.Group,
                Math.Round(c.Support!.ConversionRate / overall, 3), c.Support.Leads, c.Support.Conversions,
                Math.Round((double)c.Support.Conversions / conversions, 4), Math.Round((double)c.Support.Leads / leads, 4)))
            .Where(t => t.Lift >= 1.2)
            .OrderByDescending(t => t.Lift * Math.Sqrt(t.ShareOfConverters))
            .Take(max)];
    }
}
