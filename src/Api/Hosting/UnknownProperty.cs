using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace LeadML.Api.Hosting;

/// <summary>
/// A property a request body sends that its contract does not have, said in the sender's words: where it is, and the
/// known name it is closest to (a typo, a singular for a plural, snake_case for camelCase). Both readers of request
/// bodies, <see cref="Scoring.LeadReader"/> and the serializer (through <see cref="Problems"/>), answer with it.
/// </summary>
internal static class UnknownProperty
{
    /// <summary>How many edits (insert, delete, replace, swap of neighbours; case and <c>_</c>/<c>-</c> aside) a
    /// name may be from a known one to be suggested.</summary>
    public const int MaxDistance = 2;

    /// <summary>The characters for which the serializer writes a property's name in brackets in a path.</summary>
    private static readonly System.Buffers.SearchValues<char> PathSpecials = System.Buffers.SearchValues.Create("$. '/\"[]()\t\n\r\f\b\\\u0085\u2028\u2029");

    /// <summary>"is not a known property; did you mean 'attributes'?", or the known names when none is close.</summary>
    public static string Message(string name, IReadOnlyCollection<string> known) =>
        Closest(name, known) is { } close
            ? $"is not a known property; did you mean '{close}'?"
            : $"is not a known property; the known ones are {string.Join(", ", known.Select(k => $"'{k}'"))}";

    /// <summary>The JSON path of property <paramref name="name"/> of the object at <paramref name="parent"/>, written as
    /// the serializer writes paths (<c>$.events[0].detial</c>, <c>$['a b']</c>).</summary>
    public static string Path(string parent, string name) =>
        name.AsSpan().ContainsAny(PathSpecials) ? $"{parent}['{name.Replace("'", "\\'", StringComparison.Ordinal)}']" : $"{parent}.{name}";

    /// <summary>The known name closest to <paramref name="name"/> (ignoring case, <c>_</c> and <c>-</c>), when at most
    /// <see cref="MaxDistance"/> edits and fewer than the name's length away; the first of equals; else null.</summary>
    public static string? Closest(string name, IEnumerable<string> known)
    {
        var bare = Bare(name);
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in known)
        {
            var distance = Distance(bare, Bare(candidate));
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }
        return bestDistance <= MaxDistance && bestDistance < bare.Length ? best : null;
    }

    private static string Bare(string name) => name.Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).ToLowerInvariant();

    /// <summary>Damerau-Levenshtein distance (optimal string alignment): a swap of two neighbours is one edit.</summary>
    internal static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }
        return d[a.Length, b.Length];
    }

    /// <summary>
    /// When the serializer, reading a <paramref name="root"/> body, refused the property at <paramref name="path"/> as
    /// unknown: its name and the JSON names of the object it was sent in, found by following the path through the
    /// contract's type infos. Null when the path does not end at a property the contract lacks.
    /// </summary>
    public static (string Name, IReadOnlyList<string> Known)? Find(JsonSerializerOptions options, Type root, string path)
    {
        var segments = Segments(path);
        if (segments is not [.., string name]) return null;
        var info = Follow(options, root, segments[..^1]);
        if (info is null || info.Kind != JsonTypeInfoKind.Object || Property(info, name) is not null) return null;
        return (name, [.. info.Properties.Select(p => p.Name)]);
    }

    /// <summary>The type info of what a <paramref name="root"/> body holds at <paramref name="path"/>; null when the
    /// path leads nowhere in the contract.</summary>
    public static JsonTypeInfo? At(JsonSerializerOptions options, Type root, string path) =>
        Segments(path) is { } segments ? Follow(options, root, segments) : null;

    private static JsonTypeInfo? Follow(JsonSerializerOptions options, Type root, List<string?> segments)
    {
        JsonTypeInfo? info = options.GetTypeInfo(root);
        foreach (var property in segments)
        {
            info = property is not null ? Member(options, info, property) : Element(options, info);
            if (info is null) return null;
        }
        return info;
    }

    private static JsonTypeInfo? Member(JsonSerializerOptions options, JsonTypeInfo info, string name) => info.Kind switch
    {
        JsonTypeInfoKind.Object => Property(info, name) is { } p ? options.GetTypeInfo(Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType) : null,
        JsonTypeInfoKind.Dictionary => options.GetTypeInfo(info.ElementType!),
        _ => null,
    };

    private static JsonTypeInfo? Element(JsonSerializerOptions options, JsonTypeInfo info) =>
        info.Kind == JsonTypeInfoKind.Enumerable ? options.GetTypeInfo(info.ElementType!) : null;

    private static JsonPropertyInfo? Property(JsonTypeInfo info, string name) =>
        info.Properties.FirstOrDefault(p => string.Equals(p.Name, name,
            info.Options.PropertyNameCaseInsensitive ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal));

    /// <summary>The steps of a serializer path, a property's name or null for an array's item: <c>$.a[2]['b c']</c> →
    /// a, null, b c; null when it is not such a path.</summary>
    private static List<string?>? Segments(string path)
    {
        if (!path.StartsWith('$')) return null;
        var result = new List<string?>();
        var i = 1;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                var end = path.IndexOfAny(['.', '['], i + 1);
                if (end < 0) end = path.Length;
                result.Add(path[(i + 1)..end]);
                i = end;
            }
            else if (path.AsSpan(i).StartsWith("['"))
            {
                var end = path.IndexOf("']", i + 2, StringComparison.Ordinal);
                if (end < 0) return null;
                result.Add(path[(i + 2)..end].Replace("\\'", "'", StringComparison.Ordinal));
                i = end + 2;
            }
            else if (path[i] == '[')
            {
                var end = path.IndexOf(']', i);
                if (end < 0 || !int.TryParse(path.AsSpan(i + 1, end - i - 1), out _)) return null;
                result.Add(null);
                i = end + 1;
            }
            else return null;
        }
        return result;
    }
}
