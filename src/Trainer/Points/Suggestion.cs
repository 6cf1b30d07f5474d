using LeadML.Features.Bundles;
using LeadML.Features.Featurization;
using LeadML.Features.Rules;
using LeadML.Features.Evaluation;
using LeadML.Trainer.Evaluation;
using LeadML.Trainer.Modeling;
using LeadML.Features.Snapshots;

namespace LeadML.Trainer.Points;

/// <summary>The suggested rule set and the figures that judge it, for <c>metrics.json</c> and the report.</summary>
internal sealed record SuggestionResult(RuleSet Rules, PointsOnlyMetrics PointsOnly, ThresholdChoice Thresholds, GradesByPeriod Grades,
    IReadOnlyList<ProfileTrait> Profile, IReadOnlyList<FamilyImportance> Importance)
{
    public MatrixByPeriod? Matrix { get; init; }
}

/// <summary>
/// The training run's last step (design §5): criteria and points from the final model's contributions on the
/// validation period, a threshold and grades chosen there, then the points-only score measured once on the test
/// period beside the model.
/// </summary>
internal static class Suggestion
{
    /// <param name="valid">The validation rows as <see cref="SnapshotSet.Select"/> gives them.</param>
    /// <param name="test">The test rows, likewise.</param>
    /// <param name="fit">The rows a compact table is chosen and refit on: training + validation (the validation rows when not given),
    /// with their rows in the snapshot set (to tell the validation period's).</param>
    /// <param name="knockOuts">The knock-outs to suggest; <see cref="KnockOutSuggester.ForTraining"/> when not given.</param>
    public static SuggestionResult Run(SnapshotSet s, (ReadOnlyMemory<float> X, float[] Y, int[] Rows) valid, (ReadOnlyMemory<float> X, float[] Y, int[] Rows) test,
        TrainedModel model, string modelVersion, DateTime createdAt, double? modelTestAuc, PointsOptions? points = null, ThresholdOptions? thresholds = null,
        (ReadOnlyMemory<float> X, float[] Y, int[] Rows)? fit = null, IReadOnlyList<KnockOut>? knockOuts = null)
    {
        var width = s.Width;
        var (validX, validY, validRows) = valid;
        var (testX, testY, testRows) = test;
        // Summed by family as they are computed, a chunk of rows at a time: every feature's would hold close to a
        // gigabyte at a million leads.
        var contributions = new FamilyContributions(s.Spec, validY.Length);
        model.Contributions(validX, validY.Length, width, contributions.Add);
        points ??= new PointsOptions();
        var suggested = PointsBuilder.Build(s.Spec, validX.Span, validY, contributions, points, EarlierLevels(s, validX.Span, validY.Length, model));
        CompactTable? compact = null;
        var everyBand = suggested.Criteria.Count;
        if (points.MaxCriteria > 0 && suggested.Criteria.Count > points.MaxCriteria)
        {
            var (fitX, fitY, fitRows) = fit ?? (validX, validY, validRows);
            // The model's own margin is what the table reproduces on validation leads; earlier leads follow the table
            // with every band (Compaction.Run says why), so the margin is computed on the validation rows alone.
            var validMargin = model.Margins(validX.Span, validY.Length, width);
            var validAt = new Dictionary<int, int>(validRows.Length);
            for (var k = 0; k < validRows.Length; k++) validAt[validRows[k]] = k;
            var latest = new List<int>(validRows.Length);
            var margin = new List<double>(validRows.Length);
            for (var i = 0; i < fitRows.Length; i++)
            {
                if (!validAt.TryGetValue(fitRows[i], out var k)) continue;
                latest.Add(i);
                margin.Add(validMargin[k]);
            }
            compact = Compaction.Run(s.Spec, suggested, (fitX, fitY), (validX, validY), (testX, testY), modelTestAuc, points, ([.. latest], [.. margin]));
            suggested = suggested with { Criteria = compact.Criteria, Scale = compact.Scale, BasePoints = compact.BasePoints };
        }

        var draft = new RuleSet
        {
            ModelVersion = modelVersion, CreatedAt = createdAt, Scale = suggested.Scale, BasePoints = suggested.BasePoints,
            Criteria = suggested.Criteria, Thresholds = new Thresholds(100, 5), Grades = [],
        };
        // Knock-outs are listed apart from the criteria: conditions whose leads (almost) never convert.
        draft = draft with { KnockOuts = knockOuts ?? KnockOutSuggester.ForTraining(s) };
        var draftEvaluator = new RuleEvaluator(draft, s.Spec);
        var validScores = draftEvaluator.Scores(validX.Span, validY.Length, width);
        // The threshold and grades are chosen as the Api will apply them: a disqualified lead never reaches the threshold
        // and sits in the lowest grade, so it is placed below every score.
        var validDisqualified = draftEvaluator.Disqualified(validX.Span, validY.Length, width);
        var chosenOn = validScores.Select((v, i) => validDisqualified[i] ? -1 : v).ToArray();
        var validCutoffs = validRows.Select(i => s.Cutoff[i]).ToArray();
        var t = ThresholdSuggester.Suggest(chosenOn, validY, validCutoffs, [.. validRows.Select(i => s.Lead[i])],
            thresholds ?? new ThresholdOptions());
        var rules = draft with { Thresholds = t.Thresholds, Grades = t.Grades };
        // The fit × engagement matrix: cut-offs from the validation leads' parts, cells measured on both periods.
        var (validFit, validEngagement) = MatrixStats.Parts(new RuleEvaluator(rules, s.Spec), validX.Span, validY.Length, width);
        rules = rules with
        {
            Matrix = MatrixStats.Suggest(validFit, validEngagement,
                rules.Criteria.Any(c => c.Group == CriterionGroup.Fit), rules.Criteria.Any(c => c.Group == CriterionGroup.Engagement)),
        };

        var evaluator = new RuleEvaluator(rules, s.Spec);
        var (testFit, testEngagement) = MatrixStats.Parts(evaluator, testX.Span, testY.Length, width);
        var testScores = evaluator.Scores(testX.Span, testY.Length, width);
        var testCutoffs = testRows.Select(i => s.Cutoff[i]).ToArray();
        return new SuggestionResult(rules,
            new PointsOnlyMetrics(PointsMetrics(testScores, testY, modelTestAuc), PointsMetrics(validScores, validY, null), rules.Criteria.Count)
            {
                EveryBand = compact is null ? null : everyBand, Curve = compact?.Curve, LeftOut = compact?.LeftOut, Sample = compact?.Sample,
            },
            new ThresholdChoice(rules.Thresholds.SalesReady, rules.Thresholds.Hysteresis, t.Why),
            new GradesByPeriod(GradeStats.Of(testScores, testY, testCutoffs, rules.Grades, evaluator.Disqualified(testX.Span, testY.Length, width)),
                GradeStats.Of(validScores, validY, validCutoffs, rules.Grades, validDisqualified)),
            IdealProfile.Build(rules.Criteria, validY.Length, validY.Count(v => v > 0.5f)),
            suggested.Importance)
        {
            Matrix = new MatrixByPeriod(MatrixStats.Of(rules.Matrix, testFit, testEngagement, testY), MatrixStats.Of(rules.Matrix, validFit, validEngagement, validY)),
        };
    }

