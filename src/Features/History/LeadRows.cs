namespace LeadML.Features.History;

/// <summary>Lead rows held in memory, numbered as a file would be (header = line 1, first row = line 2).</summary>
internal sealed class LeadRows(string name, string[] header, IReadOnlyList<string[]> rows) : ILeadRows
{
    private int _row = -1;

    public string Name { get; } = name;

    public string[] Header { get; } = header;

    public long Line => _row + 2;

    public IReadOnlyList<string[]> Rows { get; } = rows;

    public int IndexOf(string name) => Array.IndexOf(Header, name);

    public bool Read() => ++_row < Rows.Count;

    public string this[int index] => Rows[_row][index].Trim();

    public HistoryFormatException Error(string? column, string problem) => new(Name, Line, column, problem);

    public HistoryFormatException MissingColumn(string column, string setting) =>
        new(Name, 1, column, $"required column '{column}' not found; the columns are {string.Join(", ", Header.Select(h => $"'{h}'"))} ({setting})");
}
