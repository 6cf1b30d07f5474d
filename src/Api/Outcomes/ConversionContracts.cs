namespace LeadML.Api.Outcomes;

/// <summary>A lead became a customer (<c>POST /leads/{id}/conversion</c>).</summary>
public sealed record ConversionRequest
{
    /// <summary>Scoring model by name; the default when omitted.</summary>
    public string? Model { get; init; }
    /// <summary>When the lead converted; now when omitted. Not in the future, not before the lead was created.</summary>
    public DateTimeOffset? At { get; init; }
    /// <summary>The deal's value (any currency, ≥ 0), optional.</summary>
    public double? Value { get; init; }
    /// <summary>Where the conversion was recorded (a CRM, a deal id), optional, at most 256 characters.</summary>
    public string? Source { get; init; }
}

/// <summary>A lead's conversion as stored.</summary>
/// <param name="Status"><c>recorded</c> (new), <c>unchanged</c> (a repeat with the same data), <c>updated</c> (same
/// time, new value or source), <c>replaced</c> (another time, by an admin), or <c>undone</c>.</param>
public sealed record ConversionResponse(string LeadId, string Model, DateTimeOffset? At, double? Value, string? Source, string Status,
    double? Score, string? Grade);
