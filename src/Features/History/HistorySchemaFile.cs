using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace LeadML.Features.History;

/// <summary>
/// Loads and saves a <see cref="HistorySchema"/> as JSON (e.g. <c>leadml.json</c>): camelCase names, enums as camelCase
/// strings (<c>"kind": "singleTable"</c>), comments and trailing commas allowed. An unknown setting or a bad value is a
/// <see cref="HistoryFormatException"/> naming the file and the JSON path, e.g.
/// <c>leadml.json line 3: $.leads.idd is not a known setting</c>.
/// </summary>
public static partial class HistorySchemaFile
{
    /// <summary>The JSON options used for schema files.</summary>
    public static JsonSerializerOptions Json { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
    };

    /// <summary>Reads and checks a schema file. Relative file paths inside it are kept as written; the reader resolves
    /// them against the schema file's folder.</summary>
    /// <exception cref="HistoryFormatException">The file is missing, not JSON, has an unknown setting or a bad value.</exception>
    public static HistorySchema Load(string path)
    {
        var name = Path.GetFileName(path);
        if (!File.Exists(path))
        {
            throw new HistoryFormatException(name, null, null, $"schema file not found at '{path}'");
        }
        var text = File.ReadAllText(path);
        HistorySchema? schema;
        try
        {
            schema = JsonSerializer.Deserialize<HistorySchema>(text, Json);
        }
        catch (JsonException e)
        {
            throw Explain(name, text, e);
        }
        if (schema is null)
        {
            throw new HistoryFormatException(name, 1, null, "$ must be an object { ... }, not null");
        }
        Check(schema, name);
        return schema;
    }

    /// <summary>Writes a schema as indented JSON, every setting included.</summary>
    public static void Save(HistorySchema schema, string path)
    {
        File.WriteAllText(path, JsonSerializer.Serialize(schema, Json) + "\n");
    }

    /// <summary>Checks the values the JSON types cannot: ranges and settings that need each other.</summary>
    private static void Check(HistorySchema s, string name)
    {
        void Fail(string problem) => throw new HistoryFormatException(name, null, null, problem);

        if (s.HorizonDays is < 1 or > 730) Fail($"$.horizonDays: {s.HorizonDays} is out of range (1 to 730 days)");
        if (string.IsNullOrWhiteSpace(s.Leads.File)) Fail("$.leads.file must name the leads file");
        if (string.IsNullOrWhiteSpace(s.Events.File)) Fail("$.events.file must name the events file");
        if (s.Split.TestFraction is <= 0 or >= 1) Fail($"$.split.testFraction: {s.Split.TestFraction} must be between 0 and 1");
        if (s.Split.ValidationFraction is <= 0 or >= 1) Fail($"$.split.validationFraction: {s.Split.ValidationFraction} must be between 0 and 1");
        if (s.Split.TestFraction + s.Split.ValidationFraction >= 1) Fail("$.split: testFraction + validationFraction must be below 1");
        if (s.Split.TestCutoffs < 1) Fail($"$.split.testCutoffs: {s.Split.TestCutoffs} must be at least 1");
        if (s.Split.ValidationCutoffs < 1) Fail($"$.split.validationCutoffs: {s.Split.ValidationCutoffs} must be at least 1");
        if (s.Split.TestFrom is { } tf) s.Split.TestFrom = DateTime.SpecifyKind(tf, DateTimeKind.Utc);
        if (s.Split.ValidationFrom is { } vf) s.Split.ValidationFrom = DateTime.SpecifyKind(vf, DateTimeKind.Utc);
        if (s.Split is { TestFrom: { } t, ValidationFrom: { } v } && v >= t)
        {
            Fail($"$.split.validationFrom ({v:yyyy-MM-dd}) must be before $.split.testFrom ({t:yyyy-MM-dd})");
        }
        if (s.Window is { Start: { } ws, End: { } we } && ws >= we) Fail("$.window.start must be before $.window.end");

        if (s.Kind == HistoryKind.Events && s.Leads.Id is null) Fail("$.leads.id: event histories need a lead id column to join events");
        if (s.Kind == HistoryKind.Events && s.Leads.CreatedAt is null) Fail("$.leads.createdAt: event histories need a creation time column");
        if (s.Kind == HistoryKind.SingleTable)
        {
            if (s.Outcome is null) Fail("$.outcome: a singleTable history needs an outcome (outcome.column or outcome.fromFile)");
            if (s.Outcome!.Column is null == s.Outcome.FromFile is null) Fail("$.outcome: set exactly one of outcome.column and outcome.fromFile");
            if (s.Outcome.Column is not null && s.Outcome.Positive.Count == 0) Fail("$.outcome.positive: list at least one value meaning converted");
            if (s.Outcome.FromFile is not null && s.Leads.Id is null) Fail("$.leads.id: outcome.fromFile joins on the lead id, so leads.id must name a column");
        }
        if (s.Order is { Format: OrderFormat.MonthName, Column: null }) Fail("$.order.column: the monthName order needs a column");
        if (s.Order is { Format: OrderFormat.Number, Column: null }) Fail("$.order.column: the number order needs a column");
    }

