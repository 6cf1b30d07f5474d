using System.Text.RegularExpressions;
using LeadML.Features.Featurization;

namespace LeadML.Features.History;

/// <summary>
/// Reads a company's history (design §2): the leads file into memory, the event log as a stream on demand.
/// </summary>
/// <remarks>
/// <para><b>Where the files are.</b> <c>pathOrFolder</c> is a folder holding <c>leads.csv</c>, optionally
/// <c>events.csv</c> and <c>leadml.json</c> (picked up when no schema path is given), or the leads file itself, or a
/// schema file (<c>.json</c>) naming its files. File names in a schema are relative to the schema file's folder; when a
/// folder is given and a name does not exist beside the schema, it is looked up in that folder.</para>
/// <para><b>Column types.</b> Without a type in the schema's <c>columns</c>, a column is a flag when every value is
/// yes/no, true/false, y/n or 1/0 and it has at most 2 distinct values; a number when at least 95 % of its filled
/// values parse invariantly; a date when every value is an ISO date (yyyy-MM-dd…); else a category. Empty, NA, N/A,
/// NULL are missing and do not count. Each inference is a note in <see cref="ReadReport.Notes"/>. A value of a number
/// column (set or inferred) that is not a number is invalid: it is read as missing, never as a category, and the
/// column's count of them and the first one are a note; a column set as number with more than 5 % of such values is
/// an error.</para>
/// <para><b>Single tables.</b> The outcome comes from <c>outcome.column</c> (a value in <c>outcome.positive</c>, any
/// case, is true) or from <c>outcome.fromFile</c> (a lead converts when its id appears in that file). The time of a row
/// comes from <c>order</c>: a date column; a month-name column (synthesised month starts from 2000-01-01, see
/// <see cref="OrderSchema.OneYear"/>); or, without an order or a created-at column, file order, where row r (0-based)
/// gets 2000-01-01 + r days. Synthesised years are not real years: they only order rows and place split dates.</para>
/// </remarks>
public static partial class HistoryReader
{
    /// <summary>The schema file picked up from a history folder when no schema path is given.</summary>
    public const string DefaultSchemaFile = "leadml.json";

