using System.Runtime.CompilerServices;
using LeadML.Api.Scoring;
using LeadML.Features.Bundles;
using LeadML.Features.Evaluation;
using LeadML.Features.Rules;

namespace LeadML.Api.RuleSets;

/// <summary>
/// Evaluates rule sets on a bundle's evaluation sample (<see cref="EvaluationSample"/>: the test-period snapshots
/// with their outcomes) as production scores them: each lead gets what <c>/score</c> answers for it
/// (<see cref="LeadScorer.Hybrid"/>: the hybrid of rule and model points, its grade, sales-ready, knock-outs — a
/// disqualified lead is in the lowest grade and never sales-ready), and the figures (ROC-AUC, share and conversion rate
/// per grade, sales-ready leads per month) are of those answers; the rule points alone are given beside. The sample and
/// the model's margins on it are read once per loaded bundle and dropped with it.
/// </summary>
public static class WhatIf
{
    private static readonly ConditionalWeakTable<ModelBundle, Lazy<EvaluationSample>> Samples = [];
    private static readonly ConditionalWeakTable<ModelBundle, Lazy<double[]>> Margins = [];

    /// <summary>The bundle's sample; <see cref="RuleSetConflictException"/> when the bundle has none.</summary>
    public static EvaluationSample Sample(ModelBundle bundle)
    {
        var lazy = Samples.GetValue(bundle, b => new Lazy<EvaluationSample>(() => Read(b)));
        return lazy.Value;
    }

    /// <summary>Compares <paramref name="candidate"/> with <paramref name="inForce"/> on <paramref name="model"/>'s sample,
    /// each lead scored with the blend weight <paramref name="blendWeight"/> as <c>/score</c> scores it.</summary>
    public static WhatIfResult Compare(ScoringModel model, RuleSet candidate, string candidateLabel, RuleSet inForce, string inForceLabel, double blendWeight)
    {
        var sample = Sample(model.Bundle);
        var months = Math.Max(1, sample.Cutoff.Select(c => (c.Year, c.Month)).Distinct().Count());
        var w = Math.Clamp(blendWeight, 0, 1);
        return new WhatIfResult(model.Name, model.ModelVersion, sample.Rows, sample.Converted.Count(c => c), months,
            sample.Rows == 0 ? null : sample.Cutoff.Min(), sample.Rows == 0 ? null : sample.Cutoff.Max(),
            Evaluate(model, candidate, candidateLabel, sample, months, w), Evaluate(model, inForce, inForceLabel, sample, months, w))
        {
            BlendWeight = w,
            Formula = Blend.Describe(w),
        };
    }

    /// <summary>What <c>/score</c> answers for each lead of <paramref name="sample"/> under <paramref name="rules"/>
    /// (the model's margins computed once per bundle for its own sample).</summary>
    public static HybridScore[] Score(ScoringModel model, RuleSet rules, EvaluationSample sample, double blendWeight)
    {
        var under = model.ForTrial(rules);
        var margins = ReferenceEquals(sample, Sample(model.Bundle)) ? MarginsOf(model) : Compute(model, sample);
        var result = new HybridScore[sample.Rows];
        for (var i = 0; i < sample.Rows; i++) result[i] = LeadScorer.Hybrid(under, sample.Row(i), margins[i], blendWeight, explain: false);
        return result;
    }

    /// <summary>Area under the ROC curve by ranks (Mann–Whitney, ties counting one half); null with one class only.</summary>
    public static double? RocAuc(double[] scores, bool[] converted) =>
        Metrics.RocAuc(scores, Labels(converted)) is var auc && double.IsFinite(auc) ? auc : null;

    private static double[] MarginsOf(ScoringModel model) =>
        Margins.GetValue(model.Bundle, _ => new Lazy<double[]>(() => Compute(model, Sample(model.Bundle)))).Value;

    private static double[] Compute(ScoringModel model, EvaluationSample sample)
    {
        var margins = new double[sample.Rows];
        for (var i = 0; i < sample.Rows; i++) margins[i] = model.Margin(sample.Row(i));
        return margins;
    }

    private static WhatIfFigures Evaluate(ScoringModel model, RuleSet rules, string label, EvaluationSample sample, int months, double w)
    {
        var answers = Score(model, rules, sample, w);
        var scores = answers.Select(a => a.Score).ToArray();
        var points = answers.Select(a => a.Rules.Score).ToArray();
        var y = Labels(sample.Converted);
        var grades = new List<GradeFigures>();
        for (var k = 0; k < rules.Grades.Count; k++)
        {
            var band = rules.Grades[k];
            int leads = 0, conversions = 0;
            for (var i = 0; i < answers.Length; i++)
            {
                if (answers[i].Grade != band.Grade) continue;
                leads++;
                if (sample.Converted[i]) conversions++;
            }
            grades.Add(new GradeFigures(band.Grade, band.MinScore, band.Label, leads, Round(Ratio(leads, answers.Length)), conversions,
                Round(Ratio(conversions, leads)), Math.Round(leads / (double)months, 1)));
        }
        int ready = 0, readyConverted = 0, pointsReady = 0, disqualified = 0, disqualifiedConverted = 0;
        for (var i = 0; i < answers.Length; i++)
        {
            if (answers[i].Rules.Disqualified)
            {
                disqualified++;
                if (sample.Converted[i]) disqualifiedConverted++;
            }
            if (!answers[i].Rules.Disqualified && points[i] >= rules.Thresholds.SalesReady) pointsReady++;
            if (!answers[i].SalesReady) continue;
            ready++;
            if (sample.Converted[i]) readyConverted++;
        }
        var evaluator = new RuleEvaluator(rules, model.Spec);
        return new WhatIfFigures(label, RocAuc(scores, sample.Converted) is { } auc ? Round(auc) : null, rules.Thresholds.SalesReady, ready,
            Math.Round(ready / (double)months, 1), Round(Ratio(readyConverted, ready)), scores.Length == 0 ? 0 : Math.Round(scores.Average(), 2),
            grades, evaluator.UnknownFeatures)
        {
            Disqualified = new DisqualifiedFigures(disqualified, Math.Round(disqualified / (double)months, 1), disqualifiedConverted,
                Round(Ratio(disqualifiedConverted, disqualified)), [.. KnockOutCounts(rules, answers, sample.Converted)]),
            // The fit and engagement parts, like the knock-outs, are those each lead's answer was scored with.
            Matrix = rules.Matrix is { } matrix
                ? MatrixStats.Of(matrix, [.. answers.Select(a => a.Rules.Fit)], [.. answers.Select(a => a.Rules.Engagement)], y)
                : null,
            RulePointsAlone = new RulePointsFigures(RocAuc(points, sample.Converted) is { } pointsAuc ? Round(pointsAuc) : null, pointsReady,
                Math.Round(pointsReady / (double)months, 1), points.Length == 0 ? 0 : Math.Round(points.Average(), 2)),
        };
    }

    /// <summary>Per enabled knock-out, how many sample leads it fired for in their answers (a lead may match several).</summary>
    private static IEnumerable<KnockOutFigures> KnockOutCounts(RuleSet rules, HybridScore[] answers, bool[] converted)
    {
        var counts = new Dictionary<string, (int Leads, int Conversions)>(StringComparer.Ordinal);
        for (var i = 0; i < answers.Length; i++)
        {
            foreach (var k in answers[i].Rules.KnockOuts)
            {
                var (n, c) = counts.GetValueOrDefault(k.Id);
                counts[k.Id] = (n + 1, c + (converted[i] ? 1 : 0));
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
