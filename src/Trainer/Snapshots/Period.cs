namespace LeadML.Trainer.Snapshots;

/// <summary>Which of the three consecutive, disjoint periods a training row belongs to.</summary>
internal enum Period : byte
{
    Train,
    Validation,
    Test,
}
