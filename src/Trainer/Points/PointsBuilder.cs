using System.Globalization;
using System.Text;
using LeadML.Features.Bundles;
using LeadML.Features.Featurization;
using LeadML.Features.Rules;

namespace LeadML.Trainer.Points;

/// <summary>Settings of the suggestion of points.</summary>
internal sealed record PointsOptions
{
    /// <summary>Most criterion families kept (each becomes one to four criteria).</summary>
    public int MaxFamilies { get; init; } = 24;
    /// <summary>Families are kept, most important first, until they cover this share of the total importance.</summary>
    public double Coverage { get; init; } = 0.99;
    /// <summary>Fewest rows a band needs to stand alone; smaller bands merge into a neighbour.</summary>
    public int MinSupport { get; init; } = 40;
    /// <summary>Fewest conversions for a criterion's points to be trusted (else it is marked low support).</summary>
    public int MinConversions { get; init; } = 5;
    /// <summary>Neighbouring bands whose mean contributions differ by less than this (log-odds) merge.</summary>
    public double MergeBelow { get; init; } = 0.08;
    /// <summary>Most criteria in the suggested table (<c>--max-criteria</c>); 0 keeps every band.</summary>
    public int MaxCriteria { get; init; } = 25;
    /// <summary>Least gain in points-only validation ROC-AUC per criterion for a compact table to take one more.</summary>
    public double MinGainPerCriterion { get; init; } = 0.0002;
    /// <summary>Most training + validation rows the compact table's selection ranks and refits
    /// (<c>--points-sample-rows</c>); above it every conversion and a weighted share of the others. 0: every row.</summary>
    public int SelectionRows { get; init; } = 200_000;
    /// <summary>The seed of that sample's draw.</summary>
    public ulong Seed { get; init; } = 42;
}

/// <summary>
/// Rows of an earlier period (training) that hold a category level no evaluation row has, with their labels and the
/// final model's contributions (one column per feature plus the bias), so that level still gets its points. Rows from
/// <paramref name="Leads"/> on are not leads: they are evaluation leads with a level no lead has at all put in (a value
/// known only from later leads, or the pooled "another value"), so that the level's points are what the model gives
/// such a lead; they count for its points, not for its support.
/// </summary>
internal sealed record EarlierRows(float[] X, float[] Y, double[] Contributions, int Leads = int.MaxValue);

/// <summary>The suggested criteria and scale, before thresholds and grades are added.</summary>
/// <param name="FamilyOf">The family (its name in <paramref name="Importance"/>) of each criterion, in order.</param>
internal sealed record SuggestedCriteria(
    IReadOnlyList<Criterion> Criteria, PointsScale Scale, double BasePoints, IReadOnlyList<FamilyImportance> Importance)
{
    public IReadOnlyList<string> FamilyOf { get; init; } = [];

    /// <summary>Each family's reference band (the one that scores 0), by family name: what its criteria's points are
    /// relative to.</summary>
    public IReadOnlyDictionary<string, Condition> ReferenceOf { get; init; } = new Dictionary<string, Condition>();

    /// <summary>Category levels scored like their family's reference (0 points, so no criterion), with their family's name.</summary>
    public IReadOnlyList<(Criterion Level, string Family)> LikeReference { get; init; } = [];
}

