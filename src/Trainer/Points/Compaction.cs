using System.Collections.Concurrent;
using System.Globalization;
using LeadML.Features.Bundles;
using LeadML.Features.Evaluation;
using LeadML.Features.Featurization;
using LeadML.Features.Rules;
using LeadML.Trainer.Modeling;

namespace LeadML.Trainer.Points;

/// <summary>The compact table: its criteria and scale, the curve it went through and what it left out, and the sample
/// of rows it was chosen on (null when chosen on every row).</summary>
internal sealed record CompactTable(
    IReadOnlyList<Criterion> Criteria, PointsScale Scale, double BasePoints, IReadOnlyList<PointsCurvePoint> Curve, IReadOnlyList<LeftOutDetail> LeftOut,
    PointsSelectionSample? Sample = null);

/// <summary>
/// Shortens the suggested table to what a marketer can hold in their head (at most
/// <see cref="PointsOptions.MaxCriteria"/> criteria), keeping what makes it rank. Each family's bands can be merged
/// into fewer (neighbouring bands of a range whose points are closest merge; a band closest to 0 points joins the
/// family's reference; a category's levels scored most alike are left together without a criterion), giving every
/// family a ladder of forms from one criterion to every band. A greedy forward selection then adds, one step at a time, the family form that raises the points-only ROC-AUC on the training +
/// validation leads most per criterion added, until the table is full or no step adds <see cref="PointsOptions.MinGainPerCriterion"/>.
/// At every step the points are refit together: a least-squares fit, on the chosen criteria, of each lead's log-odds —
/// the model's own margin on the latest (validation) period's leads, and on earlier leads the log-odds the table with
/// every band gives them, moved to the model's level on the latest period — so the shorter table reproduces the model's
/// ranking as closely as its criteria can and the base points still place every lead (a lead matching no criterion gets
/// the fit's intercept). Earlier leads do not use the model's margin: there it also holds what the model gives their
/// period as a whole (the economic conditions of its months, say, through features no criterion reads), which a
/// criterion only those leads match (a month) would otherwise take as its own points and carry into later periods; the
/// table with every band reads each criterion's points from the model's contributions, without that period's level.
/// Without the model's margins (tests), every lead follows the table with every band. Log-odds become points on the scorecard
/// scale as in <see cref="PointsBuilder"/>: the 2nd to 98th percentile of leads spread over 5 to 95 points, no
/// criterion beyond ±100.
/// Above <see cref="PointsOptions.SelectionRows"/> rows the selection ranks and refits a sample of them: every
/// conversion and a share of the others, each weighted for those left out (the least-squares fits weighted alike; the
/// ROC-AUC, which weighs each class as a whole, needs no weights). The tables the steps give, the chosen one's points,
/// scale and support are then fitted and counted on every row.
/// </summary>
internal static class Compaction
{
    private sealed record Item(Condition Condition, double Seed, int Column);

    /// <param name="Bands">The family's criteria in the table with every band: its longest form also has the levels that
    /// table scores like the reference, without a criterion there.</param>
    private sealed record FamilyForms(string Name, string Label, CriterionGroup Group, List<List<Item>> Forms, int Bands);

    /// <summary>Indicator columns of every condition a form uses on the selection's rows (<paramref name="rows"/>, fit
    /// rows ascending, or null for every fit row); on every fit row they are matched again when needed.</summary>
    private sealed class Columns(FeatureSpec spec, ReadOnlyMemory<float> fitX, int fitRows, int[]? rows, float[]? weights)
    {
        private readonly Dictionary<Condition, int> _index = [];
        /// <summary>Each condition's indicator on the selection's rows.</summary>
        public List<bool[]> Selected { get; } = [];
        /// <summary>The same as the selection's rows each condition matches (indices into them, ascending): scoring a
        /// table adds each criterion's points to those rows alone, without a branch per row that mispredicts.</summary>
        public List<int[]> SelectedMatches { get; } = [];
        public List<Condition> Conditions { get; } = [];

        public int Of(Condition c)
        {
            if (_index.TryGetValue(c, out var k)) return k;
            var matches = Matches(c, rows);
            Selected.Add(matches);
            SelectedMatches.Add([.. Enumerable.Range(0, matches.Length).Where(r => matches[r])]);
            Conditions.Add(c);
            return _index[c] = Selected.Count - 1;
        }

