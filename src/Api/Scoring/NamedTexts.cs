using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace LeadML.Api.Scoring;

/// <summary>
/// A lead's attributes as read from a batch: names and values in the order written, looked up by ordinal name with a
/// scan. A lead has a handful of attributes, for which two small arrays cost a fraction of a hash table to build and to
/// hold while the batch is scored; <see cref="Create"/> returns a dictionary for the rare lead with many.
/// </summary>
internal sealed class NamedTexts : IReadOnlyDictionary<string, string?>
{
    /// <summary>Up to this many names are scanned; more go into a dictionary.</summary>
    public const int MaxScanned = 16;

    /// <summary>No attributes.</summary>
    public static readonly NamedTexts None = new([], []);
    private readonly string[] _names;
    private readonly string?[] _values;

    private NamedTexts(string[] names, string?[] values) => (_names, _values) = (names, values);

    /// <summary>The names (distinct, in order) and their values.</summary>
    public static IReadOnlyDictionary<string, string?> Create(List<string> names, List<string?> values)
    {
        var count = names.Count;
        if (count == 0) return None;
        if (count > MaxScanned)
        {
            var map = new Dictionary<string, string?>(count, StringComparer.Ordinal);
            for (var i = 0; i < count; i++) map[names[i]] = values[i];
            return map;
        }
        var n = new string[count];
        var v = new string?[count];
        names.CopyTo(n);
        values.CopyTo(v);
        return new NamedTexts(n, v);
    }

    public int Count => _names.Length;

    public string? this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"No attribute '{key}'");

    public IEnumerable<string> Keys => _names;

    public IEnumerable<string?> Values => _values;

    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string? value)
    {
        var i = IndexOf(key);
        value = i >= 0 ? _values[i] : null;
        return i >= 0;
    }

    private int IndexOf(string key)
    {
        var names = _names;
        for (var i = 0; i < names.Length; i++)
        {
            if (string.Equals(names[i], key, StringComparison.Ordinal)) return i;
        }
        return -1;
    }

    public IEnumerator<KeyValuePair<string, string?>> GetEnumerator()
    {
        for (var i = 0; i < _names.Length; i++) yield return new(_names[i], _values[i]);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