    private static HistoryFormatException Explain(string name, string text, JsonException e)
    {
        long? line = e.LineNumber is { } l ? l + 1 : null;
        var path = e.Path ?? "$";
        var message = e.Message;
        if (message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
        {
            var property = UnmappedName().Match(message) is { Success: true } m ? m.Groups[1].Value : "?";
            var full = path.EndsWith("." + property, StringComparison.Ordinal) ? path : $"{path}.{property}";
            return new HistoryFormatException(name, line, null, $"{full} is not a known setting");
        }
        if (message.Contains("missing required properties", StringComparison.Ordinal))
        {
            var missing = string.Join(", ", RequiredNames().Matches(message[message.IndexOf("properties", StringComparison.Ordinal)..]).Select(m => $"'{m.Groups[1].Value}'"));
            return new HistoryFormatException(name, line, null, $"{path} needs the setting(s) {missing}");
        }
        if (e.InnerException is not null || message.Contains("could not be converted", StringComparison.Ordinal)
            || message.Contains("cannot be null", StringComparison.Ordinal) || message.Contains("null value", StringComparison.Ordinal))
        {
            var value = ValueAt(text, path);
            var expected = Describe(TypeAt(path));
            return new HistoryFormatException(name, line, null, $"{path}: {value} is not valid here; expected {expected}");
        }
        return new HistoryFormatException(name, line, null, $"not valid JSON at {path}: {message}");
    }

    private static IEnumerable<string> Segments(string path)
    {
        foreach (Match m in PathSegment().Matches(path))
        {
            yield return m.Groups["name"].Success ? m.Groups["name"].Value
                : m.Groups["quoted"].Success ? m.Groups["quoted"].Value
                : "[]";
        }
    }

    private static string ValueAt(string text, string path)
    {
        try
        {
            JsonNode? node = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions
            {
                CommentHandling = JsonCommentHandling.Skip,
                AllowTrailingCommas = true,
            });
            foreach (Match m in PathSegment().Matches(path))
            {
                node = m.Groups["index"].Success ? node?[int.Parse(m.Groups["index"].Value, System.Globalization.CultureInfo.InvariantCulture)]
                    : node?[m.Groups["name"].Success ? m.Groups["name"].Value : m.Groups["quoted"].Value];
            }
            return node is null ? "null" : node.ToJsonString();
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException)
        {
            return "the value";
        }
    }

    private static Type? TypeAt(string path)
    {
        Type? type = typeof(HistorySchema);
        foreach (var segment in Segments(path))
        {
            if (type is null) return null;
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>))
            {
                type = type.GetGenericArguments()[1];
            }
            else if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
            {
                type = type.GetGenericArguments()[0];
            }
            else
            {
                var prop = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                    .FirstOrDefault(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name) == segment);
                type = prop?.PropertyType;
            }
            if (type is not null) type = Nullable.GetUnderlyingType(type) ?? type;
        }
        return type;
    }

    private static string Describe(Type? type)
    {
        if (type is null) return "a different value";
        if (type.IsEnum)
        {
            return "one of " + string.Join(", ", Enum.GetNames(type).Select(n => $"\"{JsonNamingPolicy.CamelCase.ConvertName(n)}\""));
        }
        if (type == typeof(string)) return "text in quotes";
        if (type == typeof(int)) return "a whole number";
        if (type == typeof(double)) return "a number";
        if (type == typeof(bool)) return "true or false";
        if (type == typeof(DateTime)) return "a date such as \"2000-11-01\"";
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>))
        {
            return $"an object of column names to {Describe(type.GetGenericArguments()[1])}";
        }
        if (typeof(IEnumerable).IsAssignableFrom(type)) return $"a list [ ... ] of {Describe(type.GetGenericArguments()[0])}";
        return "an object { ... }";
    }

    [GeneratedRegex(@"The JSON property '([^']*)'")]
    private static partial Regex UnmappedName();

    [GeneratedRegex(@"'([^']+)'")]
    private static partial Regex RequiredNames();

    [GeneratedRegex(@"\.(?<name>[^.\[]+)|\['(?<quoted>(?:[^']|'')*)'\]|\[(?<index>\d+)\]")]
    private static partial Regex PathSegment();
}
