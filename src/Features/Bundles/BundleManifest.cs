using LeadML.Features.History;

namespace LeadML.Features.Bundles;

/// <summary>The rows and time span of one period of training data.</summary>
/// <remarks>With synthetic times (<see cref="TrainingWindow.Time"/> is not dates) <paramref name="From"/> and
/// <paramref name="To"/> only order the periods: show <see cref="FirstRow"/>–<see cref="LastRow"/> or the months.</remarks>
public sealed record PeriodSummary(DateTime From, DateTime To, int Rows, int Positives)
{
    /// <summary>Single tables: the period's first row in time order (1-based).</summary>
    public int? FirstRow { get; init; }
    /// <summary>Single tables: its last row in time order (1-based).</summary>
    public int? LastRow { get; init; }
}

/// <summary>The data a bundle was trained and evaluated on.</summary>
/// <param name="Cutoffs">Snapshot cut-offs (event histories; empty for single tables).</param>
/// <param name="HorizonDays">A lead counts as converted when it converts within this many days of a cut-off.</param>
/// <param name="Train">Training period.</param>
/// <param name="Validation">Validation period (model choice, calibration).</param>
/// <param name="Test">Test period (used once, for the report).</param>
public sealed record TrainingWindow(IReadOnlyList<DateTime> Cutoffs, int HorizonDays, PeriodSummary Train, PeriodSummary Validation, PeriodSummary Test)
{
    /// <summary>What the times are: dates (default, and in manifests written before this was recorded), month names
    /// (months known, years not), or row order only.</summary>
    public HistoryTime Time { get; init; } = HistoryTime.Dates;
    /// <summary>Recalibrated bundles: the outcomes the calibration was refitted on (after the training window); null
    /// for a bundle as trained. A comparison scores only what comes after it.</summary>
    public PeriodSummary? Calibration { get; init; }

    /// <summary>The last time this bundle learnt from: the end of training, validation or the recalibration's outcomes.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public DateTime LearntUntil => new[] { Train.To, Validation.To, Calibration?.To ?? DateTime.MinValue }.Max();
}

/// <summary><c>manifest.json</c>: what a bundle is and how to read it.</summary>
public sealed record BundleManifest
{
    /// <summary>Bundle format version; a reader refuses versions it does not know.</summary>
    public required int FormatVersion { get; init; }
    public required string Name { get; init; }
    /// <summary>Unique version of this model, e.g. <c>sample-20261123T101500Z-3fa2c1</c>.</summary>
    public required string ModelVersion { get; init; }
    public required DateTime CreatedAt { get; init; }
    public required ModelKind ModelKind { get; init; }
    /// <summary>SHA-256 of the history files the model was trained on (hex, first 16 bytes).</summary>
    public required string DataFingerprint { get; init; }
    public required TrainingWindow Window { get; init; }
    public required int FeatureCount { get; init; }
    /// <summary>The engine that trained it, e.g. <c>xgboost 1.7.4</c>.</summary>
    public required string Engine { get; init; }
    /// <summary>Recalibrated bundles: the model version whose trees or weights this one keeps with a new calibration;
    /// null for a bundle as trained.</summary>
    public string? RecalibratedFrom { get; init; }
    /// <summary>Settings the trainer chose (model kind, depth, learning rate, rounds, L2, calibration).</summary>
    public required IReadOnlyDictionary<string, string> Settings { get; init; }
}