        /// <summary>Column <paramref name="k"/> on every fit row.</summary>
        public bool[] EveryRow(int k) => rows is null ? Selected[k] : Matches(Conditions[k], null);

        /// <summary>The selection's rows column <paramref name="k"/> matches, weighted: the leads it stands for.</summary>
        public double Support(int k)
        {
            var column = Selected[k];
            var support = 0.0;
            for (var r = 0; r < column.Length; r++) if (column[r]) support += weights?[r] ?? 1;
            return support;
        }

        private bool[] Matches(Condition c, int[]? on)
        {
            var m = new bool[on?.Length ?? fitRows];
            var j = spec.IndexOf(c.Feature);
            if (j < 0) return m;
            var width = spec.Features.Count;
            var x = fitX.Span;
            for (var r = 0; r < m.Length; r++) m[r] = c.Matches(x[(on?[r] ?? r) * width + j]);
            return m;
        }
    }

    /// <summary>The sums of a least-squares fit of the margin on indicator columns with an intercept: the rows' weight,
    /// each column's, each pair's, and the weighted margins.</summary>
    private sealed class NormalSums(int columns)
    {
        public double[,] Gram { get; } = new double[columns, columns];
        public double[] Count { get; } = new double[columns];
        public double[] MarginTimes { get; } = new double[columns];
        public double Total { get; private set; }
        public double MarginSum { get; private set; }

        /// <summary>Sums the rows (<paramref name="rows"/>[r] the fit row of <paramref name="indicators"/>' r-th entry,
        /// weighted by <paramref name="weights"/>[r]), reading only the columns <paramref name="indicators"/> holds.</summary>
        public static NormalSums Of(int columns, IReadOnlyDictionary<int, bool[]> indicators, double[] margin, int[]? rows, float[]? weights)
        {
            var sums = new NormalSums(columns);
            var length = rows?.Length ?? margin.Length;
            var active = new List<int>(indicators.Count);
            for (var r = 0; r < length; r++)
            {
                var w = weights?[r] ?? 1.0;
                var m = margin[rows?[r] ?? r];
                sums.Total += w;
                sums.MarginSum += w * m;
                active.Clear();
                foreach (var (k, column) in indicators) if (column[r]) active.Add(k);
                foreach (var a in active)
                {
                    sums.Count[a] += w;
                    sums.MarginTimes[a] += w * m;
                    foreach (var b in active) sums.Gram[a, b] += w;
                }
            }
            return sums;
        }
    }

    /// <summary>The rows the greedy selection ranks and refits: every fit row up to <see cref="PointsOptions.SelectionRows"/>,
    /// above it every conversion and a share of the others drawn with <see cref="PointsOptions.Seed"/>, each weighted
    /// by 1 / share.</summary>
    internal static RowSample Selection(float[] y, PointsOptions options)
    {
        var positives = y.Count(v => v > 0.5f);
        var share = options.SelectionRows > 0 ? RowSampling.AutoShare(positives, y.Length - positives, options.SelectionRows) : 1;
        return RowSampling.Draw(y, Enumerable.Range(0, y.Length).ToArray(), share, options.Seed);
    }

