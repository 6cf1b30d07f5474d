namespace LeadML.Features.History;

/// <summary>Lead rows given one at a time (a store's leads, streamed from its table), numbered as a file would be
/// (header = line 1, first row = line 2).</summary>
internal sealed class LeadRows(string name, string[] header, IEnumerable<string[]> rows) : ILeadRows, IDisposable
{
    private readonly IEnumerator<string[]> _rows = rows.GetEnumerator();

    public string Name { get; } = name;

    public string[] Header { get; } = header;

    public long Line { get; private set; } = 1;

    public int IndexOf(string name) => Array.IndexOf(Header, name);

    public bool Read()
    {
        if (!_rows.MoveNext()) return false;
        Line++;
        return true;
    }

    public string this[int index] => _rows.Current[index].Trim();

    public void Dispose() => _rows.Dispose();

    public HistoryFormatException Error(string? column, string problem) => new(Name, Line, column, problem);

    public HistoryFormatException MissingColumn(string column, string setting) =>
        new(Name, 1, column, $"required column '{column}' not found; the columns are {string.Join(", ", Header.Select(h => $"'{h}'"))} ({setting})");
}
