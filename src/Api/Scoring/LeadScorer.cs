using System.Runtime.InteropServices;
using System.Text.Json;
using LeadML.Features.Featurization;
using LeadML.Features.History;
using LeadML.Features.Rules;

namespace LeadML.Api.Scoring;

/// <summary>
/// Scores one lead (design §7): features by the same code as training (attributes aligned to the bundle's spec,
/// events before <c>asOf</c> accumulated point in time), rule points, the calibrated model probability, the model's
/// contributions in points on the rules' scale, and the hybrid of both; a knock-out that fires disqualifies the lead
/// (not sales-ready, the lowest grade) whatever that score. Unknown attributes, categories and event types
/// are reported, never fatal.
/// </summary>
public static class LeadScorer
{
    /// <summary>Why an event is not counted: the score is as of <c>asOf</c>, and this event had not happened by then.</summary>
    internal const string AtOrAfterAsOf = "at or after asOf";

    /// <summary>Scores <paramref name="lead"/>; <paramref name="batchIndex"/> is its place in a batch (-1 for a lead sent
    /// alone), which the paths of its warnings name.</summary>
    public static ScoreResponse Score(ScoringModel model, LeadInput lead, ScoreOptions options, int batchIndex = -1)
    {
        var unknown = new List<string>();
        var invalid = new List<string>();
        var unknownTypes = new SortedSet<string>(StringComparer.Ordinal);
        var x = Vector(model, lead, unknown, invalid, unknownTypes, out var ignored);
        var missing = new List<string>();
        var unknownCategories = new List<string>();
        for (var a = 0; a < model.Spec.Attributes.Count; a++)
        {
            var enc = model.Spec.Attributes[a];
            if (!lead.Attributes.TryGetValue(enc.Column, out var text) || AttributeText.IsMissing(text))
            {
                missing.Add(enc.Column);
            }
            else if (enc.Type == ColumnType.Category && !model.Levels[enc.Column].Contains(text!.Trim()))
            {
                unknownCategories.Add($"{enc.Column}: '{text.Trim()}' is not a level the model knows; scored as another value");
            }
        }

        var margin = model.Margin(x);
        var probability = Finite(model.Probability(margin));
        model.Drift?.Observe(x, probability);
        var hybrid = Hybrid(model, x, margin, options.BlendWeight, options.Explain);
        var rules = hybrid.Rules;
        var modelPoints = Explain(model, x, margin, options);
        var w = hybrid.BlendWeight;
        var score = hybrid.Score;
        return new ScoreResponse
        {
            LeadId = lead.LeadId,
            Model = model.Name,
            ModelVersion = model.ModelVersion,
            RuleSetVersion = model.RuleSetVersion,
            RuleSetSource = model.RuleSource == RuleSetSource.Approved ? "approved" : "suggested",
            AsOf = new DateTimeOffset(lead.AsOf, TimeSpan.Zero),
            Score = score,
            Grade = hybrid.Grade,
            SalesReady = hybrid.SalesReady,
            Disqualified = rules.Disqualified,
            KnockOuts = KnockOutDto.Of(rules),
            DisqualifiedBecause = rules.Disqualified ? CriterionText.KnockedOut(rules.KnockOuts.Select(k => k.Label)) : null,
            Matrix = model.Rules.Matrix?.Cell(rules.Fit, rules.Engagement),
            RulePoints = new RulePoints
            {
                Score = Math.Round(rules.Score, 2),
                BasePoints = model.Rules.BasePoints,
                Fit = Math.Round(rules.Fit, 2),
                Engagement = Math.Round(rules.Engagement, 2),
                Criteria = !options.Explain ? null : [.. rules.Fired.Select(f => new FiredCriterionDto(f.Id, f.Label, f.Group == CriterionGroup.Fit ? "fit" : "engagement",
                    f.Points, f.CountedPoints, OrNull(f.Value)))],
            },
            ModelProbability = Math.Round(probability, 6),
            ModelPoints = modelPoints,
            Blend = !options.Explain ? null : new Blend(w, Math.Round(rules.Score, 2), Math.Round(modelPoints.Score, 2),
                Blend.Describe(w)),
            Warnings = Warn(new ScoreWarnings
            {
                UnknownAttributes = unknown,
                MissingAttributes = missing,
                UnknownCategories = unknownCategories,
                InvalidValues = invalid,
                IgnoredEvents = ignored,
                IgnoredEventReasons = ignored == 0 ? [] : Ignored(lead, batchIndex),
                UnknownEventTypes = [.. unknownTypes],
            }),
            Features = options.Features ? NonZero(model.Spec, x) : null,
        };
    }

