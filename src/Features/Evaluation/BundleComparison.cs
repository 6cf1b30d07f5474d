using System.Text.Json.Nodes;
using LeadML.Features.Bundles;
using LeadML.Features.History;
using LeadML.Features.Reporting;
using LeadML.Features.Rules;
using LeadML.Features.Snapshots;

namespace LeadML.Features.Evaluation;

/// <summary>
/// Scores two bundles on the same most recent months of a history that neither was trained on (cut-offs after both
/// training windows, training + validation, ended): ROC-AUC, PR-AUC, calibration error, lift in the top decile, how
/// many leads change grade, and how the suggested points moved per criterion.
/// </summary>
/// <remarks>Both bundles are scored by <see cref="BundlePredictor"/>, the managed evaluator the Api serves with.</remarks>
public static class BundleComparison
{
    /// <summary>Compares <paramref name="next"/> with <paramref name="current"/> on <paramref name="history"/>.</summary>
    /// <exception cref="InvalidDataException">The history has no cut-off after both training windows.</exception>
    public static ComparisonResult Run(ModelBundle current, ModelBundle next, LeadHistory history, Action<string>? progress = null)
    {
        // A recalibrated bundle learnt its calibration from outcomes after its training window: score only what follows them.
        var trainedUntil = new[] { current.Manifest.Window.LearntUntil, next.Manifest.Window.LearntUntil }.Max();
        progress?.Invoke($"Scoring the current bundle ({current.Manifest.ModelVersion})");
        var (cur, curGrades, curRows) = Evaluate(current, history, trainedUntil);
        progress?.Invoke($"Scoring the new bundle ({next.Manifest.ModelVersion})");
        var (nxt, nxtGrades, nxtRows) = Evaluate(next, history, trainedUntil);

        // Rows are (lead, cut-off) pairs of the same history and cut-offs: match them to count grade changes.
        var currentRules = Rules(current);
        var nextRules = Rules(next);
        var curGrade = new Dictionary<(int, DateTime), string>();
        for (var k = 0; k < curRows.Count; k++) curGrade[curRows[k]] = curGrades[k];
        var changes = 0;
        for (var k = 0; k < nxtRows.Count; k++)
        {
            if (curGrade.TryGetValue(nxtRows[k], out var g) && g != nxtGrades[k]) changes++;
        }

        var moves = Moves(currentRules, nextRules);
        var notWorse = (nxt.RocAuc ?? 0) >= (cur.RocAuc ?? 0) - 0.002 && (nxt.PrAuc ?? 0) >= (cur.PrAuc ?? 0) - 0.002
            && nxt.Ece <= cur.Ece + 0.005 && nxt.TopDecileLift >= cur.TopDecileLift - 0.05;
        var verdict = notWorse
            ? "the new bundle is not worse on any metric: it can be promoted"
            : "the new bundle is worse on at least one metric: keep the current one unless you know why";
        var cutoffs = curRows.Select(r => r.Item2).ToList();
        return new ComparisonResult(cur, nxt, cutoffs.Min(), cutoffs.Max(), changes, curRows.Count, moves, notWorse, verdict);
    }

    private static RuleSet Rules(ModelBundle b) => b.ReadOptional<RuleSet>(ModelBundle.SuggestedRuleSetFile)
        ?? throw new BundleException(b.Directory ?? "", $"is missing {ModelBundle.SuggestedRuleSetFile}");

