using LeadML.Api.Alerts;
using LeadML.Features.Rules;

namespace LeadML.Api.Tests.Alerts;

public sealed class AlertRuleTests
{
    private static readonly Thresholds Line = new(70, 6);

    [Fact]
    public void ScoreHoveringAtTheLine_RaisesOneAlert_NotOnePerCrossing()
    {
        double[] scores = [60, 69.9, 70, 68, 71, 65, 70.5, 64.1, 69, 72];
        var ready = false;
        var alerts = new List<string>();
        foreach (var s in scores)
        {
            var kind = AlertRule.Transition(ready, s, Line);
            if (kind is null) continue;
            alerts.Add(kind);
            ready = kind == AlertRule.SalesReady;
        }
        Assert.Equal([AlertRule.SalesReady], alerts);
    }

    [Fact]
    public void FallBelowThresholdMinusHysteresis_GoesCold_ThenUpAgain()
    {
        Assert.Equal(AlertRule.GoneCold, AlertRule.Transition(true, 63.99, Line));
        Assert.Null(AlertRule.Transition(true, 64, Line));
        Assert.Null(AlertRule.Transition(false, 63, Line));
        Assert.Null(AlertRule.Transition(false, 69.99, Line));
        Assert.Equal(AlertRule.SalesReady, AlertRule.Transition(false, 70, Line));
    }

    [Fact]
    public void Disqualified_GoesColdAtOnce_AndNeverBecomesSalesReady()
    {
        Assert.Equal(AlertRule.GoneCold, AlertRule.Transition(true, 99, Line, disqualified: true));
        Assert.Null(AlertRule.Transition(false, 99, Line, disqualified: true));
    }
}