/// <summary>
/// Turns the model's contributions (log-odds, one column per feature plus the bias; TreeSHAP for trees, exact for
/// the logistic regression) into criteria with points (design §5). For every criterion family the summed
/// contribution is cut into bands of its most telling feature; a band's points are its mean contribution minus that
/// of the family's most common band (which scores 0), so that the sum over families approximates the model's
/// margin. Log-odds become points in the scorecard convention, <c>points = factor × log-odds</c> with
/// <c>factor = PDO / ln 2</c>; the factor is chosen so that the 2nd to 98th percentile of evaluation leads span 5 to
/// 95 points and no criterion exceeds ±100. A category level the model learnt but no evaluation lead has (a month
/// outside the evaluation period, say) is not left at 0 points: its mean contribution is read on the earlier rows
/// that have it (<see cref="EarlierRows"/>) against the reference level's on the evaluation rows — exact for the
/// logistic regression, whose level contributions are constant — and the criterion is marked low support.
/// </summary>
internal static class PointsBuilder
{
    public static SuggestedCriteria Build(FeatureSpec spec, ReadOnlySpan<float> x, float[] y, double[] contributions, PointsOptions? options = null, EarlierRows? earlier = null)
    {
        var width = spec.Features.Count;
        if (contributions.Length != y.Length * (width + 1))
        {
            throw new ArgumentException($"expected {y.Length} × {width + 1} contributions, got {contributions.Length}", nameof(contributions));
        }
        return Build(spec, x, y, FamilyContributions.Of(spec, y.Length, contributions), options, earlier);
    }

