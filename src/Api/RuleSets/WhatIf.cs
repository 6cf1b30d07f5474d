using System.Runtime.CompilerServices;
using LeadML.Features.Bundles;
using LeadML.Features.Evaluation;
using LeadML.Features.Rules;

namespace LeadML.Api.RuleSets;

/// <summary>
/// Evaluates rule sets on a bundle's evaluation sample (<see cref="EvaluationSample"/>: the test-period snapshots
/// with their outcomes): points-only ROC-AUC, share and conversion rate per grade, sales-ready leads per month. Knock-outs
/// count as in production: a disqualified lead is in the lowest grade and never sales-ready. The
/// sample is read once per loaded bundle and dropped with it.
/// </summary>
public static class WhatIf
{
    private static readonly ConditionalWeakTable<ModelBundle, Lazy<EvaluationSample>> Samples = [];

    /// <summary>The bundle's sample; <see cref="RuleSetConflictException"/> when the bundle has none.</summary>
    public static EvaluationSample Sample(ModelBundle bundle)
    {
        var lazy = Samples.GetValue(bundle, b => new Lazy<EvaluationSample>(() => Read(b)));
        return lazy.Value;
    }

    public static WhatIfResult Compare(string model, ModelBundle bundle, RuleSet candidate, string candidateLabel, RuleSet inForce, string inForceLabel)
    {
        var sample = Sample(bundle);
        var months = Math.Max(1, sample.Cutoff.Select(c => (c.Year, c.Month)).Distinct().Count());
        return new WhatIfResult(model, bundle.Manifest.ModelVersion, sample.Rows, sample.Converted.Count(c => c), months,
            sample.Rows == 0 ? null : sample.Cutoff.Min(), sample.Rows == 0 ? null : sample.Cutoff.Max(),
            Evaluate(candidate, candidateLabel, bundle, sample, months), Evaluate(inForce, inForceLabel, bundle, sample, months));
    }

    /// <summary>Area under the ROC curve by ranks (Mann–Whitney, ties counting one half); null with one class only.</summary>
    public static double? RocAuc(double[] scores, bool[] converted) =>
        Metrics.RocAuc(scores, Labels(converted)) is var auc && double.IsFinite(auc) ? auc : null;

    private static WhatIfFigures Evaluate(RuleSet rules, string label, ModelBundle bundle, EvaluationSample sample, int months)
    {
        var evaluator = new RuleEvaluator(rules, bundle.Spec);
        var scores = evaluator.Scores(sample.X, sample.Rows, sample.Width);
        var knockedOut = evaluator.Disqualified(sample.X, sample.Rows, sample.Width);
        var y = Labels(sample.Converted);
        var grades = GradeStats.Of(scores, y, sample.Cutoff, rules.Grades, knockedOut)
            .Select((g, k) => new GradeFigures(g.Grade, g.MinScore, rules.Grades[k].Label, g.Leads, g.Share, g.Conversions, g.ConversionRate, g.LeadsPerMonth))
            .ToList();
        int ready = 0, readyConverted = 0, disqualified = 0, disqualifiedConverted = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            if (knockedOut[i])
            {
                disqualified++;
                if (sample.Converted[i]) disqualifiedConverted++;
            }
            if (!evaluator.SalesReady(scores[i], knockedOut[i])) continue;
            ready++;
            if (sample.Converted[i]) readyConverted++;
        }
        return new WhatIfFigures(label, RocAuc(scores, sample.Converted) is { } auc ? Round(auc) : null, rules.Thresholds.SalesReady, ready,
            Math.Round(ready / (double)months, 1), Round(Ratio(readyConverted, ready)), scores.Length == 0 ? 0 : Math.Round(scores.Average(), 2),
            grades, evaluator.UnknownFeatures)
        {
            Disqualified = new DisqualifiedFigures(disqualified, Math.Round(disqualified / (double)months, 1), disqualifiedConverted,
                Round(Ratio(disqualifiedConverted, disqualified)), [.. KnockOutCounts(evaluator, rules, sample)]),
            Matrix = rules.Matrix is { } matrix
                ? MatrixStats.Of(matrix, MatrixStats.Parts(evaluator, sample.X, sample.Rows, sample.Width) is var (fit, engagement) ? fit : [], engagement, y)
                : null,
        };
    }

    /// <summary>Per enabled knock-out, how many sample leads it fires for (a lead may match several).</summary>
    private static IEnumerable<KnockOutFigures> KnockOutCounts(RuleEvaluator evaluator, RuleSet rules, EvaluationSample sample)
    {
        var counts = new Dictionary<string, (int Leads, int Conversions)>(StringComparer.Ordinal);
        if (rules.KnockOuts.Any(k => k.Enabled))
        {
            for (var i = 0; i < sample.Rows; i++)
            {
                foreach (var k in evaluator.KnockOuts(sample.X.AsSpan(i * sample.Width, sample.Width)).ToList())
                {
                    var (n, c) = counts.GetValueOrDefault(k.Id);
                    counts[k.Id] = (n + 1, c + (sample.Converted[i] ? 1 : 0));
                }
            }
        }
        foreach (var k in rules.KnockOuts.Where(k => k.Enabled))
        {
            var (n, c) = counts.GetValueOrDefault(k.Id);
            yield return new KnockOutFigures(k.Id, k.Label, n, c, Round(Ratio(c, n)));
        }
    }

    private static float[] Labels(bool[] converted) => [.. converted.Select(c => c ? 1f : 0f)];

    private static double Ratio(int a, int b) => b == 0 ? 0 : (double)a / b;

    private static double Round(double v) => Math.Round(v, 6);

    private static EvaluationSample Read(ModelBundle bundle)
    {
        var dir = bundle.Directory ?? throw new RuleSetConflictException("the model's bundle has no folder to read its evaluation sample from");
        if (!File.Exists(Path.Combine(dir, EvaluationSample.FileName)))
        {
            throw new RuleSetConflictException($"the model's bundle has no {EvaluationSample.FileName}, so drafts cannot be evaluated; retrain it with this LeadML");
        }
        return EvaluationSample.Read(dir);
    }
}
