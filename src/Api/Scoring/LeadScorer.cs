using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using LeadML.Features.Featurization;
using LeadML.Features.History;
using LeadML.Features.Rules;

namespace LeadML.Api.Scoring;

/// <summary>A lead as the scorer sees it, whether it came in a request or from the lead store.</summary>
public sealed record LeadInput
{
    public string? LeadId { get; init; }
    public IReadOnlyDictionary<string, string?> Attributes { get; init; } = System.Collections.ObjectModel.ReadOnlyDictionary<string, string?>.Empty;
    public IReadOnlyList<LeadEventInput> Events { get; init; } = [];
    public required DateTime CreatedAt { get; init; }
    public required DateTime AsOf { get; init; }
}

/// <summary>One event of a lead (UTC).</summary>
public readonly record struct LeadEventInput(DateTime Timestamp, string Type, string? Detail)
{
    /// <summary>An event as a request sends it: type and detail trimmed, a blank detail as none.</summary>
    public static LeadEventInput Sent(DateTime utc, string type, string? detail) =>
        new(utc, type.Trim(), string.IsNullOrWhiteSpace(detail) ? null : detail.Trim());
}

/// <summary>How much to explain and how to blend.</summary>
public sealed record ScoreOptions(bool Explain = true, bool Features = false, double BlendWeight = 0.5, int TopContributions = 5);

/// <summary>A request that cannot be scored; <see cref="Path"/> is the JSON path of the offending field.</summary>
public sealed class RequestValidationException(string path, string message) : Exception(message)
{
    public string Path { get; } = path;
}

/// <summary>
/// Scores one lead (design §7): features by the same code as training (attributes aligned to the bundle's spec,
/// events before <c>asOf</c> accumulated point in time), rule points, the calibrated model probability, the model's
/// contributions in points on the rules' scale, and the hybrid of both. Unknown attributes, categories and event types
/// are reported, never fatal.
/// </summary>
public static class LeadScorer
{
    public static ScoreResponse Score(ScoringModel model, LeadInput lead, ScoreOptions options)
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
        var rules = model.Evaluator.Evaluate(x, options.Explain);
        var modelPoints = Explain(model, x, margin, options);
        var w = Math.Clamp(options.BlendWeight, 0, 1);
        var score = Math.Round((1 - w) * rules.Score + w * modelPoints.Score, 2);
        var thresholds = model.Rules.Thresholds;
        return new ScoreResponse
        {
            LeadId = lead.LeadId,
            Model = model.Name,
            ModelVersion = model.ModelVersion,
            RuleSetVersion = model.RuleSetVersion,
            RuleSetSource = model.RuleSource == RuleSetSource.Approved ? "approved" : "suggested",
            AsOf = new DateTimeOffset(lead.AsOf, TimeSpan.Zero),
            Score = score,
            Grade = model.Evaluator.Grade(score),
            SalesReady = score >= thresholds.SalesReady,
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
                string.Create(CultureInfo.InvariantCulture, $"score = {1 - w:0.##} × rule points + {w:0.##} × model points")),
            Warnings = Warn(new ScoreWarnings
            {
                UnknownAttributes = unknown,
                MissingAttributes = missing,
                UnknownCategories = unknownCategories,
                InvalidValues = invalid,
                IgnoredEvents = ignored,
                UnknownEventTypes = [.. unknownTypes],
            }),
            Features = options.Features ? NonZero(model.Spec, x) : null,
        };
    }

    private static ScoreWarnings? Warn(ScoreWarnings w) => w.IsEmpty ? null : w;

    /// <summary>The feature vector the scorer computes for a lead (for tests and diagnostics).</summary>
    public static float[] Vector(ScoringModel model, LeadInput lead) => Vector(model, lead, null, null, null, out _);

    /// <summary>The one place a lead becomes a feature vector: attributes aligned to the spec, events before
    /// <c>asOf</c> accumulated point in time; what is odd is reported into the lists given.</summary>
    private static float[] Vector(ScoringModel model, LeadInput lead, List<string>? unknown, List<string>? invalid,
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
            if (e.Timestamp >= lead.AsOf)
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
                model.Spec.Features[j].Name, model.Spec.Features[j].Label, OrNull(x[j]), Math.Round(phi[j] * factor, 2)))],
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

    internal const string InvalidAttributeMessage = "must be a string, number, boolean or null";
    internal const string CreatedAfterAsOfMessage = "is after asOf";

    /// <summary>Turns a request into a <see cref="LeadInput"/>, naming the JSON path of anything unusable.</summary>
    public static LeadInput FromRequest(ScoreRequest r, DateTime now, string path = "$")
    {
        var attributes = r.Attributes ?? new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (name, value) in attributes)
        {
            if (AttributeTextConverter.IsInvalid(value)) throw new RequestValidationException($"{path}.attributes.{name}", InvalidAttributeMessage);
        }
        var asOf = r.AsOf?.UtcDateTime ?? now;
        var createdAt = r.CreatedAt?.UtcDateTime ?? asOf;
        if (createdAt > asOf) throw new RequestValidationException($"{path}.createdAt", CreatedAfterAsOfMessage);
        var events = new List<LeadEventInput>(r.Events?.Count ?? 0);
        for (var i = 0; i < (r.Events?.Count ?? 0); i++)
        {
            var e = r.Events![i];
            if (e is null) throw new RequestValidationException($"{path}.events[{i}]", "must be an object");
            if (string.IsNullOrWhiteSpace(e.Type)) throw new RequestValidationException($"{path}.events[{i}].type", "is required");
            if (e.Timestamp is null) throw new RequestValidationException($"{path}.events[{i}].timestamp", "is required");
            events.Add(LeadEventInput.Sent(e.Timestamp.Value.UtcDateTime, e.Type, e.Detail));
        }
        return new LeadInput { LeadId = r.LeadId, Attributes = attributes, Events = events, CreatedAt = createdAt, AsOf = asOf };
    }
}
