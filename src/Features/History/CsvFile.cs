using CsvHelper;

namespace LeadML.Features.History;

/// <summary>
/// A CSV file read record by record with the line numbers and checks every history file needs: the header is line 1,
/// the delimiter is detected from the header unless given, and an empty file, a header that looks like the wrong
/// delimiter, and a row whose field count differs from the header are errors naming file, line and column.
/// </summary>
internal sealed class CsvFile : ILeadRows, IDisposable
{
    private static readonly char[] Candidates = [',', ';', '\t', '|'];
    private readonly CsvReader _parser;
    private readonly Dictionary<string, int> _columns;

    private CsvFile(string path, string name, CsvReader parser, string[] header, char delimiter)
    {
        Path = path;
        Name = name;
        _parser = parser;
        Header = header;
        Delimiter = delimiter;
        _columns = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Length; i++) _columns.TryAdd(header[i], i);
    }

    /// <summary>The file as given.</summary>
    public string Path { get; }

    /// <summary>The file name used in messages (no folders).</summary>
    public string Name { get; }

    public string[] Header { get; }

    public char Delimiter { get; }

    /// <summary>The line of the current record (header = 1).</summary>
    public long Line { get; private set; } = 1;

    /// <summary>Opens <paramref name="path"/> and reads its header. <paramref name="setting"/> names the schema setting
    /// for the delimiter, used in the wrong-delimiter message (e.g. <c>leads.delimiter</c>).</summary>
    public static CsvFile Open(string path, string? delimiter, string setting)
    {
        var name = System.IO.Path.GetFileName(path);
        if (name.Length == 0) name = path;
        if (!File.Exists(path))
        {
            throw new HistoryFormatException(name, null, null, $"file not found at '{path}'");
        }
        string? first;
        using (var lines = new StreamReader(path, detectEncodingFromByteOrderMarks: true))
        {
            first = lines.ReadLine();
            while (first is not null && string.IsNullOrWhiteSpace(first)) first = lines.ReadLine();
        }
        if (first is null)
        {
            throw new HistoryFormatException(name, null, null, "the file is empty (a header line is needed)");
        }
        var sep = ParseDelimiter(delimiter, name, setting) ?? Detect(first);
        var options = new CsvReaderOptions
        {
            Separator = sep,
            HasHeader = true,
            SkipEmptyLines = true,
            TrackLineNumbers = true,
            TrimWhitespace = true,
            PoolStrings = true,
            FieldCountMismatch = CsvFieldCountHandling.Allow,
            MalformedData = CsvMalformedDataHandling.Recover,
        };
        var parser = CsvReader.Create(File.OpenRead(path), options, false);
        try
        {
            parser.ReadHeader();
            var header = parser.Headers.Select(h => h.Trim()).ToArray();
            if (header.Length == 1)
            {
                var other = Candidates.FirstOrDefault(c => c != sep && header[0].Contains(c));
                if (other != default)
                {
                    throw new HistoryFormatException(name, 1, header[0],
                        $"the header has one column but contains '{Show(other)}': the delimiter is probably " +
                        $"'{Show(other)}', not '{Show(sep)}' (set \"{setting}\": \"{Show(other)}\" in the schema)");
                }
            }
            return new CsvFile(path, name, parser, header, sep);
        }
        catch
        {
            parser.Dispose();
            throw;
        }
    }

    /// <summary>The index of a column by its header name, or -1.</summary>
    public int IndexOf(string name) => _columns.TryGetValue(name, out var i) ? i : -1;

    /// <summary>Moves to the next record; false at the end. A record with a different field count is an error.</summary>
    public bool Read()
    {
        if (!_parser.Read()) return false;
        Line = _parser.LineNumber;
        if (_parser.FieldCount != Header.Length)
        {
            // Name the first column without a value (short row) so the user can find the spot.
            var column = _parser.FieldCount < Header.Length ? Header[_parser.FieldCount] : null;
            throw new HistoryFormatException(Name, Line, column,
                $"the row has {_parser.FieldCount} fields but the header has {Header.Length} (ragged row; check quoting and the delimiter)");
        }
        return true;
    }

    /// <summary>The current record's field, trimmed.</summary>
    public string this[int index] => _parser.GetString(index)?.Trim() ?? "";

    /// <summary>An error at the current line.</summary>
    public HistoryFormatException Error(string? column, string problem) => new(Name, Line, column, problem);

    /// <summary>The error for a required column the header lacks: lists the columns found and the schema setting that
    /// maps it.</summary>
    public HistoryFormatException MissingColumn(string column, string setting)
    {
        var found = string.Join(", ", Header.Select(h => $"'{h}'"));
        return new HistoryFormatException(Name, 1, column,
            $"required column '{column}' not found; the columns are {found}. If the export names it differently, map it " +
            $"in the schema (leadml.json), e.g. \"{setting}\": \"{SuggestFor(column)}\"");
    }

    public void Dispose()
    {
        _parser.Dispose();
    }

    private string SuggestFor(string column)
    {
        // A header sharing a word with the missing name (contact_id for lead_id) is the likeliest mapping; for a
        // time role (timestamp, created_at) a header that looks like a time (occurred_at, signup_date); else the
        // first column, to show the setting's shape.
        var words = column.Split('_', ' ', '.');
        var match = Header.FirstOrDefault(h => words.Any(w => w.Length > 1 && h.Contains(w, StringComparison.OrdinalIgnoreCase)));
        if (match is null && LooksLikeTime(column)) match = Header.FirstOrDefault(LooksLikeTime);
        return match ?? Header[0];
    }

    private static bool LooksLikeTime(string name) =>
        name.EndsWith("_at", StringComparison.OrdinalIgnoreCase) || name.Contains("time", StringComparison.OrdinalIgnoreCase)
        || name.Contains("date", StringComparison.OrdinalIgnoreCase);

    private static char? ParseDelimiter(string? text, string name, string setting) => text switch
    {
        null or "" => null,
        "\t" or "\\t" or "tab" => '\t',
        { Length: 1 } => text[0],
        _ => throw new HistoryFormatException(name, null, null, $"{setting} '{text}' must be one character (or \"tab\")"),
    };

    /// <summary>The candidate that occurs most often outside quotes in the header line; ',' when none does.</summary>
    internal static char Detect(string headerLine)
    {
        var counts = new int[Candidates.Length];
        var quoted = false;
        foreach (var ch in headerLine)
        {
            if (ch == '"') quoted = !quoted;
            else if (!quoted)
            {
                var k = Array.IndexOf(Candidates, ch);
                if (k >= 0) counts[k]++;
            }
        }
        var best = 0;
        for (var k = 1; k < counts.Length; k++)
        {
            if (counts[k] > counts[best]) best = k;
        }
        return Candidates[best];
    }

    private static string Show(char c) => c == '\t' ? "\\t" : c.ToString();
}