    /// <summary>The first synthesised time of a single table ordered by file order or by month names.</summary>
    public static readonly DateTime SyntheticStart = new(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static readonly string[] MonthNames =
        ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

    /// <summary>Reads a history.</summary>
    /// <param name="pathOrFolder">A history folder, a leads file, or a schema file.</param>
    /// <param name="schemaPath">A schema file; default: <c>leadml.json</c> in the folder when present, else the default
    /// schema (design names, column types inferred).</param>
    /// <exception cref="HistoryFormatException">A file is missing, empty or malformed; the message names file, line and
    /// column.</exception>
    public static LeadHistory Read(string pathOrFolder, string? schemaPath = null)
    {
        string? dataFolder;
        string? leadsPath = null;
        if (Directory.Exists(pathOrFolder))
        {
            dataFolder = Path.GetFullPath(pathOrFolder);
        }
        else if (schemaPath is null && pathOrFolder.EndsWith(".json", StringComparison.OrdinalIgnoreCase) && File.Exists(pathOrFolder))
        {
            schemaPath = pathOrFolder;
            dataFolder = null;
        }
        else
        {
            leadsPath = Path.GetFullPath(pathOrFolder);
            dataFolder = Path.GetDirectoryName(leadsPath);
        }
        if (schemaPath is null && dataFolder is not null && File.Exists(Path.Combine(dataFolder, DefaultSchemaFile)))
        {
            schemaPath = Path.Combine(dataFolder, DefaultSchemaFile);
        }
        var schema = schemaPath is null ? new HistorySchema() : HistorySchemaFile.Load(schemaPath);
        var schemaFolder = schemaPath is null ? null : Path.GetDirectoryName(Path.GetFullPath(schemaPath));

        string Resolve(string file)
        {
            if (Path.IsPathRooted(file)) return file;
            if (schemaFolder is not null)
            {
                var beside = Path.GetFullPath(Path.Combine(schemaFolder, file));
                if (dataFolder is null || File.Exists(beside)) return beside;
            }
            return Path.GetFullPath(Path.Combine(dataFolder!, file));
        }

        leadsPath ??= Resolve(schema.Leads.File);
        var report = new ReadReport();
        var files = new List<string> { leadsPath };

        OutcomeFile? outcomeFile = null;
        if (schema.Kind == HistoryKind.SingleTable && schema.Outcome?.FromFile is { } from)
        {
            outcomeFile = OutcomeFile.Read(Resolve(from.File), from, schema.Leads.DateFormat);
        }

        LeadTable table;
        using (var csv = CsvFile.Open(leadsPath, schema.Leads.Delimiter, "leads.delimiter"))
        {
            table = ReadLeads(csv, schema, report, outcomeFile);
        }

        IEventSource? events = null;
        if (schema.Kind == HistoryKind.Events)
        {
            var eventsPath = Resolve(schema.Events.File);
            if (File.Exists(eventsPath))
            {
                events = CsvEventSource.Open(eventsPath, schema.Events, table, Path.GetFileName(leadsPath));
                files.Add(eventsPath);
            }
            else
            {
                report.Note($"no events file ({schema.Events.File}): the history has attributes only");
            }
        }
        if (schemaPath is not null) files.Add(Path.GetFullPath(schemaPath));
        if (outcomeFile is not null)
        {
            files.Add(outcomeFile.Path);
            outcomeFile.ReportUnmatched(table, report);
        }

        return new LeadHistory
        {
            Kind = schema.Kind,
            Schema = schema,
            Leads = table,
            Events = events,
            Report = report,
            LeadsPath = leadsPath,
            SchemaPath = schemaPath is null ? null : Path.GetFullPath(schemaPath),
            Files = files,
        };
    }

    /// <summary>Reads lead rows already in memory (a store's leads) by the rules of a leads file: types inferred or
    /// set by <paramref name="schema"/>, each inference a note in <paramref name="report"/>.</summary>
    internal static LeadTable ReadLeads(ILeadRows rows, HistorySchema schema, ReadReport report) => ReadLeads(rows, schema, report, null);

    private static LeadTable ReadLeads(ILeadRows csv, HistorySchema schema, ReadReport report, OutcomeFile? outcomeFile)
    {
        var single = schema.Kind == HistoryKind.SingleTable;
        var leads = schema.Leads;
        var roles = new HashSet<int>();

        int Role(int index)
        {
            if (index >= 0) roles.Add(index);
            return index;
        }

        int Required(string column, string setting) => Role(csv.IndexOf(column) is var i and >= 0 ? i : throw csv.MissingColumn(column, setting));

        int id;
        if (leads.Id is null)
        {
            id = -1;
            report.Note("lead ids are row numbers (1-based): no id column is set");
        }
        else if (single && outcomeFile is null && csv.IndexOf(leads.Id) < 0)
        {
            id = -1;
            report.Note($"lead ids are row numbers (1-based): no '{leads.Id}' column");
        }
        else
        {
            id = Required(leads.Id, "leads.id");
        }

        int created = -1, converted = -1, outcome = -1, order = -1;
        var orderFormat = OrderFormat.Date;
        if (!single)
        {
            created = Required(leads.CreatedAt!, "leads.createdAt");
            converted = leads.ConvertedAt is null ? -1 : Role(csv.IndexOf(leads.ConvertedAt));
            if (converted < 0) report.Note($"no '{leads.ConvertedAt}' column: no lead converted");
        }
        else
        {
            if (schema.Outcome!.Column is { } oc) outcome = Required(oc, "outcome.column");
            if (schema.Order?.Column is { } col)
            {
                order = Required(col, "order.column");
                orderFormat = schema.Order.Format;
                if (orderFormat == OrderFormat.Date) report.Note($"rows are ordered by '{col}'");
                report.Time = orderFormat switch { OrderFormat.MonthName => HistoryTime.MonthNames, OrderFormat.Number => HistoryTime.RowOrder, _ => HistoryTime.Dates };
                if (schema.Order.AlsoAttribute)
                {
                    // Known before the outcome (e.g. the month of a call): it orders rows and is a criterion too.
                    roles.Remove(order);
                    report.Note($"'{col}' orders rows and is also an attribute");
                }
            }
            else if (leads.CreatedAt is not null && csv.IndexOf(leads.CreatedAt) >= 0)
            {
                order = Role(csv.IndexOf(leads.CreatedAt));
                report.Note($"rows are ordered by '{leads.CreatedAt}'");
            }
            else
            {
                report.Time = HistoryTime.RowOrder;
                report.Note(schema.Order?.Descending == true
                    ? "rows are in file order, newest first: only their order is known"
                    : "rows are in file order: only their order is known");
            }
            if (leads.ConvertedAt is not null && csv.IndexOf(leads.ConvertedAt) >= 0) converted = Role(csv.IndexOf(leads.ConvertedAt));
        }

        var ignore = new HashSet<string>(schema.Ignore, StringComparer.Ordinal);
        var attributes = new List<int>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var c = 0; c < csv.Header.Length; c++)
        {
            var name = csv.Header[c];
            if (seen.TryGetValue(name, out var first))
            {
                throw new HistoryFormatException(csv.Name, 1, name, $"the column name appears twice (columns {first + 1} and {c + 1})");
            }
            seen[name] = c;
            if (!roles.Contains(c) && !ignore.Contains(name)) attributes.Add(c);
        }
        foreach (var name in schema.Ignore.Concat(schema.Columns.Keys).Concat(schema.Negative.Keys).Distinct())
        {
            if (!seen.ContainsKey(name)) report.Note($"schema names column '{name}', which {csv.Name} does not have");
        }

        // Pass 1: role values are checked now; attribute text is kept (interned per column) until the types are known.
        var ids = new List<string>();
        var idLines = new Dictionary<string, long>(StringComparer.Ordinal);
        var lines = new List<long>();
        var createdAt = new List<DateTime>();
        var convertedAt = new List<DateTime?>();
        var outcomeText = new List<string>();
        var orderText = new List<string>();
        var raw = attributes.Select(_ => new List<string?>()).ToArray();
        var pools = attributes.Select(_ => new Dictionary<string, string>(StringComparer.Ordinal)).ToArray();
        var dateFormat = leads.DateFormat;
        while (csv.Read())
        {
            var row = lines.Count;
            lines.Add(csv.Line);
            string leadId;
            if (id >= 0)
            {
                leadId = csv[id];
                if (leadId.Length == 0) throw csv.Error(leads.Id, "the lead id is empty");
            }
            else
            {
                leadId = (row + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            if (!idLines.TryAdd(leadId, csv.Line))
            {
                throw csv.Error(leads.Id, $"lead id '{leadId}' appears twice, on lines {idLines[leadId]} and {csv.Line}");
            }
            ids.Add(leadId);
            if (created >= 0) createdAt.Add(ParseDate(csv, created, dateFormat, "leads.dateFormat", required: true)!.Value);
            convertedAt.Add(converted >= 0 ? ParseDate(csv, converted, dateFormat, "leads.dateFormat", required: false) : null);
            if (outcome >= 0) outcomeText.Add(csv[outcome]);
            if (order >= 0) orderText.Add(csv[order]);
            for (var a = 0; a < attributes.Count; a++)
            {
                var text = csv[attributes[a]];
                if (AttributeText.IsMissing(text))
                {
                    raw[a].Add(null);
                    continue;
                }
                if (!pools[a].TryGetValue(text, out var shared)) pools[a][text] = shared = text;
                raw[a].Add(shared);
            }
        }
        var n = lines.Count;
        if (n == 0) throw new HistoryFormatException(csv.Name, 1, null, "the file has a header but no rows (no leads)");

        // Pass 2: types, then values by column position.
        var columns = new List<AttributeColumn>(attributes.Count);
        var categories = new string?[n][];
        var numbers = new double[n][];
        for (var i = 0; i < n; i++)
        {
            categories[i] = new string?[attributes.Count];
            numbers[i] = new double[attributes.Count];
            Array.Fill(numbers[i], double.NaN);
        }
        for (var a = 0; a < attributes.Count; a++)
        {
            var name = csv.Header[attributes[a]];
            ColumnType type;
            bool inferred;
            if (schema.Columns.TryGetValue(name, out var set))
            {
                type = set;
                inferred = false;
                report.Note($"schema: {name} = {Lower(type)}");
            }
            else
            {
                type = Infer(pools[a].Keys, raw[a]);
                inferred = true;
                var detail = pools[a].Count == 0 ? " (all empty)" : type == ColumnType.Category ? $" ({pools[a].Count} distinct)" : "";
                report.Note($"inferred: {name} = {Lower(type)}{detail}");
            }
            // A value of a number column that is not a number is an invalid value: read as missing and reported,
            // never a category of its own. A column set as number whose values are mostly not numbers is an error.
            var invalid = 0;
            var firstInvalid = -1;
            if (type == ColumnType.Number)
            {
                var filled = 0;
                for (var i = 0; i < n; i++)
                {
                    var text = raw[a][i];
                    if (text is null) continue;
                    filled++;
                    if (AttributeText.TryParseNumber(text, out _)) continue;
                    invalid++;
                    if (firstInvalid < 0) firstInvalid = i;
                }
                if (invalid > 0 && invalid > filled * (1 - NumberShare))
                {
                    var text = raw[a][firstInvalid];
                    throw new HistoryFormatException(csv.Name, lines[firstInvalid], name, $"value '{text}' in number column '{name}' is not a number (write it like 1234.5); {invalid} of {filled} values are not numbers");
                }
                if (invalid > 0)
                {
                    report.Note($"{name}: {invalid} value(s) not a number, read as missing (first: {csv.Name} line {lines[firstInvalid]}, '{raw[a][firstInvalid]}')");
                }
            }
            for (var i = 0; i < n; i++)
            {
                var text = raw[a][i];
                if (text is null) continue;
                switch (type)
                {
                    case ColumnType.Category:
                        categories[i][a] = text;
                        break;
                    case ColumnType.Flag:
                        categories[i][a] = AttributeText.TryParseFlag(text, out var flag)
                            ? (flag ? "true" : "false")
                            : throw new HistoryFormatException(csv.Name, lines[i], name, $"value '{text}' in flag column '{name}' is not yes/no, true/false or 1/0");
                        break;
                    case ColumnType.Number:
                        numbers[i][a] = AttributeText.TryParseNumber(text, out var number) ? number : double.NaN;
                        break;
                    case ColumnType.Date:
                        numbers[i][a] = AttributeText.TryParseDate(text, dateFormat, out var date)
                            ? Featurizer.DayNumber(date)
                            : throw new HistoryFormatException(csv.Name, lines[i], name, $"value '{text}' in date column '{name}' is not a date (ISO 8601 such as 2024-03-01, or set leads.dateFormat)");
                        break;
                }
            }
            raw[a] = [];
            columns.Add(new AttributeColumn(name, type, inferred, Negatives(schema, name, type)));
        }

        bool?[] outcomes = new bool?[n];
        if (single)
        {
            if (outcome >= 0)
            {
                outcomes = Outcomes(csv.Name, schema.Outcome!, outcomeText, lines).Select(o => (bool?)o).ToArray();
            }
            else
            {
                for (var i = 0; i < n; i++)
                {
                    var hit = outcomeFile!.Find(ids[i]);
                    outcomes[i] = hit is not null;
                    if (hit?.ConvertedAt is { } when) convertedAt[i] = when;
                }
            }
            var descending = schema.Order?.Descending == true;
            createdAt = order < 0 ? [.. Enumerable.Range(0, n).Select(r => SyntheticStart.AddDays(descending ? n - 1 - r : r))]
                : orderFormat == OrderFormat.MonthName ? MonthStarts(csv.Name, csv.Header[order], orderText, lines, schema.Order!.OneYear, descending, report)
                : orderFormat == OrderFormat.Number ? Ranks(csv.Name, csv.Header[order], orderText, lines, descending, report)
                : Dates(csv.Name, csv.Header[order], orderText, lines, dateFormat);
        }

        var early = Enumerable.Range(0, n).Where(i => convertedAt[i] < createdAt[i]).ToList();
        if (early.Count > 0)
        {
            report.Note($"{early.Count} lead(s) converted before they were created (first: {csv.Name} line {lines[early[0]]}); times kept as read");
        }

        var result = new Lead[n];
        for (var i = 0; i < n; i++)
        {
            result[i] = new Lead
            {
                Id = ids[i],
                CreatedAt = createdAt[i],
                ConvertedAt = convertedAt[i],
                Outcome = outcomes[i],
                Row = i,
                Categories = categories[i],
                Numbers = numbers[i],
            };
        }
        return new LeadTable(columns, result);
    }

    /// <summary>Least share of a number column's filled values that must be numbers: below it, a column set as number
    /// is an error and an unset one is not inferred a number.</summary>
    internal const double NumberShare = 0.95;

    /// <summary>The type of a column from its distinct non-missing values (see the class remarks); with
    /// <paramref name="rows"/> (every row's value, null when missing), a column whose values are numbers in at least
    /// <see cref="NumberShare"/> of its filled rows is a number column with a few invalid values.</summary>
    internal static ColumnType Infer(IEnumerable<string> distinct, IReadOnlyList<string?>? rows = null)
    {
        var values = distinct as ICollection<string> ?? distinct.ToList();
        if (values.Count == 0) return ColumnType.Category;
        if (values.All(v => AttributeText.TryParseFlag(v, out _))
            && values.Select(v => v.Trim().ToLowerInvariant()).Distinct().Count() <= 2)
        {
            return ColumnType.Flag;
        }
        if (values.All(v => AttributeText.TryParseNumber(v, out _))) return ColumnType.Number;
        if (rows is not null && values.Any(v => AttributeText.TryParseNumber(v, out _)))
        {
            var numbers = values.Where(v => AttributeText.TryParseNumber(v, out _)).ToHashSet(StringComparer.Ordinal);
            int filled = 0, parsed = 0;
            foreach (var v in rows)
            {
                if (v is null) continue;
                filled++;
                if (numbers.Contains(v)) parsed++;
            }
            if (parsed >= NumberShare * filled) return ColumnType.Number;
        }
        if (values.All(v => IsoDate().IsMatch(v) && AttributeText.TryParseDate(v, out _))) return ColumnType.Date;
        return ColumnType.Category;
    }

    private static List<string> Negatives(HistorySchema schema, string column, ColumnType type)
    {
        if (!schema.Negative.TryGetValue(column, out var values)) return [];
        return type == ColumnType.Flag
            ? [.. values.Select(v => AttributeText.TryParseFlag(v, out var f) ? (f ? "true" : "false") : v)]
            : [.. values];
    }

    private static DateTime? ParseDate(ILeadRows csv, int index, string? format, string setting, bool required)
    {
        var text = csv[index];
        var column = csv.Header[index];
        if (AttributeText.IsMissing(text))
        {
            return required ? throw csv.Error(column, "the value is empty; every lead needs one") : null;
        }
        if (AttributeText.TryParseDate(text, format, out var when)) return when;
        throw csv.Error(column, format is null
            ? $"value '{text}' is not a date (ISO 8601 such as 2024-03-01 or 2024-03-01T14:30:00Z; or set {setting})"
            : $"value '{text}' does not match {setting} '{format}'");
    }

    private static List<DateTime> Dates(string file, string column, List<string> texts, List<long> lines, string? format)
    {
        var result = new List<DateTime>(texts.Count);
        for (var i = 0; i < texts.Count; i++)
        {
            if (!AttributeText.TryParseDate(texts[i], format, out var when))
            {
                throw new HistoryFormatException(file, lines[i], column, AttributeText.IsMissing(texts[i])
                    ? "the order date is empty"
                    : $"value '{texts[i]}' is not a date (ISO 8601 such as 2024-03-01; or set leads.dateFormat)");
            }
            result.Add(when);
        }
        return result;
    }

    /// <summary>Month starts from month names: in file order, a month earlier than the previous row's starts the next
    /// year (from 2000), or all in 2000 with <paramref name="oneYear"/>.</summary>
    private static List<DateTime> MonthStarts(string file, string column, List<string> texts, List<long> lines, bool oneYear, bool descending, ReadReport report)
    {
        var result = new List<DateTime>(texts.Count);
        var year = SyntheticStart.Year;
        var previous = 0;
        // Newest first: read the file from its last row, so that the wraps run forward in time.
        var rows = descending ? Enumerable.Range(0, texts.Count).Reverse().ToArray() : Enumerable.Range(0, texts.Count).ToArray();
        var times = new DateTime[texts.Count];
        foreach (var i in rows)
        {
            var month = ParseMonth(texts[i]);
            if (month == 0)
            {
                throw new HistoryFormatException(file, lines[i], column, $"value '{texts[i]}' is not a month name (jan…dec or january…december)");
            }
            if (!oneYear && month < previous) year++;
            previous = month;
            times[i] = new DateTime(year, month, 1, 0, 0, 0, DateTimeKind.Utc);
        }
        result.AddRange(times);
        report.Note(oneYear
            ? $"rows are ordered by the month names of '{column}' within one year; the year is not known"
            : $"rows are ordered by the month names of '{column}' in file order{(descending ? " (newest first)" : "")}, a new year at each wrap ({year - SyntheticStart.Year + 1} years); the years themselves are not known");
        return result;
    }

    /// <summary>Synthetic times from a number that orders rows (an id given in creation order): the k-th distinct
    /// value, smallest first (largest first when <paramref name="descending"/>), gets <see cref="SyntheticStart"/> +
    /// k days. Equal values share a time.</summary>
    private static List<DateTime> Ranks(string file, string column, List<string> texts, List<long> lines, bool descending, ReadReport report)
    {
        var values = new double[texts.Count];
        for (var i = 0; i < texts.Count; i++)
        {
            if (!AttributeText.TryParseNumber(texts[i], out values[i]))
            {
                throw new HistoryFormatException(file, lines[i], column, AttributeText.IsMissing(texts[i])
                    ? "the order value is empty; every row needs one"
                    : $"value '{texts[i]}' is not a number (order.format is number)");
            }
        }
        var distinct = values.Distinct().Order().ToArray();
        if (descending) Array.Reverse(distinct);
        var rank = new Dictionary<double, int>(distinct.Length);
        for (var k = 0; k < distinct.Length; k++) rank[distinct[k]] = k;
        report.Note($"rows are ordered by the numbers in '{column}' ({(descending ? "largest" : "smallest")} first): only their order is known");
        return [.. values.Select(v => SyntheticStart.AddDays(rank[v]))];
    }

    /// <summary>1–12 for a month name or its abbreviation of at least 3 letters (any case), else 0.</summary>
    internal static int ParseMonth(string text)
    {
        var t = text.Trim().ToLowerInvariant();
        if (t.Length < 3) return 0;
        for (var m = 0; m < MonthNames.Length; m++)
        {
            if (MonthNames[m].StartsWith(t, StringComparison.Ordinal)) return m + 1;
        }
        return 0;
    }

    /// <summary>Outcome values: those in the positive list are true, others false; a column with more than two distinct
    /// values must have only positive or recognisable negative values (no, false, 0, n).</summary>
    private static bool[] Outcomes(string file, OutcomeSchema schema, List<string> texts, List<long> lines)
    {
        var column = schema.Column!;
        var positive = new HashSet<string>(schema.Positive.Select(p => p.Trim()), StringComparer.OrdinalIgnoreCase);
        var distinct = new HashSet<string>(texts, StringComparer.OrdinalIgnoreCase);
        var binary = distinct.Count <= 2;
        var result = new bool[texts.Count];
        var any = false;
        for (var i = 0; i < texts.Count; i++)
        {
            var text = texts[i];
            if (AttributeText.IsMissing(text)) throw new HistoryFormatException(file, lines[i], column, "the outcome is empty");
            result[i] = positive.Contains(text);
            any |= result[i];
            if (!result[i] && !binary && !(AttributeText.TryParseFlag(text, out var flag) && !flag))
            {
                throw new HistoryFormatException(file, lines[i], column,
                    $"value '{text}' is neither a positive outcome ({string.Join(", ", schema.Positive)}) nor a negative one (no, false, 0); " +
                    $"the column has {distinct.Count} distinct values, so it does not look like a 0/1 outcome (list the converted values in outcome.positive)");
            }
        }
        if (!any)
        {
            throw new HistoryFormatException(file, null, column,
                $"no value is in outcome.positive ({string.Join(", ", schema.Positive)}); the values are {string.Join(", ", distinct.Take(10))}");
        }
        return result;
    }

    private static string Lower(ColumnType type) => type.ToString().ToLowerInvariant();

    [GeneratedRegex(@"^\s*\d{4}-\d{2}-\d{2}")]
    private static partial Regex IsoDate();

    /// <summary>The keys (and conversion times) of an outcome file, e.g. closed deals joined by lead id.</summary>
    private sealed class OutcomeFile
    {
        private readonly Dictionary<string, Hit> _hits = new(StringComparer.Ordinal);

        private OutcomeFile(string path, string name)
        {
            Path = path;
            Name = name;
        }

        public string Path { get; }

        public string Name { get; }

        public static OutcomeFile Read(string path, OutcomeFileSchema schema, string? dateFormat)
        {
            using var csv = CsvFile.Open(path, schema.Delimiter, "outcome.fromFile.delimiter");
            var key = csv.IndexOf(schema.Key) is var k and >= 0 ? k : throw csv.MissingColumn(schema.Key, "outcome.fromFile.key");
            var at = -1;
            if (schema.ConvertedAt is not null)
            {
                at = csv.IndexOf(schema.ConvertedAt) is var c and >= 0 ? c : throw csv.MissingColumn(schema.ConvertedAt, "outcome.fromFile.convertedAt");
            }
            var file = new OutcomeFile(path, csv.Name);
            while (csv.Read())
            {
                var id = csv[key];
                if (id.Length == 0) throw csv.Error(schema.Key, "the key is empty");
                var when = at >= 0 ? ParseDate(csv, at, dateFormat, "leads.dateFormat", required: false) : null;
                if (file._hits.TryGetValue(id, out var earlier))
                {
                    throw csv.Error(schema.Key, $"key '{id}' appears twice, on lines {earlier.Line} and {csv.Line}");
                }
                file._hits[id] = new Hit(when, csv.Line);
            }
            return file;
        }

        public Hit? Find(string id) => _hits.GetValueOrDefault(id);

        public void ReportUnmatched(LeadTable leads, ReadReport report)
        {
            foreach (var (id, hit) in _hits)
            {
                if (!leads.TryGetIndex(id, out _)) report.Skip($"{Name}: key not a lead id", $"{Name} line {hit.Line} ('{id}')");
            }
        }

        public sealed record Hit(DateTime? ConvertedAt, long Line);
    }
}
