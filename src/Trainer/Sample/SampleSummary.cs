namespace LeadML.Trainer.Sample;

/// <summary>What <see cref="SampleGenerator.Write"/> wrote.</summary>
/// <param name="Leads">Rows of <c>leads.csv</c>.</param>
/// <param name="Events">Rows of <c>events.csv</c>, post-conversion events included.</param>
/// <param name="Converted">Leads with a <c>converted_at</c>.</param>
/// <param name="ConversionRate">Converted / leads, in [0, 1].</param>
/// <param name="TruthProbabilities">Whether <c>truth-probabilities.csv</c> was written.</param>
/// <param name="HistoryEnd">The end of the history (exclusive, UTC): no event or conversion at or after it.</param>
/// <param name="Snapshots">Rows of <c>truth-probabilities.csv</c> (lead × cut-off pairs), 0 when not written.</param>
internal sealed record SampleSummary(
    int Leads, long Events, int Converted, double ConversionRate, bool TruthProbabilities, DateTime HistoryEnd, int Snapshots);
