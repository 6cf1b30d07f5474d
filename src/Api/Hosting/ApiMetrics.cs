using LeadML.Api.Scoring;
using Prometheus;

namespace LeadML.Api.Hosting;

/// <summary>Prometheus metrics beyond the HTTP request durations: scores by grade, and the versions in force.</summary>
public static class ApiMetrics
{
    private static readonly Counter Scores = Metrics.CreateCounter("leadml_scores_total", "Leads scored, by model and grade", "model", "grade");
    private static readonly Gauge ModelInfo = Metrics.CreateGauge("leadml_model_info", "1 for the model and rule-set versions in force", "model", "model_version", "rule_set");

    public static void Scored(ScoreResponse r) => Scores.WithLabels(r.Model, r.Grade).Inc();

    /// <summary>A batch's scores, counted per model and grade and added once each (not once per lead, from every
    /// scoring thread at the same counter).</summary>
    public static void Scored(IReadOnlyList<BatchItem> items)
    {
        // A batch has a few models and grades (the same string instances), so a short list beats hashing them.
        var counts = new List<(string Model, string Grade, int Count)>();
        foreach (var item in items)
        {
            if (item.Result is not { } r) continue;
            var k = 0;
            while (k < counts.Count && !(string.Equals(counts[k].Model, r.Model, StringComparison.Ordinal) && string.Equals(counts[k].Grade, r.Grade, StringComparison.Ordinal))) k++;
            if (k == counts.Count) counts.Add((r.Model, r.Grade, 1));
            else counts[k] = (r.Model, r.Grade, counts[k].Count + 1);
        }
        foreach (var (model, grade, n) in counts) Scores.WithLabels(model, grade).Inc(n);
    }

    /// <summary>Publishes the versions in force and follows every swap.</summary>
    public static void Track(ModelRegistry registry)
    {
        foreach (var m in registry.All) ModelInfo.WithLabels(m.Name, m.ModelVersion, m.RuleSetVersion).Set(1);
        registry.Swapped += (before, after) =>
        {
            ModelInfo.RemoveLabelled(before.Name, before.ModelVersion, before.RuleSetVersion);
            ModelInfo.WithLabels(after.Name, after.ModelVersion, after.RuleSetVersion).Set(1);
        };
    }
}