    /// <summary>
    /// The training rows holding a category level that no validation row has (a month outside the validation period,
    /// say), with the final model's contributions, so that the level the model learnt still gets its points; then, for
    /// a level no training row has either (a value only later leads have, or the pooled "another value"), validation
    /// rows with that level put in instead of theirs, so that its points are what the model gives such a lead (the Api
    /// scores it so). Null when validation has every level.
    /// </summary>
    private const int ModelledRows = 300;

    internal static EarlierRows? EarlierLevels(SnapshotSet s, ReadOnlySpan<float> validX, int validRows, TrainedModel model)
    {
        var width = s.Width;
        var absent = new List<int>();
        for (var j = 0; j < width; j++)
        {
            if (s.Spec.Features[j].Kind != FeatureKind.Level) continue;
            var seen = false;
            for (var i = 0; i < validRows && !seen; i++) seen = validX[i * width + j] > 0.5f;
            if (!seen) absent.Add(j);
        }
        if (absent.Count == 0) return null;
        var rows = new List<int>();
        for (var i = 0; i < s.Rows; i++)
        {
            if (s.Period[i] != Period.Train) continue;
            foreach (var j in absent)
            {
                if (s.X[i * width + j] > 0.5f)
                {
                    rows.Add(i);
                    break;
                }
            }
        }
        var unseen = absent.Where(j => !rows.Any(i => s.X[i * width + j] > 0.5f)).ToList();
        // Up to ModelledRows validation rows, spread over the period, stand in for the leads a level never had.
        var stride = Math.Max(1, validRows / ModelledRows);
        var stand = validRows == 0 ? 0 : (validRows + stride - 1) / stride;
        var total = rows.Count + unseen.Count * stand;
        if (total == 0) return null;
        var x = new float[total * width];
        var y = new float[total];
        for (var k = 0; k < rows.Count; k++)
        {
            s.Row(rows[k]).CopyTo(x.AsSpan(k * width, width));
            y[k] = s.Y[rows[k]];
        }
        var at = rows.Count;
        var families = Families.Of(s.Spec);
        foreach (var j in unseen)
        {
            var family = families.First(f => f.Features.Contains(j));
            for (var r = 0; r < validRows; r += stride, at++)
            {
                var row = x.AsSpan(at * width, width);
                validX.Slice(r * width, width).CopyTo(row);
                foreach (var level in family.Features) row[level] = 0;
                row[j] = 1;
            }
        }
        return new EarlierRows(x, y, model.Contributions(x, total, width), rows.Count);
    }

    /// <summary>The test-period snapshots for what-if evaluation of drafts: the writer of the bundle's file.</summary>
    public static Action<Stream> TestSample(SnapshotSet s, (ReadOnlyMemory<float> X, float[] Y, int[] Rows) test)
    {
        var (x, y, rows) = test;
        return stream => EvaluationSample.Write(stream, s.Width, x.Span, [.. y.Select(v => v > 0.5f)], [.. rows.Select(i => s.Cutoff[i])]);
    }

    private static PointsFigures PointsMetrics(double[] scores, float[] y, double? modelAuc)
    {
        var auc = Metrics.RocAuc(scores, y);
        if (!double.IsFinite(auc)) return new PointsFigures(y.Length);
        return new PointsFigures(y.Length, Math.Round(auc, 6), modelAuc is { } m && m > 0 ? Math.Round(auc / m, 6) : null);
    }
}