    /// <summary>The same from the contributions summed by family.</summary>
    public static SuggestedCriteria Build(FeatureSpec spec, ReadOnlySpan<float> x, float[] y, FamilyContributions contributions, PointsOptions? options = null, EarlierRows? earlier = null)
    {
        options ??= new PointsOptions();
        var width = spec.Features.Count;
        var rows = y.Length;
        if (contributions.Rows != rows)
        {
            throw new ArgumentException($"expected the contributions of {rows} rows, got {contributions.Rows}", nameof(contributions));
        }
        var earlierRows = earlier?.Y.Length ?? 0;
        if (earlier is not null && (earlier.X.Length != earlierRows * width || earlier.Contributions.Length != earlierRows * (width + 1)))
        {
            throw new ArgumentException($"expected {earlierRows} × {width} earlier values and {earlierRows} × {width + 1} contributions", nameof(earlier));
        }
        var families = Families.Of(spec);
        var phi = contributions.Phi;
        var earlierPhi = new double[families.Count][];
        var importance = new double[families.Count];
        for (var f = 0; f < families.Count; f++)
        {
            var p = phi[f];
            var mean = rows == 0 ? 0 : p.Average();
            importance[f] = rows == 0 ? 0 : p.Average(v => Math.Abs(v - mean));
            var e = earlierPhi[f] = new double[earlierRows];
            foreach (var j in families[f].Features)
            {
                for (var i = 0; i < earlierRows; i++) e[i] += earlier!.Contributions[i * (width + 1) + j];
            }
        }
        var total = importance.Sum();
        var order = Enumerable.Range(0, families.Count).OrderByDescending(f => importance[f]).ToList();
        var kept = new List<int>();
        var covered = 0.0;
        foreach (var f in order)
        {
            if (kept.Count >= options.MaxFamilies || (total > 0 && covered / total >= options.Coverage) || importance[f] <= 0) break;
            kept.Add(f);
            covered += importance[f];
        }
        // Negative signals (unsubscribes, bounces, negative categories) are what marketers look for first: keep them.
        foreach (var f in order)
        {
            if (!kept.Contains(f) && importance[f] > 0 && families[f].Features.Any(j => spec.Features[j].Negative)) kept.Add(f);
        }

        // The margin of a lead sitting in every kept family's reference band, other families at their mean.
        var referenceMargin = contributions.BiasMean;
        for (var f = 0; f < families.Count; f++)
        {
            if (!kept.Contains(f) && rows > 0) referenceMargin += phi[f].Average();
        }
        var drafts = new List<Draft>();
        var representative = new Dictionary<int, string>();
        var relative = new double[rows];
        foreach (var f in kept)
        {
            var fam = families[f];
            var (bands, assign, mean, feature) = fam.IsCategory ? CategoryBands(spec, fam, x, width, phi[f]) : NumericBands(spec, fam, x, y, width, rows, phi[f], options);
            var elsewhere = fam.IsCategory && earlier is not null
                ? EarlierLevels(fam, earlier, width, earlierPhi[f], assign, mean)
                : new (int Rows, int Conversions, int Modelled)[bands.Count];
            representative[f] = feature is null ? fam.Name : spec.Features[feature.Value].Name;
            var counts = new int[bands.Count];
            foreach (var b in assign) counts[b]++;
            // Inactivity has one sign: the most active band scores 0 and every longer wait less.
            var active = fam.Name == Families.Inactivity ? Enumerable.Range(0, bands.Count).Where(b => !bands[b].Missing && counts[b] > 0).ToList() : [];
            var reference = active.Count > 0 ? active.MaxBy(b => mean[b]) : Enumerable.Range(0, bands.Count).MaxBy(b => counts[b]);
            referenceMargin += mean[reference];
            for (var i = 0; i < rows; i++) relative[i] += mean[assign[i]] - mean[reference];
            for (var b = 0; b < bands.Count; b++)
            {
                if (b == reference || (counts[b] == 0 && elsewhere[b].Rows == 0 && elsewhere[b].Modelled == 0)) continue;
                int conversions = 0, refConversions = 0;
                for (var i = 0; i < rows; i++)
                {
                    if (y[i] <= 0.5f) continue;
                    if (assign[i] == b) conversions++;
                    else if (assign[i] == reference) refConversions++;
                }
                var logOdds = mean[b] - mean[reference];
                // A level seen only in earlier rows: its uncertainty comes from the leads that had it there.
                var se = counts[b] > 0
                    ? LogOddsRatioError(conversions, counts[b], refConversions, counts[reference])
                    : LogOddsRatioError(elsewhere[b].Conversions, elsewhere[b].Rows, refConversions, counts[reference]);
                drafts.Add(new Draft(spec, fam, feature ?? -1, bands[b], bands[reference], logOdds, logOdds - 1.645 * se, logOdds + 1.645 * se, counts[b], conversions)
                {
                    EarlierRows = elsewhere[b].Rows, EarlierConversions = elsewhere[b].Conversions, Modelled = elsewhere[b].Modelled > 0,
                    ReferenceRows = counts[reference], ReferenceConversions = refConversions,
                });
            }
        }

        // Scale: spread the 2nd–98th percentile of leads over 5–95 points, no criterion beyond ±100.
        var sorted = relative.Order().ToArray();
        var lo = rows == 0 ? 0 : Quantile(sorted, 0.02);
        var hi = rows == 0 ? 0 : Quantile(sorted, 0.98);
        var factor = hi - lo > 1e-6 ? 90 / (hi - lo) : 20 / Math.Log(2);
        var largest = drafts.Count == 0 ? 0 : drafts.Max(d => Math.Abs(d.LogOdds));
        if (largest * factor > 100) factor = 100 / largest;
        var basePoints = Math.Round(5 - factor * lo);
        var overallRate = rows == 0 ? 0 : y.Count(v => v > 0.5f) / (double)rows;

        var criteria = new List<Criterion>();
        var familyOf = new List<string>();
        var referenceOf = new Dictionary<string, Condition>(StringComparer.Ordinal);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var even = new List<(Criterion, string)>();
        foreach (var d in drafts)
        {
            var points = (int)Math.Round(d.LogOdds * factor);
            if (points == 0)
            {
                // A category level scored like the family's reference takes no criterion here; a compact table that gives the
                // reference a criterion of its own must still know the level belongs with it.
                if (d.Family.IsCategory && d.Rows > 0)
                {
                    even.Add((new Criterion
                    {
                        Id = d.Label, Label = d.Label, Group = d.Family.Group, Condition = d.Condition, Points = 0,
                        Support = new Support(d.Rows, d.Conversions, Math.Round((double)d.Conversions / d.Rows, 6)),
                    }, d.Family.Name));
                }
                continue;
            }
            // A behaviour the data cannot tell from its reference (its 90 % interval holds 0) takes no points: e-mail
            // opens or blog visits the model leans on a little would otherwise score on noise. Negative signals stay.
            if (d.Family.Group == CriterionGroup.Engagement && d.Low < 0 && d.High > 0 && !d.Family.Features.Any(j => spec.Features[j].Negative)) continue;
            var rate = d.Rows == 0 ? 0 : (double)d.Conversions / d.Rows;
            var label = d.Label;
            familyOf.Add(d.Family.Name);
            referenceOf.TryAdd(d.Family.Name, d.ReferenceCondition);
            criteria.Add(new Criterion
            {
                Id = UniqueId(label, ids),
                Label = label,
                Description = Describe(d, points, factor, rate, overallRate),
                Group = d.Family.Group,
                Condition = d.Condition,
                Points = Math.Clamp(points, -100, 100),
                Support = d.FromEarlier
                    ? new Support(d.EarlierRows, d.EarlierConversions, Math.Round(d.EarlierRate, 6), "training")
                    : new Support(d.Rows, d.Conversions, Math.Round(rate, 6)),
                Interval = new PointsInterval(Math.Round(d.Low * factor, 1), Math.Round(d.High * factor, 1)),
                LowSupport = d.Rows < options.MinSupport || d.Conversions < options.MinConversions,
            });
        }
        var importanceList = order.Select(f => new FamilyImportance(
            families[f].Name, families[f].Label, families[f].Group, Math.Round(importance[f], 6),
            total > 0 ? Math.Round(importance[f] / total, 6) : 0, kept.Contains(f), representative.GetValueOrDefault(f))).ToList();
        return new SuggestedCriteria(criteria, new PointsScale(Math.Round(factor * Math.Log(2), 3), Math.Round(factor, 4), Math.Round(referenceMargin, 6)), basePoints, importanceList)
        {
            FamilyOf = familyOf, ReferenceOf = referenceOf, LikeReference = even,
        };
    }

