namespace LeadML.Features.History;

/// <summary>What reading a history found that the user should know: inferred column types, rows skipped (and why),
/// and warnings. Skips are counted per reason, with the first few locations kept as examples.</summary>
public sealed class ReadReport
{
    private readonly Dictionary<string, SkipCount> _skips = new(StringComparer.Ordinal);
    private readonly List<string> _notes = [];

    /// <summary>Lines such as <c>column 'employees': number (inferred)</c>.</summary>
    public IReadOnlyList<string> Notes => _notes;

    /// <summary>Skipped rows per reason.</summary>
    public IReadOnlyDictionary<string, SkipCount> Skips => _skips;

    /// <summary>What the leads' times are: real dates, month names, or row order only.</summary>
    public HistoryTime Time { get; set; } = HistoryTime.Dates;

    public void Note(string line) => _notes.Add(line);

    /// <summary>Counts one skipped row for <paramref name="reason"/>; keeps the first 5 locations as examples.</summary>
    public void Skip(string reason, string location)
    {
        if (!_skips.TryGetValue(reason, out var count))
        {
            count = new SkipCount();
            _skips[reason] = count;
        }
        count.Count++;
        if (count.Examples.Count < 5)
        {
            count.Examples.Add(location);
        }
    }
}
