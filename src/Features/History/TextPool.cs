namespace LeadML.Features.History;

/// <summary>
/// Shares one instance per distinct text read (event types and details repeat a lot). Details can be free text (page
/// paths): past <see cref="MaxPooled"/> distinct values they are no longer pooled, so the pool cannot grow with the
/// events read.
/// </summary>
internal sealed class TextPool
{
    private const int MaxPooled = 100_000;
    private readonly Dictionary<string, string> _pool = new(StringComparer.Ordinal);

    /// <summary>The pooled instance equal to <paramref name="value"/>, or <paramref name="value"/> itself.</summary>
    public string Intern(string value)
    {
        if (_pool.TryGetValue(value, out var shared)) return shared;
        if (_pool.Count < MaxPooled) _pool[value] = value;
        return value;
    }
}
