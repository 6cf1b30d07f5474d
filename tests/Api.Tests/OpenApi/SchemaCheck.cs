using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace LeadML.Api.Tests.OpenApi;

/// <summary>
/// Checks a JSON value against a schema of an OpenAPI 3.1 document (the JSON Schema keywords the Api's document
/// uses: <c>$ref</c>, <c>type</c> (one or several), <c>enum</c>, <c>properties</c>, <c>required</c>,
/// <c>additionalProperties</c>, <c>items</c>, bounds, <c>pattern</c>, <c>format: date-time</c>, <c>allOf/anyOf/oneOf</c>)
/// and lists every mismatch with its JSON path, so that an example the Api would refuse, or one that does not look like
/// its answers, fails a test.
/// </summary>
internal static class SchemaCheck
{
    public static List<string> Problems(JsonNode? value, JsonNode schema, JsonNode document)
    {
        var problems = new List<string>();
        Check(value, schema, document, "$", problems, 0);
        return problems;
    }

    private static void Check(JsonNode? value, JsonNode schema, JsonNode document, string path, List<string> problems, int depth)
    {
        if (depth > 40) return;
        if (schema["$ref"]?.GetValue<string>() is { } reference)
        {
            if (Resolve(reference, document) is not { } target)
            {
                problems.Add($"{path}: unresolved reference {reference}");
                return;
            }
            schema = target;
        }
        if (schema["allOf"] is JsonArray all)
        {
            foreach (var part in all) Check(value, part!, document, path, problems, depth + 1);
        }
        foreach (var keyword in new[] { "anyOf", "oneOf" })
        {
            if (schema[keyword] is JsonArray options && !options.Any(o => Problems(value, o!, document).Count == 0))
            {
                problems.Add($"{path}: matches none of {keyword}");
            }
        }
        if (schema["enum"] is JsonArray allowed && !allowed.Any(a => JsonNode.DeepEquals(a, value)))
        {
            problems.Add($"{path}: {Show(value)} is not one of {allowed.ToJsonString()}");
            return;
        }
        var kind = Kind(value);
        if (Types(schema) is { Count: > 0 } types && !types.Contains(kind) && !(kind == "integer" && types.Contains("number")))
        {
            problems.Add($"{path}: {Show(value)} is {kind}, the schema says {string.Join(" | ", types)}");
            return;
        }
        switch (value)
        {
            case JsonObject o:
                var properties = schema["properties"] as JsonObject;
                foreach (var name in schema["required"]?.AsArray().Select(r => r!.GetValue<string>()) ?? [])
                {
                    if (!o.ContainsKey(name)) problems.Add($"{path}: required property '{name}' is missing");
                }
                foreach (var (name, item) in o)
                {
                    var at = $"{path}.{name}";
                    if (properties?[name] is { } property) Check(item, property, document, at, problems, depth + 1);
                    else if (schema["additionalProperties"] is JsonObject extra) Check(item, extra, document, at, problems, depth + 1);
                    else if (schema["additionalProperties"] is JsonValue open && !open.GetValue<bool>()) problems.Add($"{at}: the schema has no such property");
                }
                break;
            case JsonArray a:
                if (schema["maxItems"]?.GetValue<int>() is { } maxItems && a.Count > maxItems) problems.Add($"{path}: more than {maxItems} items");
                if (schema["items"] is { } items)
                {
                    for (var i = 0; i < a.Count; i++) Check(a[i], items, document, $"{path}[{i}]", problems, depth + 1);
                }
                break;
            case JsonValue v when kind == "string":
                var text = v.GetValue<string>();
                if (schema["maxLength"]?.GetValue<int>() is { } maxLength && text.Length > maxLength) problems.Add($"{path}: longer than {maxLength}");
                if (schema["pattern"]?.GetValue<string>() is { } pattern && !Regex.IsMatch(text, pattern)) problems.Add($"{path}: '{text}' does not match {pattern}");
                if (schema["format"]?.GetValue<string>() == "date-time"
                    && !DateTimeOffset.TryParseExact(text, "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
                {
                    problems.Add($"{path}: '{text}' is not a date-time");
                }
                break;
            case JsonValue v when kind is "number" or "integer":
                var number = v.GetValue<double>();
                if (Bound(schema["minimum"]) is { } min && number < min) problems.Add($"{path}: {number} is below {min}");
                if (Bound(schema["maximum"]) is { } max && number > max) problems.Add($"{path}: {number} is above {max}");
                break;
        }
    }

    public static JsonNode? Resolve(string reference, JsonNode document)
    {
        if (!reference.StartsWith("#/", StringComparison.Ordinal)) return null;
        JsonNode? node = document;
        foreach (var part in reference[2..].Split('/')) node = node?[part.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)];
        return node;
    }

    private static List<string> Types(JsonNode schema) => schema["type"] switch
    {
        JsonArray a => [.. a.Select(t => t!.GetValue<string>())],
        JsonValue v => [v.GetValue<string>()],
        _ => [],
    };

    private static string Kind(JsonNode? value) => value?.GetValueKind() switch
    {
        null or JsonValueKind.Null => "null",
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => value.ToJsonString().All(c => char.IsAsciiDigit(c) || c == '-') ? "integer" : "number",
    };

    private static double? Bound(JsonNode? node) => node?.GetValueKind() switch
    {
        JsonValueKind.Number => node.GetValue<double>(),
        JsonValueKind.String => double.Parse(node.GetValue<string>(), CultureInfo.InvariantCulture),
        _ => null,
    };

    private static string Show(JsonNode? value) => value?.ToJsonString() is { } s ? (s.Length > 60 ? s[..60] + "…" : s) : "null";
}