    /// <param name="fit">The rows the table is chosen and its points refit on (training + validation leads, so that a
    /// level only one period has, such as a month, still gets its points).</param>
    /// <param name="valid">The validation rows, for the curve.</param>
    /// <param name="model">The fit rows of the latest (validation) period, ascending, whose leads the fit reproduces the
    /// model's margin on, and the model's margin on each of them.</param>
    public static CompactTable Run(FeatureSpec spec, SuggestedCriteria full, (ReadOnlyMemory<float> X, float[] Y) fit,
        (ReadOnlyMemory<float> X, float[] Y) valid, (ReadOnlyMemory<float> X, float[] Y) test, double? modelTestAuc, PointsOptions options,
        (int[] Rows, double[] Margin)? model = null)
    {
        var width = spec.Features.Count;
        var (fitX, fitY) = fit;
        var (testX, testY) = test;
        var n = fitY.Length;
        var selection = Selection(fitY, options);
        var (selectedRows, weights) = selection.Sampled ? (selection.Rows, selection.Weights) : (null, null);
        var columns = new Columns(spec, fitX, n, selectedRows, weights);
        var families = Forms(spec, full, columns);
        var selectedY = selectedRows is null ? fitY : [.. selectedRows.Select(i => fitY[i])];
        var fullFactor = full.Scale.Factor;
        // What the fit reproduces: each lead's log-odds by the table with every band (relative to its base points), on
        // every fit row.
        var margin = new double[n];
        var x = fitX.Span;
        foreach (var criterion in full.Criteria)
        {
            var j = spec.IndexOf(criterion.Condition.Feature);
            if (j < 0) continue;
            var logOdds = criterion.Points / fullFactor;
            for (var i = 0; i < n; i++) if (criterion.Condition.Matches(x[i * width + j])) margin[i] += logOdds;
        }
        if (model is var (latest, modelMargin) && latest.Length > 0)
        {
            // On the latest period's leads the model's own margin, on earlier leads the table's log-odds moved to the
            // model's level on the latest period.
            var shift = Enumerable.Range(0, latest.Length).Average(k => modelMargin[k] - margin[latest[k]]);
            for (var i = 0; i < n; i++) margin[i] += shift;
            for (var k = 0; k < latest.Length; k++) margin[latest[k]] = modelMargin[k];
        }

        // The cross sums of the least-squares fits on the selection's rows, for every column.
        var total = columns.Selected.Count;
        var selected = NormalSums.Of(total, Enumerable.Range(0, total).ToDictionary(k => k, k => columns.Selected[k]), margin, selectedRows, weights);

        // The sign each column has with every band (a merged band's: of its support-weighted points). A category level
        // is compared with the levels left without a criterion, which differ between forms: one whose sign differs
        // between them (its points lie among theirs) keeps no sign.
        var seedSign = new Dictionary<int, int>();
        foreach (var item in families.SelectMany(f => f.Forms).SelectMany(form => form))
        {
            var sign = Math.Sign(item.Seed);
            seedSign[item.Column] = seedSign.TryGetValue(item.Column, out var seen) && seen != sign ? 0 : sign;
        }

        // Refit together, a criterion must keep the sign it has with every band: correlated criteria can otherwise
        // trade places (an inactive stretch scoring more than an active one). A column whose sign flips is dropped
        // (0 points), the largest flip first, and the rest refit.
        double[] Fit(IReadOnlyList<int> cols, NormalSums sums)
        {
            var keep = Enumerable.Range(0, cols.Count).ToList();
            while (true)
            {
                var beta = FitFree([.. keep.Select(k => cols[k])], sums);
                var flipped = -1;
                for (var r = 0; r < keep.Count; r++)
                {
                    var sign = seedSign.GetValueOrDefault(cols[keep[r]]);
                    if (sign != 0 && Math.Sign(beta[r + 1]) == -sign && Math.Abs(beta[r + 1]) > 1e-9
                        && (flipped < 0 || Math.Abs(beta[r + 1]) > Math.Abs(beta[flipped + 1]))) flipped = r;
                }
                if (flipped < 0 || keep.Count == 1)
                {
                    var full = new double[cols.Count + 1];
                    full[0] = beta[0];
                    for (var r = 0; r < keep.Count; r++) full[keep[r] + 1] = flipped < 0 ? beta[r + 1] : 0;
                    return full;
                }
                keep.RemoveAt(flipped);
            }
        }

        static double[] FitFree(IReadOnlyList<int> cols, NormalSums sums)
        {
            // Normal equations with an intercept; a tiny ridge keeps a column no row matches (or a duplicate) at 0.
            var p = cols.Count + 1;
            var a = new double[p, p];
            var b = new double[p];
            a[0, 0] = sums.Total;
            b[0] = sums.MarginSum;
            for (var r = 0; r < cols.Count; r++)
            {
                a[0, r + 1] = a[r + 1, 0] = sums.Count[cols[r]];
                b[r + 1] = sums.MarginTimes[cols[r]];
                for (var c = 0; c < cols.Count; c++) a[r + 1, c + 1] = sums.Gram[cols[r], cols[c]];
                a[r + 1, r + 1] += 1e-3;
            }
            return Solve(a, b);
        }

        static double[] Fitted(IReadOnlyList<int> cols, double[] beta, Func<int, bool[]> column, double[] f)
        {
            Array.Fill(f, beta[0]);
            for (var k = 0; k < cols.Count; k++)
            {
                var matches = column(cols[k]);
                var w = beta[k + 1];
                for (var i = 0; i < f.Length; i++) if (matches[i]) f[i] += w;
            }
            return f;
        }

        // The selection's points-only ROC-AUC: on a sample, every conversion against an equally weighted share of the
        // others, which the unweighted ROC-AUC of the sampled rows estimates.
        // The scores and the ranking's arrays are reused, one set per thread: a step tries every family's every form
        // (on several threads), and arrays of that many rows each time made gigabytes of garbage the collector let pile up.
        var rankings = new ConcurrentBag<ScoreRanking>();
        double Auc(IReadOnlyList<int> cols)
        {
            if (cols.Count == 0) return 0.5;
            if (!rankings.TryTake(out var ranking)) ranking = new ScoreRanking(selectedY);
            var beta = Fit(cols, selected);
            var scores = ranking.Scores;
            Array.Fill(scores, beta[0]);
            for (var k = 0; k < cols.Count; k++)
            {
                var w = beta[k + 1];
                foreach (var r in columns.SelectedMatches[cols[k]]) scores[r] += w;
            }
            var auc = Safe(ranking.Auc());
            rankings.Add(ranking);
            return auc;
        }

        List<int> ColumnsOf(int[] sizes)
        {
            var cols = new List<int>();
            for (var f = 0; f < families.Count; f++)
            {
                if (sizes[f] > 0) cols.AddRange(families[f].Forms[sizes[f] - 1].Select(i => i.Column));
            }
            return cols;
        }

        // The family of each column ColumnsOf gives, in the same order.
        List<int> FamiliesOf(int[] sizes)
        {
            var of = new List<int>();
            for (var f = 0; f < families.Count; f++)
            {
                if (sizes[f] > 0) of.AddRange(Enumerable.Repeat(f, families[f].Forms[sizes[f] - 1].Count));
            }
            return of;
        }

        // Greedy forward selection of family forms by points-only validation ROC-AUC gain per criterion added. (Starting
        // from the negative history, one criterion a family, was tried: on the shipped sample the bounce criterion then
        // took 0 points from the joint refit and displaced the one that carried its sign.)
        var chosen = new int[families.Count];
        var used = 0;
        var current = 0.5;
        var steps = new List<int[]>();
        while (true)
        {
            var candidates = new List<(int Family, int Size, int Added, List<int> Columns)>();
            for (var f = 0; f < families.Count; f++)
            {
                for (var s = chosen[f] + 1; s <= families[f].Forms.Count; s++)
                {
                    var added = families[f].Forms[s - 1].Count - (chosen[f] == 0 ? 0 : families[f].Forms[chosen[f] - 1].Count);
                    if (used + added > options.MaxCriteria || added <= 0) continue;
                    var trial = (int[])chosen.Clone();
                    trial[f] = s;
                    candidates.Add((f, s, added, ColumnsOf(trial)));
                }
            }
            // The candidates are ranked on every core, then compared in their order, so the step is the same on any.
            var aucs = new double[candidates.Count];
            Parallel.For(0, candidates.Count, k => aucs[k] = Auc(candidates[k].Columns));
            (int Family, int Size, double Auc, double Gain)? best = null;
            for (var k = 0; k < candidates.Count; k++)
            {
                var gain = (aucs[k] - current) / candidates[k].Added;
                if (best is null || gain > best.Value.Gain) best = (candidates[k].Family, candidates[k].Size, aucs[k], gain);
            }
            if (best is not { } step || step.Gain < options.MinGainPerCriterion) break;
            used += families[step.Family].Forms[step.Size - 1].Count - (chosen[step.Family] == 0 ? 0 : families[step.Family].Forms[chosen[step.Family] - 1].Count);
            chosen[step.Family] = step.Size;
            current = step.Auc;
            steps.Add((int[])chosen.Clone());
        }

        // The tables are fitted on every row: with a sample, the columns the steps use are summed again on all of them.
        var everyRow = selected;
        if (selectedRows is not null)
        {
            var stepColumns = steps.Append(chosen).SelectMany(ColumnsOf).Distinct().ToDictionary(k => k, columns.EveryRow);
            everyRow = NormalSums.Of(total, stepColumns, margin, null, null);
        }

        (List<Criterion> Criteria, PointsScale Scale, double Base) Table(int[] sizes)
        {
            var cols = ColumnsOf(sizes);
            var familyOfColumn = FamiliesOf(sizes);
            var beta = Fit(cols, everyRow);
            // A level no training or validation lead has (a month only the test period holds) cannot be refit: rather than
            // 0 (scored like the leads it is compared with, which nothing says), it keeps the model's log-odds for such a
            // lead, as the table with every band gives it, against the same leads.
            var forms = sizes.SelectMany((size, f) => size > 0 ? families[f].Forms[size - 1] : []).ToList();
            for (var k = 0; k < cols.Count; k++)
            {
                if (everyRow.Count[cols[k]] == 0) beta[k + 1] = forms[k].Seed / fullFactor;
            }
            var relative = Fitted(cols, beta, columns.EveryRow, new double[n]);
            for (var i = 0; i < n; i++) relative[i] -= beta[0];
            var sorted = relative.Order().ToArray();
            var lo = n == 0 ? 0 : PointsBuilder.Quantile(sorted, 0.02);
            var hi = n == 0 ? 0 : PointsBuilder.Quantile(sorted, 0.98);
            var factor = hi - lo > 1e-6 ? 90 / (hi - lo) : fullFactor;
            var largest = beta.Skip(1).Select(Math.Abs).DefaultIfEmpty(0).Max();
            if (largest * factor > 100) factor = 100 / largest;
            var overall = n == 0 ? 0 : fitY.Count(v => v > 0.5f) / (double)n;
            var criteria = new List<Criterion>();
            var ids = new HashSet<string>(StringComparer.Ordinal);
            for (var k = 0; k < cols.Count; k++)
            {
                var points = (int)Math.Clamp(Math.Round(beta[k + 1] * factor), -100, 100);
                if (points == 0) continue;
                var column = columns.EveryRow(cols[k]);
                int leads = 0, conversions = 0, positives = 0;
                for (var i = 0; i < n; i++)
                {
                    var y = fitY[i] > 0.5f;
                    if (y) positives++;
                    if (!column[i]) continue;
                    leads++;
                    if (y) conversions++;
                }
                var condition = columns.Conditions[cols[k]];
                var label = CriterionText.Label(spec, condition);
                var se = PointsBuilder.LogOddsRatioError(conversions, leads, positives - conversions, n - leads) * factor;
                var rate = leads == 0 ? 0 : (double)conversions / leads;
                var feature = spec.IndexOf(condition.Feature);
                criteria.Add(new Criterion
                {
                    Id = PointsBuilder.UniqueId(label, ids),
                    Label = label,
                    // A contradiction is what the reader would stumble on first, so its explanation leads.
                    Description = leads == 0
                        ? string.Create(CultureInfo.InvariantCulture,
                            $"No lead of the training or validation period matched “{label}”: its {points:+0;-0} points are the model's for such a lead (as in the table with every band), not fitted to any lead.")
                        : Why(points, rate, overall, families[familyOfColumn[k]].Name, [.. cols.Where((_, m) => familyOfColumn[m] == familyOfColumn[k])])
                            + Describe(label, points, factor, leads, rate, overall, se),
                    Group = feature >= 0 ? spec.Features[feature].Group : CriterionGroup.Engagement,
                    Condition = condition,
                    Points = points,
                    Support = new Support(leads, conversions, Math.Round(rate, 6)),
                    Interval = new PointsInterval(Math.Round(points - 1.645 * se, 1), Math.Round(points + 1.645 * se, 1)),
                    LowSupport = leads < options.MinSupport || conversions < options.MinConversions,
                });
            }
            var scale = new PointsScale(Math.Round(factor * Math.Log(2), 3), Math.Round(factor, 4), Math.Round(beta[0], 6));
            return (criteria, scale, Math.Round(5 - factor * lo));
        }

        // Why points go against the criterion's own rate, when they do: the family's reference band is the leads none of
        // its criteria in this table apply to, named by the full table's reference band.
        string Why(int points, double rate, double overall, string family, List<int> familyColumns)
        {
            if (!Contradiction.Contradicts(points, rate, overall) || !full.ReferenceOf.TryGetValue(family, out var reference)) return "";
            int leads = 0, conversions = 0, named = 0;
            var j = spec.IndexOf(reference.Feature);
            var matches = familyColumns.Select(columns.EveryRow).ToList();
            for (var i = 0; i < n; i++)
            {
                if (matches.Any(col => col[i])) continue;
                leads++;
                if (fitY[i] > 0.5f) conversions++;
                if (j >= 0 && reference.Matches(fitX.Span[i * width + j])) named++;
            }
            var text = CriterionText.Label(spec, reference);
            // A category's most common level may have a criterion of its own here (see CategoryForms): then none of the
            // leads compared with is in it.
            var phrase = named == 0 ? "the leads none of its criteria apply to"
                : named == leads ? $"“{text}”"
                : $"the leads none of its criteria apply to, {(2 * named > leads ? "mostly" : "the most common of them")} “{text}”";
            var why = Contradiction.Why(points, rate, overall, phrase, leads > 0 ? (double)conversions / leads : null);
            return why.Length == 0 ? "" : why + " ";
        }

        double? Score(List<Criterion> criteria, PointsScale scale, double basePoints, ReadOnlyMemory<float> x, float[] y)
        {
            var rules = new RuleSet
            {
                ModelVersion = "", Scale = scale, BasePoints = basePoints, Criteria = criteria, Thresholds = new Thresholds(100, 5), Grades = [],
            };
            var auc = Metrics.RocAuc(new RuleEvaluator(rules, spec).Scores(x.Span, y.Length, width), y);
            return double.IsFinite(auc) ? Math.Round(auc, 6) : null;
        }

        PointsCurvePoint Point(List<Criterion> criteria, PointsScale scale, double basePoints)
        {
            var testAuc = Score(criteria, scale, basePoints, testX, testY);
            return new PointsCurvePoint(criteria.Count, Score(criteria, scale, basePoints, valid.X, valid.Y), testAuc,
                testAuc is { } t && modelTestAuc is { } m && m > 0 ? Math.Round(t / m, 6) : null);
        }

        // Each step's table and its point of the curve, on every core; the last step's table is the one chosen.
        var tables = new (List<Criterion> Criteria, PointsScale Scale, double Base)[steps.Count];
        var curve = new PointsCurvePoint[steps.Count + 1];
        Parallel.For(0, steps.Count + 1, k =>
        {
            if (k == steps.Count)
            {
                curve[k] = Point([.. full.Criteria], full.Scale, full.BasePoints);
                return;
            }
            tables[k] = Table(steps[k]);
            curve[k] = Point(tables[k].Criteria, tables[k].Scale, tables[k].Base);
        });
        var final = steps.Count > 0 ? tables[^1] : Table(chosen);

        // What the table leaves out: families left out (with what they would add) and bands merged.
        var leftOut = new List<LeftOutDetail>();
        for (var f = 0; f < families.Count; f++)
        {
            var fam = families[f];
            if (chosen[f] == fam.Forms.Count) continue;
            var trial = (int[])chosen.Clone();
            trial[f] = fam.Forms.Count;
            var gain = Math.Round(Auc(ColumnsOf(trial)) - current, 4) + 0.0;
            var c = CultureInfo.InvariantCulture;
            var why = chosen[f] == 0
                ? string.Create(c, $"left out: its {fam.Bands} criteria would add {gain:+0.0000;-0.0000;0.0000} to the points-only ROC-AUC on the training and validation periods, less than the criteria kept")
                : string.Create(c, $"{fam.Bands} bands merged into {chosen[f]}: every band would add {gain:+0.0000;-0.0000;0.0000} to the points-only ROC-AUC on the training and validation periods for {Math.Max(0, fam.Bands - chosen[f])} more criteria");
            leftOut.Add(new LeftOutDetail(fam.Name, fam.Label, fam.Group, fam.Bands, chosen[f], why));
        }
        leftOut.Sort((a, b) => b.Bands.CompareTo(a.Bands) != 0 ? b.Bands.CompareTo(a.Bands) : string.CompareOrdinal(a.Label, b.Label));
        foreach (var imp in full.Importance.Where(i => !i.Kept && i.MeanAbsContribution > 0))
        {
            leftOut.Add(new LeftOutDetail(imp.Family, imp.Label, imp.Group, 0, 0,
                string.Create(CultureInfo.InvariantCulture, $"not made into criteria: it carries {imp.Share:0.0%} of how much the model's scores vary")));
        }
        return new CompactTable(final.Criteria, final.Scale, final.Base, curve, leftOut,
            selectedRows is null ? null : new PointsSelectionSample(selectedY.Length, n, selection.NegativeShare));
    }

