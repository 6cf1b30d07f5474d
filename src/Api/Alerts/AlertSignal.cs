using LeadML.Api.Hosting;

namespace LeadML.Api.Alerts;

/// <summary>The outbox's wake-up: signalled after a transaction that wrote alerts commits.</summary>
public sealed class AlertSignal : WakeSignal
{
    /// <summary>After the commit of a transaction that raised alerts (each a kind, or null where a lead raised none):
    /// counts them in <c>leadml_alerts_raised_total</c> and wakes the delivery. Counted here rather than where the
    /// alert is written, so a transaction rolled back or run again never counts twice.</summary>
    public void Raised(IEnumerable<string?> kinds)
    {
        var any = false;
        foreach (var kind in kinds)
        {
            if (kind is null) continue;
            ApiMetrics.AlertRaised(kind);
            any = true;
        }
        if (any) Notify();
    }
}
