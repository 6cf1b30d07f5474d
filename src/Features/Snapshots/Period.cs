namespace LeadML.Features.Snapshots;

/// <summary>Which of the three consecutive, disjoint periods a training row belongs to.</summary>
public enum Period : byte
{
    Train,
    Validation,
    Test,
}