    private static double Safe(double auc) => double.IsFinite(auc) ? auc : 0.5;

    private static string Describe(string label, int points, double factor, int leads, double rate, double overall, double se)
    {
        var c = CultureInfo.InvariantCulture;
        return string.Create(c,
            $"Applies to leads who match “{label}”. In the training and validation periods {leads:N0} leads matched and {rate:P1} of them converted (all leads: {overall:P1}). " +
            $"Fitted together with the other criteria of this table to the model's scores, it is worth {points:+0;-0} points, at {factor * Math.Log(2):0.#} points per doubling of the odds. " +
            $"90 % interval: {points - 1.645 * se:+0;-0} to {points + 1.645 * se:+0;-0} points.");
    }

    /// <summary>Every family's forms, from one criterion to every band (index = criteria − 1).</summary>
    private static List<FamilyForms> Forms(FeatureSpec spec, SuggestedCriteria full, Columns columns)
    {
        var result = new List<FamilyForms>();
        var categories = Families.Of(spec).Where(f => f.IsCategory).Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        // The levels the table with every band scores like their reference (0 points, no criterion) are a category's
        // levels here too: a level the model cannot tell from the most common one then stays with it (or takes a
        // criterion of its own) instead of being left with the levels scored apart from both.
        var levels = full.Criteria.Select((c, k) => (Criterion: c, Family: full.FamilyOf[k])).Concat(full.LikeReference.Select(l => (Criterion: l.Level, l.Family)));
        foreach (var group in levels.GroupBy(t => t.Family, StringComparer.Ordinal))
        {
            var imp = full.Importance.FirstOrDefault(i => i.Family == group.Key);
            var bands = full.FamilyOf.Count(f => f == group.Key);
            if (categories.Contains(group.Key) && full.ReferenceOf.TryGetValue(group.Key, out var reference))
            {
                result.Add(new FamilyForms(group.Key, imp?.Label ?? group.Key, imp?.Group ?? group.First().Criterion.Group,
                    CategoryForms([.. group.Select(t => (t.Criterion.Condition, (double)t.Criterion.Points))], reference, columns), bands));
                continue;
            }
            var items = group.Select(t => new Item(t.Criterion.Condition, t.Criterion.Points * Math.Max(1, t.Criterion.Support?.Leads ?? 1), columns.Of(t.Criterion.Condition)))
                .ToList();
            // Seed holds points × leads so that a merged band's points are the support-weighted mean.
            var weight = group.Select(t => (double)Math.Max(1, t.Criterion.Support?.Leads ?? 1)).ToList();
            var order = Enumerable.Range(0, items.Count).OrderBy(k => Bounds(items[k].Condition).Lower).ThenBy(k => Bounds(items[k].Condition).Missing).ToList();
            items = [.. order.Select(k => items[k])];
            weight = [.. order.Select(k => weight[k])];
            var forms = new List<List<Item>> { new(items) };
            while (items.Count > 1)
            {
                var best = double.PositiveInfinity;
                (int At, bool Merge) move = (-1, false);
                for (var k = 0; k < items.Count; k++)
                {
                    var pk = items[k].Seed / weight[k];
                    if (Math.Abs(pk) < best)
                    {
                        best = Math.Abs(pk);
                        move = (k, false);
                    }
                    if (k + 1 < items.Count && Merged(items[k].Condition, items[k + 1].Condition) is not null)
                    {
                        var d = Math.Abs(pk - items[k + 1].Seed / weight[k + 1]);
                        if (d < best)
                        {
                            best = d;
                            move = (k, true);
                        }
                    }
                }
                if (move.Merge)
                {
                    var condition = Merged(items[move.At].Condition, items[move.At + 1].Condition)!;
                    items[move.At] = new Item(condition, items[move.At].Seed + items[move.At + 1].Seed, columns.Of(condition));
                    weight[move.At] += weight[move.At + 1];
                    items.RemoveAt(move.At + 1);
                    weight.RemoveAt(move.At + 1);
                }
                else
                {
                    items.RemoveAt(move.At);
                    weight.RemoveAt(move.At);
                }
                forms.Add([.. items]);
            }
            forms.Reverse();
            result.Add(new FamilyForms(group.Key, imp?.Label ?? group.Key, imp?.Group ?? group.First().Criterion.Group, forms, bands));
        }
        return result;
    }

