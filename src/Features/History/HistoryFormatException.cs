namespace LeadML.Features.History;

/// <summary>Bad input in a history file. The message names the file, the line (1-based, header = line 1) and the
/// column, e.g. <c>events.csv line 812, column 'timestamp': value '2025-13-01' is not a date</c>.</summary>
public sealed class HistoryFormatException : Exception
{
    public HistoryFormatException(string file, long? line, string? column, string problem)
        : base(Format(file, line, column, problem))
    {
        File = file;
        Line = line;
        Column = column;
        Problem = problem;
    }

    /// <summary>The file's name as the user gave it (file name only, no folders).</summary>
    public string File { get; }
    public long? Line { get; }
    public string? Column { get; }
    public string Problem { get; }

    private static string Format(string file, long? line, string? column, string problem)
    {
        var where = file;
        if (line is not null) where += $" line {line}";
        if (column is not null) where += $", column '{column}'";
        return $"{where}: {problem}";
    }
}