    /// <summary>
    /// What a score answer decides for a lead's feature vector under the model's rule set: the rule points, the model's
    /// points on the rules' scale, the hybrid <c>(1 − w) × rule points + w × model points</c>, its grade and whether it
    /// is sales-ready. The one place these are decided: <c>/score</c>, the lead store's rescoring, the rule-set what-if
    /// and impact all come here, so a rule that changes a grade or sales-ready (a knock-out) changes all of them.
    /// </summary>
    /// <param name="margin">The model's margin for <paramref name="x"/> (<see cref="ScoringModel.Margin"/>).</param>
    /// <param name="blendWeight">The model's weight w, clamped to 0–1.</param>
    /// <param name="explain">Whether the criteria that fired are listed.</param>
    public static HybridScore Hybrid(ScoringModel model, ReadOnlySpan<float> x, double margin, double blendWeight, bool explain)
    {
        var rules = model.Evaluator.Evaluate(x, explain);
        var modelPoints = Math.Round(model.MarginPoints(margin), 2);
        var w = Math.Clamp(blendWeight, 0, 1);
        var score = Math.Round((1 - w) * rules.Score + w * modelPoints, 2);
        return new HybridScore(rules, modelPoints, w, score, model.Evaluator.Grade(score, rules.Disqualified), model.Evaluator.SalesReady(score, rules.Disqualified));
    }

    private static ScoreWarnings? Warn(ScoreWarnings w) => w.IsEmpty ? null : w;

    /// <summary>Whether an event is left out of the features of a lead scored as of <paramref name="asOf"/>.</summary>
    private static bool IsIgnored(LeadEventInput e, DateTime asOf) => e.Timestamp >= asOf;

    /// <summary>The events <see cref="Vector"/> ignored, at their paths (found again only when there are some).</summary>
    private static List<IgnoredEvent> Ignored(LeadInput lead, int batchIndex)
    {
        var events = batchIndex < 0 ? "$.events" : $"$.leads[{batchIndex}].events";
        var result = new List<IgnoredEvent>();
        for (var i = 0; i < lead.Events.Count; i++)
        {
            if (IsIgnored(lead.Events[i], lead.AsOf)) result.Add(new IgnoredEvent($"{events}[{i}]", AtOrAfterAsOf));
        }
        return result;
    }

    /// <summary>The one place a lead becomes a feature vector: attributes aligned to the spec, events before
    /// <c>asOf</c> accumulated point in time; what is odd is reported into the lists given.</summary>
    internal static float[] Vector(ScoringModel model, LeadInput lead, List<string>? unknown, List<string>? invalid,
        SortedSet<string>? unknownTypes, out int ignored)
    {
        var attributes = model.Aligner.FromText(lead.Attributes, unknown, invalid);
        var accumulator = EventAccumulator.ForOneLead(model.Featurizer, lead.AsOf);
        ignored = 0;
        // Requests come as a list, batches as an array: both read as a span, without an enumerator or interface calls.
        var events = lead.Events switch
        {
            LeadEventInput[] array => array,
            List<LeadEventInput> list => CollectionsMarshal.AsSpan(list),
            var other => [.. other],
        };
        foreach (var e in events)
        {
            if (IsIgnored(e, lead.AsOf))
            {
                ignored++;
                continue;
            }
            if (unknownTypes is not null && !model.EventTypes.Contains(e.Type)) unknownTypes.Add(e.Type);
            accumulator.Add(new LeadEvent(0, e.Timestamp, e.Type, e.Detail));
        }
        var x = new float[model.Width];
        model.Featurizer.Write(attributes, lead.CreatedAt, lead.AsOf, accumulator, 0, x);
        return x;
    }

    private static ModelPoints Explain(ScoringModel model, float[] x, double margin, ScoreOptions options)
    {
        var factor = model.Rules.Scale.Factor;
        var score = Math.Round(model.MarginPoints(margin), 2);
        if (!options.Explain)
        {
            return new ModelPoints { Score = score };
        }
        var phi = new double[model.Width + 1];
        model.Contributions(x, phi);
        var baseline = model.Rules.BasePoints + factor * (phi[^1] - model.Rules.Scale.ReferenceMargin);
        var order = Enumerable.Range(0, model.Width).Where(j => phi[j] != 0).OrderByDescending(j => Math.Abs(phi[j])).ToList();
        var top = order.Where(j => phi[j] > 0).Take(options.TopContributions)
            .Concat(order.Where(j => phi[j] < 0).Take(options.TopContributions)).ToHashSet();
        var other = order.Where(j => !top.Contains(j)).Sum(j => phi[j]) * factor;
        return new ModelPoints
        {
            Score = score,
            Baseline = Math.Round(baseline, 2),
            Contributions = [.. top.OrderByDescending(j => phi[j]).Select(j => new ContributionDto(
                model.Spec.Features[j].Name, CriterionText.Value(model.Spec, j, x[j]), OrNull(x[j]), Math.Round(phi[j] * factor, 2)))],
            OtherPoints = Math.Round(other, 2),
        };
    }

    private static Dictionary<string, double> NonZero(FeatureSpec spec, float[] x)
    {
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var j = 0; j < x.Length; j++)
        {
            if (x[j] != 0 && !float.IsNaN(x[j])) result[spec.Features[j].Name] = x[j];
        }
        return result;
    }

    /// <summary>JSON cannot carry NaN or infinities.</summary>
    private static double Finite(double v) => double.IsFinite(v) ? v : 0;

    private static double? OrNull(double v) => double.IsFinite(v) ? v : null;
}
