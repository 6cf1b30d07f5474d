using LeadML.Features.Bundles;
using LeadML.Features.Featurization;
using LeadML.Features.Monitoring;

namespace LeadML.Trainer.Evaluation;

/// <summary>
/// Population stability index (PSI) of features between a reference period and a current one, compared like with
/// like: snapshots at later cut-offs are older leads on average (a lead stays in the snapshots until it converts), so
/// every activity and "days since" feature moves with the calendar even when leads do not change. The current rows
/// are therefore weighted to the reference's distribution of lead age before their PSI is taken; lead age itself,
/// and features read from dates or from the column that orders rows in time, shift by construction and are marked
/// expected.
/// </summary>
internal static class Drift
{
    public const double ModerateFrom = PsiBins.ModerateFrom;

    public const double SignificantFrom = PsiBins.SignificantFrom;

    /// <summary>The band of a calendar-driven feature, whatever its PSI.</summary>
    public const string Expected = "expected";

    /// <summary>Lead-age strata for the comparison at equal lead age.</summary>
    private const int AgeBins = 20;

    /// <summary>PSI of <paramref name="current"/> against bins fixed on <paramref name="reference"/> (see <see cref="PsiBins"/>).</summary>
    public static double Psi(ReadOnlySpan<float> reference, ReadOnlySpan<float> current, int bins = 10)
    {
        if (reference.IsEmpty || current.IsEmpty)
        {
            throw new ArgumentException($"PSI needs values in both periods (reference {reference.Length}, current {current.Length})");
        }
        return PsiBins.From(reference, bins).Psi(current);
    }

    public static string Band(double psi) => PsiBins.Band(psi);

    /// <summary>Each feature's drift between row-major <paramref name="reference"/> and <paramref name="current"/> rows
    /// (<paramref name="width"/> features each, named by <paramref name="names"/>): at equal lead age when the rows
    /// have a lead age that varies, with the unadjusted PSI beside it; the features named in
    /// <paramref name="calendar"/> (and lead age) get the band <see cref="Expected"/>.</summary>
    public static List<FeatureDrift> Compare(IReadOnlyList<string> names, ReadOnlySpan<float> reference, ReadOnlySpan<float> current, int width, IReadOnlyDictionary<string, string> calendar)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(calendar);
        var nRef = reference.Length / width;
        var nCur = current.Length / width;
        var result = new List<FeatureDrift>(width);
        if (nRef == 0 || nCur == 0) return result;
        var weights = AgeWeights(names, reference, current, width);
        var refColumn = new float[nRef];
        var curColumn = new float[nCur];
        for (var j = 0; j < width; j++)
        {
            for (var i = 0; i < nRef; i++) refColumn[i] = reference[i * width + j];
            for (var i = 0; i < nCur; i++) curColumn[i] = current[i * width + j];
            var bins = PsiBins.From(refColumn);
            var raw = bins.Psi(curColumn);
            var psi = raw;
            if (weights is not null)
            {
                var counts = new double[bins.Count];
                for (var i = 0; i < nCur; i++) counts[bins.BinOf(curColumn[i])] += weights[i];
                psi = bins.Psi(counts);
            }
            var why = names[j] == FeatureNames.LeadAge
                ? "later cut-offs see older leads: a lead stays in the snapshots until it converts"
                : calendar.GetValueOrDefault(names[j]);
            result.Add(new FeatureDrift(names[j], Math.Round(why is null ? psi : raw, 6), why is null ? Band(psi) : Expected)
            {
                UnadjustedPsi = weights is null || why is not null ? null : Math.Round(raw, 6),
                Expected = why,
            });
        }
        return result;
    }

    /// <summary>Per current row, the weight that gives the current rows the reference's distribution of lead age (null
    /// without a lead age, or when it does not vary, as in single tables).</summary>
    private static double[]? AgeWeights(IReadOnlyList<string> names, ReadOnlySpan<float> reference, ReadOnlySpan<float> current, int width)
    {
        var age = -1;
        for (var j = 0; j < names.Count; j++)
        {
            if (names[j] == FeatureNames.LeadAge) age = j;
        }
        if (age < 0) return null;
        var nRef = reference.Length / width;
        var nCur = current.Length / width;
        var refAges = new float[nRef];
        for (var i = 0; i < nRef; i++) refAges[i] = reference[i * width + age];
        var strata = PsiBins.From(refAges, AgeBins);
        if (strata.Cuts.Length == 0) return null;
        var bin = new int[nCur];
        var curCounts = new double[strata.Count];
        for (var i = 0; i < nCur; i++)
        {
            bin[i] = strata.BinOf(current[i * width + age]);
            curCounts[bin[i]]++;
        }
        var weights = new double[nCur];
        for (var i = 0; i < nCur; i++) weights[i] = strata.Shares[bin[i]] / (curCounts[bin[i]] / nCur);
        return weights;
    }
}
