namespace LeadML.Features.Snapshots;

/// <summary>Which of the three consecutive, disjoint periods a training row belongs to.</summary>
public enum Period : byte
{
    /// <summary>Where models are fitted.</summary>
    Train,
    /// <summary>Where a model is chosen and calibrated.</summary>
    Validation,
    /// <summary>Measured once, for the report.</summary>
    Test,
}