    /// <summary>
    /// A category family's forms. Its levels cannot be merged into one criterion the way neighbouring ranges can, so a
    /// shorter form gives some levels a criterion each and leaves the others together without one, at 0 points: the
    /// "everything else" the kept levels are compared with. With c criteria the levels left together are the run of
    /// levels, in order of their points, whose points are closest to each other (least lead-weighted squared deviation from
    /// their mean), so that those scored alike are; the most common level (the full table's reference, which scores 0
    /// there) gets a criterion of its own when it does not belong with them. Without that, levels would join the most
    /// common level one by one, and a family whose most common level has an effect (industry Software) would compare
    /// every kept level with it instead of with the levels that have none.
    /// </summary>
    private static List<List<Item>> CategoryForms(List<(Condition Condition, double Points)> levels, Condition reference, Columns columns)
    {
        var all = levels.Append((Condition: reference, Points: 0.0)).OrderBy(l => l.Points).ToList();
        var weight = all.Select(l => Math.Max(1.0, columns.Support(columns.Of(l.Condition)))).ToArray();
        var forms = new List<List<Item>>();
        for (var criteria = 1; criteria < all.Count; criteria++)
        {
            var size = all.Count - criteria;
            (int Start, double Error, double Mean, bool HasReference)? best = null;
            for (var start = 0; start + size <= all.Count; start++)
            {
                double w = 0, sum = 0, squares = 0;
                var hasReference = false;
                for (var k = start; k < start + size; k++)
                {
                    w += weight[k];
                    sum += weight[k] * all[k].Points;
                    squares += weight[k] * all[k].Points * all[k].Points;
                    hasReference |= all[k].Condition == reference;
                }
                var error = squares - sum * sum / w;
                // Ties (every run of one level) keep the reference among those left together, as in the full table.
                if (best is null || error < best.Value.Error - 1e-9 || (Math.Abs(error - best.Value.Error) <= 1e-9 && hasReference && !best.Value.HasReference))
                {
                    best = (start, error, sum / w, hasReference);
                }
            }
            var (first, _, mean, _) = best!.Value;
            forms.Add([.. all.Where((_, k) => k < first || k >= first + size)
                .Select(l => new Item(l.Condition, (l.Points - mean) * weight[all.IndexOf(l)], columns.Of(l.Condition)))]);
        }
        return forms;
    }