    private static (IReadOnlyList<Band> Bands, int[] Assign, double[] Mean, int? Feature) NumericBands(
        FeatureSpec spec, Family fam, ReadOnlySpan<float> x, float[] y, int width, int rows, double[] phi, PointsOptions options)
    {
        Banded? best = null;
        var values = new float[rows];
        // A negative history (ever unsubscribed, ever bounced) keeps its effect for as long as it is true: the family
        // reads as its "ever" flag, never as a recency or a window after which the penalty would vanish.
        var ever = fam.Features.Where(j => spec.Features[j].Negative && spec.Features[j].Kind == FeatureKind.Flag
            && spec.Features[j].Name.EndsWith(".ever", StringComparison.Ordinal)).ToArray();
        foreach (var j in ever.Length > 0 ? ever : fam.Features)
        {
            for (var i = 0; i < rows; i++) values[i] = x[i * width + j];
            var banded = Banding.Cut(j, spec.Features[j].Kind, values, phi, options.MinSupport, options.MergeBelow);
            // Prefer the earlier (shorter-window, simpler) feature unless another explains clearly more.
            if (best is null || banded.R2 > best.R2 + 0.01) best = banded;
        }
        if (spec.Features[best!.Feature].Kind == FeatureKind.Recency)
        {
            for (var i = 0; i < rows; i++) values[i] = x[i * width + best.Feature];
            best = Banding.MergeContradicting(best, values, phi, y, nonIncreasing: fam.Name == Families.Inactivity);
        }
        return (best.Bands, best.BandOfRow, best.Mean, best.Feature);
    }

