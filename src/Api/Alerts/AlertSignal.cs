namespace LeadML.Api.Alerts;

/// <summary>The outbox's wake-up: signalled after a transaction that wrote alerts commits.</summary>
public sealed class AlertSignal : WakeSignal;