    private static (double Lower, double Upper, bool Missing, bool Range) Bounds(Condition c) => c.Op switch
    {
        ConditionOp.Lt => (double.NegativeInfinity, c.Value, false, true),
        ConditionOp.Gte => (c.Value, double.PositiveInfinity, false, true),
        ConditionOp.Between => (c.Value, c.Upper ?? double.PositiveInfinity, false, true),
        ConditionOp.Missing => (double.PositiveInfinity, double.PositiveInfinity, true, false),
        _ => (c.Value, c.Value, false, false),
    };

    /// <summary>The condition covering two neighbouring ranges of one feature, or null when they are not neighbours.</summary>
    private static Condition? Merged(Condition a, Condition b)
    {
        if (a.Feature != b.Feature || a.OrMissing || b.OrMissing) return null;
        var x = Bounds(a);
        var y = Bounds(b);
        if (!x.Range || !y.Range || x.Upper != y.Lower) return null;
        if (double.IsNegativeInfinity(x.Lower)) return double.IsPositiveInfinity(y.Upper) ? new Condition(a.Feature, ConditionOp.Present) : new Condition(a.Feature, ConditionOp.Lt, y.Upper);
        if (double.IsPositiveInfinity(y.Upper)) return new Condition(a.Feature, ConditionOp.Gte, x.Lower);
        return new Condition(a.Feature, ConditionOp.Between, x.Lower, y.Upper);
    }

