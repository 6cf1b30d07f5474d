using LeadML.Api.Leads;
using LeadML.Api.Scoring;
using LeadML.Api.Store;
using LeadML.Features.Rules;

namespace LeadML.Api.RuleSets;

/// <summary>
/// The impact of putting a rule set in force (<see cref="RuleSetImpact"/>), computed by the code the change would run:
/// each stored open lead is scored by <see cref="LeadScorer"/> as the rescoring scores it, and its new state and alert
/// come from <see cref="LeadRescorer.Next"/>, as the rescoring's do. Nothing is written.
/// </summary>
public static class Impact
{
    public static async Task<RuleSetImpact> OfAsync(ScoringModel model, RuleSet candidate, string label, LeadStore? store, double blendWeight,
        int maxAlerts, DateTime now, CancellationToken ct)
    {
        var under = model.ForTrial(candidate);
        var options = new ScoreOptions(Explain: false, BlendWeight: blendWeight, TopContributions: 0);
        int open = 0, gradeChanges = 0, before = 0, after = 0, become = 0, stop = 0;
        var moves = new Dictionary<(string? From, string To), int>();
        if (store is not null)
        {
            await foreach (var (lead, events) in store.OpenLeadsAsync(model.Name, ct))
            {
                open++;
                var result = LeadScorer.Score(under, LeadRescorer.Input(lead, events, now), options);
                var (alert, salesReady) = LeadRescorer.Next(lead, result, candidate.Thresholds);
                if (lead.SalesReady) before++;
                if (salesReady) after++;
                if (alert == Alerts.AlertRule.SalesReady) become++;
                if (alert == Alerts.AlertRule.GoneCold) stop++;
                if (lead.Grade == result.Grade) continue;
                gradeChanges++;
                moves[(lead.Grade, result.Grade)] = moves.GetValueOrDefault((lead.Grade, result.Grade)) + 1;
            }
        }
        var transitions = become + stop;
        var fired = Math.Min(transitions, maxAlerts);
        return new RuleSetImpact(model.Name, model.ModelVersion, label, model.RuleSetVersion, new DateTimeOffset(now, TimeSpan.Zero), store is not null, open,
            gradeChanges, [.. moves.OrderByDescending(m => m.Value).ThenBy(m => m.Key.From, StringComparer.Ordinal).ThenBy(m => m.Key.To, StringComparer.Ordinal)
                .Select(m => new GradeMove(m.Key.From, m.Key.To, m.Value))],
            before, after, become, stop, fired, transitions - fired, maxAlerts);
    }
}
