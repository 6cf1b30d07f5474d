using LeadML.Api.Scoring;
using Prometheus;

namespace LeadML.Api.Hosting;

/// <summary>Prometheus metrics beyond the HTTP requests: scores by grade, the versions in force, alerts and their webhook
/// deliveries, and rescoring rounds.</summary>
public static class ApiMetrics
{
    private static readonly Counter Scores = Metrics.CreateCounter("leadml_scores_total", "Leads scored, by model and grade", "model", "grade");
    private static readonly Gauge ModelInfo = Metrics.CreateGauge("leadml_model_info", "1 for the model and rule-set versions in force", "model", "model_version", "rule_set");
    private static readonly Counter AlertsRaised = Metrics.CreateCounter("leadml_alerts_raised_total", "Alerts raised (committed to the outbox), by kind", "kind");
    private static readonly Counter AlertsDelivered = Metrics.CreateCounter("leadml_alerts_delivered_total",
        "Alerts every webhook accepted, by kind", "kind");
    private static readonly Counter AlertsFailed = Metrics.CreateCounter("leadml_alerts_failed_total",
        "Delivery rounds of an alert that a webhook did not accept after its retries (the alert goes out again later), by kind", "kind");
    private static readonly Histogram WebhookDuration = Metrics.CreateHistogram("leadml_webhook_request_duration_seconds",
        "Time of one webhook request, by outcome (accepted: 2xx; failed: another status, a timeout or a connection error)",
        new HistogramConfiguration { LabelNames = ["outcome"], Buckets = Histogram.ExponentialBuckets(0.005, 2, 12) });
    private static readonly Counter RescoringRounds = Metrics.CreateCounter("leadml_rescoring_rounds_total",
        "Rescoring rounds, by outcome (completed or failed)", "outcome");
    private static readonly Counter LeadsRescored = Metrics.CreateCounter("leadml_leads_rescored_total", "Leads scored again by rescoring rounds");

    public static void AlertRaised(string kind) => AlertsRaised.WithLabels(kind).Inc();

    /// <summary>One delivery round of an alert to every webhook: delivered, or failed and to be tried again.</summary>
    public static void AlertRound(string kind, bool delivered) => (delivered ? AlertsDelivered : AlertsFailed).WithLabels(kind).Inc();

    public static void WebhookAttempt(TimeSpan duration, bool accepted) => WebhookDuration.WithLabels(accepted ? "accepted" : "failed").Observe(duration.TotalSeconds);

    /// <summary>A rescoring round that completed (with the leads it rescored) or failed.</summary>
    public static void RescoringRound(int? rescored)
    {
        RescoringRounds.WithLabels(rescored is null ? "failed" : "completed").Inc();
        if (rescored is { } n) LeadsRescored.Inc(n);
    }

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