    /// <summary>The bundle's metrics on the rows after <paramref name="trainedUntil"/>, and each row's grade under its suggested
    /// rule set as the Api grades it (a knock-out gives the lowest grade).</summary>
    private static (ComparedModel Model, string[] Grades, List<(int, DateTime)> Rows) Evaluate(ModelBundle b, LeadHistory history, DateTime trainedUntil)
    {
        var s = SnapshotBuilder.Build(history, spec: b.Spec);
        var rows = Enumerable.Range(0, s.Rows).Where(i => s.Cutoff[i] > trainedUntil).ToList();
        if (rows.Count == 0)
        {
            throw new InvalidDataException($"the history has no cut-off after {trainedUntil:yyyy-MM-dd}, when the bundles' training ended: give a more recent history");
        }
        var x = new float[rows.Count * s.Width];
        var y = new float[rows.Count];
        for (var k = 0; k < rows.Count; k++)
        {
            s.Row(rows[k]).CopyTo(x.AsSpan(k * s.Width, s.Width));
            y[k] = s.Y[rows[k]];
        }
        var p = BundlePredictor.For(b).Margins(x, rows.Count, s.Width).Select(b.Calibration.Apply).ToArray();
        var metrics = Metrics.Compute(p, y);
        var evaluator = new RuleEvaluator(Rules(b), b.Spec);
        var ruleScores = evaluator.Scores(x, rows.Count, s.Width);
        var disqualified = evaluator.Disqualified(x, rows.Count, s.Width);
        var grades = ruleScores.Select((score, k) => evaluator.Grade(score, disqualified[k])).ToArray();
        var compared = new ComparedModel(b.Manifest.ModelVersion, metrics.RocAuc, metrics.PrAuc, metrics.ExpectedCalibrationError,
            metrics.Lift.Count > 0 ? metrics.Lift[0].Lift : 0, rows.Count, y.Count(v => v > 0.5f));
        return (compared, grades, [.. rows.Select(i => (s.Lead[i], s.Cutoff[i]))]);
    }

    /// <summary>How each criterion of <paramref name="next"/> moved from <paramref name="current"/>, dropped ones last.</summary>
    public static IReadOnlyList<CriterionMove> Moves(RuleSet current, RuleSet next)
    {
        var cur = current.Criteria.ToDictionary(c => c.Id, StringComparer.Ordinal);
        var nxt = next.Criteria.ToDictionary(c => c.Id, StringComparer.Ordinal);
        var moves = new List<CriterionMove>();
        foreach (var c in next.Criteria)
        {
            if (!cur.TryGetValue(c.Id, out var old))
            {
                moves.Add(new CriterionMove(c.Id, c.Label, null, c.Points, "new"));
                continue;
            }
            var halfWidth = c.Interval is { } i ? (i.High - i.Low) / 2 : 0;
            var change = Math.Sign(old.Points) * Math.Sign(c.Points) < 0 ? "sign flipped"
                : Math.Abs(c.Points - old.Points) > Math.Max(1, halfWidth) ? "moved"
                : "unchanged";
            moves.Add(new CriterionMove(c.Id, c.Label, old.Points, c.Points, change));
        }
        moves.AddRange(current.Criteria.Where(c => !nxt.ContainsKey(c.Id)).Select(c => new CriterionMove(c.Id, c.Label, c.Points, null, "dropped")));
        return moves;
    }

    /// <summary>The comparison as JSON, as <c>metrics.json</c> holds it.</summary>
    public static JsonObject ToJson(ComparisonResult r) => System.Text.Json.JsonSerializer.SerializeToNode(r, BundleMetricsJson.Default.ComparisonResult)!.AsObject();

    /// <summary>Stores the comparison in the new bundle's metrics and re-renders its report (each file replaced whole);
    /// returns the metrics as stored.</summary>
    public static BundleMetrics Record(ModelBundle bundle, ComparisonResult result)
    {
        var metrics = bundle.Metrics with { Comparison = result };
        Replace(Path.Combine(bundle.Directory!, ModelBundle.MetricsFile), metrics.ToJson());
        var rules = bundle.ReadOptional<RuleSet>(ModelBundle.SuggestedRuleSetFile);
        Replace(Path.Combine(bundle.Directory!, ReportWriter.FileName), ReportWriter.Render(bundle.Manifest, metrics, rules));
        return metrics;
    }

    private static void Replace(string path, string text)
    {
        var temp = path + ".tmp";
        File.WriteAllText(temp, text);
        File.Move(temp, path, overwrite: true);
    }
}