    /// <summary>One band per level column; rows with no level set (none pooled) join the most common level.</summary>
    private static (IReadOnlyList<Band> Bands, int[] Assign, double[] Mean, int? Feature) CategoryBands(
        FeatureSpec spec, Family fam, ReadOnlySpan<float> x, int width, double[] phi)
    {
        var rows = phi.Length;
        var levels = fam.Features;
        var assign = new int[rows];
        var counts = new int[levels.Length];
        for (var i = 0; i < rows; i++)
        {
            assign[i] = -1;
            for (var k = 0; k < levels.Length; k++)
            {
                if (x[i * width + levels[k]] > 0.5f)
                {
                    assign[i] = k;
                    counts[k]++;
                    break;
                }
            }
        }
        var common = counts.Length == 0 ? 0 : Array.IndexOf(counts, counts.Max());
        var sums = new double[levels.Length];
        var n = new int[levels.Length];
        for (var i = 0; i < rows; i++)
        {
            if (assign[i] < 0) assign[i] = common;
            sums[assign[i]] += phi[i];
            n[assign[i]]++;
        }
        var mean = sums.Select((s, k) => n[k] == 0 ? 0 : s / n[k]).ToArray();
        // A category band is "level column = 1"; the feature index rides in Lower so the condition can name it.
        var bands = levels.Select(j => new Band(j, j, false)).ToList();
        return (bands, assign, mean, null);
    }

    /// <summary>
    /// For each level no evaluation row has: the mean family contribution over the earlier rows that have it (written
    /// into <paramref name="mean"/>) and their count and conversions. Levels the evaluation rows have keep theirs.
    /// </summary>
    private static (int Rows, int Conversions, int Modelled)[] EarlierLevels(Family fam, EarlierRows earlier, int width, double[] phi, int[] assign, double[] mean)
    {
        var levels = fam.Features;
        var present = new bool[levels.Length];
        foreach (var b in assign) present[b] = true;
        var result = new (int Rows, int Conversions, int Modelled)[levels.Length];
        var sums = new double[levels.Length];
        for (var i = 0; i < earlier.Y.Length; i++)
        {
            for (var k = 0; k < levels.Length; k++)
            {
                if (present[k] || !(earlier.X[i * width + levels[k]] > 0.5f)) continue;
                sums[k] += phi[i];
                if (i >= earlier.Leads) result[k].Modelled++;
                else
                {
                    result[k].Rows++;
                    if (earlier.Y[i] > 0.5f) result[k].Conversions++;
                }
                break;
            }
        }
        for (var k = 0; k < levels.Length; k++)
        {
            var n = result[k].Rows + result[k].Modelled;
            if (n > 0) mean[k] = sums[k] / n;
        }
        return result;
    }

    /// <summary>
    /// Standard error of a log odds ratio between a band and its reference from their counts (Woolf, with ½ added to
    /// every cell): the uncertainty that comes from how many leads and conversions support the criterion. The
    /// model's contributions vary little within a band, so resampling them would understate it.
    /// </summary>
    internal static double LogOddsRatioError(int conversions, int leads, int refConversions, int refLeads) =>
        Math.Sqrt(1 / (conversions + 0.5) + 1 / (leads - conversions + 0.5) + 1 / (refConversions + 0.5) + 1 / (refLeads - refConversions + 0.5));

    internal static double Quantile(double[] sorted, double q)
    {
        if (sorted.Length == 0) return 0;
        var pos = q * (sorted.Length - 1);
        var i = (int)Math.Floor(pos);
        var frac = pos - i;
        return i + 1 < sorted.Length ? sorted[i] + frac * (sorted[i + 1] - sorted[i]) : sorted[i];
    }