    /// <summary>Solves a small symmetric system by Gaussian elimination with partial pivoting.</summary>
    private static double[] Solve(double[,] a, double[] b)
    {
        var p = b.Length;
        for (var col = 0; col < p; col++)
        {
            var pivot = col;
            for (var r = col + 1; r < p; r++) if (Math.Abs(a[r, col]) > Math.Abs(a[pivot, col])) pivot = r;
            if (pivot != col)
            {
                for (var c = 0; c < p; c++) (a[col, c], a[pivot, c]) = (a[pivot, c], a[col, c]);
                (b[col], b[pivot]) = (b[pivot], b[col]);
            }
            var d = a[col, col];
            if (Math.Abs(d) < 1e-12) continue;
            for (var r = col + 1; r < p; r++)
            {
                var f = a[r, col] / d;
                if (f == 0) continue;
                for (var c = col; c < p; c++) a[r, c] -= f * a[col, c];
                b[r] -= f * b[col];
            }
        }
        var x = new double[p];
        for (var r = p - 1; r >= 0; r--)
        {
            var s = b[r];
            for (var c = r + 1; c < p; c++) s -= a[r, c] * x[c];
            x[r] = Math.Abs(a[r, r]) < 1e-12 ? 0 : s / a[r, r];
        }
        return x;
    }
}
