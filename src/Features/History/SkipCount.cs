namespace LeadML.Features.History;

/// <summary>How many rows were skipped for one reason, and where the first ones were.</summary>
public sealed class SkipCount
{
    public long Count { get; set; }
    public List<string> Examples { get; } = [];
}