    internal static string UniqueId(string label, HashSet<string> taken)
    {
        var sb = new StringBuilder();
        foreach (var ch in label.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(ch)) sb.Append(ch);
            else if (sb.Length > 0 && sb[^1] != '-') sb.Append('-');
        }
        var id = sb.ToString().Trim('-');
        if (id.Length > 60) id = id[..60].Trim('-');
        if (id.Length == 0) id = "criterion";
        var unique = id;
        for (var k = 2; !taken.Add(unique); k++) unique = $"{id}-{k}";
        return unique;
    }

    private static string Describe(Draft d, int points, double factor, double rate, double overallRate)
    {
        var c = CultureInfo.InvariantCulture;
        var direction = points > 0 ? "more" : "less";
        var odds = Math.Exp(d.LogOdds);
        var support = d.FromEarlier
            ? string.Create(c, $"No lead of the evaluation period matched; in the earlier training period {d.EarlierRows:N0} leads did and " +
              $"{d.EarlierRate:P1} of them converted (all leads of the evaluation period: {overallRate:P1})")
            : d.Rows == 0 && d.Modelled
            ? "No lead of the training or evaluation period matched, so the points are what the model gives such a lead: its " +
              "contribution for this value, averaged over evaluation leads with the value put in"
            : string.Create(c, $"In the evaluation period {d.Rows:N0} leads matched and {rate:P1} of them converted (all leads: {overallRate:P1})");
        // A contradiction is what the reader would stumble on first, so its explanation leads.
        return Why(d, points, rate, overallRate) + string.Create(c,
            $"Applies to leads who match “{d.Label}”. {support}. Compared with the most common case (“{d.ReferenceText}”), the model finds these leads " +
            $"{direction} likely to convert: odds ×{odds:0.00} ({d.LogOdds:+0.00;-0.00} log-odds), which is {points:+0;-0} points at " +
            $"{factor * Math.Log(2):0.#} points per doubling of the odds. 90 % interval: {d.Low * factor:+0;-0} to {d.High * factor:+0;-0} points.");
    }

    /// <summary>Why points go against the criterion's own conversion rate, when they do (<see cref="Contradiction"/>).</summary>
    private static string Why(Draft d, int points, double rate, double overallRate)
    {
        if (d.Rows == 0 && !d.FromEarlier) return "";
        var why = Contradiction.Why(points, d.FromEarlier ? d.EarlierRate : rate, overallRate, $"“{d.ReferenceText}”",
            d.ReferenceRows > 0 ? (double)d.ReferenceConversions / d.ReferenceRows : null);
        return why.Length == 0 ? "" : why + " ";
    }

    private sealed record Draft(FeatureSpec Spec, Family Family, int Feature, Band Band, Band Reference, double LogOdds, double Low, double High, int Rows, int Conversions)
    {
        /// <summary>Earlier rows behind a level no evaluation lead has (0 otherwise).</summary>
        public int EarlierRows { get; init; }

        public int EarlierConversions { get; init; }

        /// <summary>Supported by earlier rows only: no evaluation lead has the level, some training leads do.</summary>
        public bool FromEarlier => Rows == 0 && EarlierRows > 0;

        public double EarlierRate => (double)EarlierConversions / EarlierRows;

        /// <summary>No lead had the level: its points come from evaluation leads with it put in.</summary>
        public bool Modelled { get; init; }

        public Condition Condition => ConditionFor(Band);

        public string Label => CriterionText.Label(Spec, Condition);

        public Condition ReferenceCondition => ConditionFor(Reference);

        public string ReferenceText => CriterionText.Label(Spec, ReferenceCondition);

        /// <summary>Leads in the reference band, and how many of them converted.</summary>
        public int ReferenceRows { get; init; }

        public int ReferenceConversions { get; init; }

        private FeatureKind Kind => Spec.Features[Feature].Kind;

        private Condition ConditionFor(Band b)
        {
            if (Family.IsCategory) return new Condition(Spec.Features[(int)b.Lower].Name, ConditionOp.Eq, 1);
            var name = Spec.Features[Feature].Name;
            if (b.Missing) return new Condition(name, ConditionOp.Missing);
            if (Kind == FeatureKind.Flag) return new Condition(name, ConditionOp.Eq, b.Lower >= 1 ? 1 : 0);
            if (double.IsNegativeInfinity(b.Lower) && double.IsPositiveInfinity(b.Upper)) return new Condition(name, ConditionOp.Present);
            if (double.IsNegativeInfinity(b.Lower)) return new Condition(name, ConditionOp.Lt, b.Upper);
            if (double.IsPositiveInfinity(b.Upper)) return new Condition(name, ConditionOp.Gte, b.Lower);
            return new Condition(name, ConditionOp.Between, b.Lower, b.Upper);
        }
    }
}
