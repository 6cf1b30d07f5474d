namespace LeadML.Features.History;

/// <summary>
/// The rows of a leads table as <see cref="HistoryReader"/> reads them: a header, then records of trimmed texts, each
/// at a line that errors name. A CSV file (<see cref="CsvFile"/>) or rows already in memory (<see cref="LeadRows"/>,
/// a store's leads) give them, so both are read by the same rules.
/// </summary>
internal interface ILeadRows
{
    /// <summary>The source as named in messages (a file name, or a store's leads).</summary>
    string Name { get; }

    /// <summary>The column names.</summary>
    string[] Header { get; }

    /// <summary>The line of the current record (header = 1).</summary>
    long Line { get; }

    /// <summary>The index of a column by its header name, or -1.</summary>
    int IndexOf(string name);

    /// <summary>Moves to the next record; false at the end.</summary>
    bool Read();

    /// <summary>The current record's field, trimmed.</summary>
    string this[int index] { get; }

    /// <summary>An error at the current line.</summary>
    HistoryFormatException Error(string? column, string problem);

    /// <summary>The error for a required column the header lacks.</summary>
    HistoryFormatException MissingColumn(string column, string setting);
}
