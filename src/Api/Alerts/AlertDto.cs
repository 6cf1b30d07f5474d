namespace LeadML.Api.Alerts;

/// <summary>An alert as listed by <c>GET /alerts</c>.</summary>
public sealed record AlertDto(string Key, string Kind, string Model, string LeadId, double Score, double? PreviousScore, double Threshold, double Hysteresis,
    string Reason, string ModelVersion, string RuleSetVersion, DateTimeOffset RaisedAt, DateTimeOffset? DeliveredAt, int Attempts, string? LastError);
