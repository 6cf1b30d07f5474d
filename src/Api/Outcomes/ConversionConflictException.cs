namespace LeadML.Api.Outcomes;

/// <summary>A second conversion time for a lead that already has one: only an admin may replace it.</summary>
public sealed class ConversionConflictException(string message) : Exception(message);
