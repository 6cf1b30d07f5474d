namespace LeadML.Features.Featurization;

/// <summary>
/// Computes feature vectors as of a cut-off time from a lead's attributes and its events strictly before the cut-off.
/// The trainer (many leads, many cut-offs, events streamed once) and the Api (one lead, one cut-off) both go through
/// <see cref="EventAccumulator"/> and <see cref="Write"/>, so the same lead and events give the same vector.
/// Thread-safe: a featurizer holds no mutable state.
/// </summary>
public sealed class Featurizer
{
    private readonly FeatureLayout.Step[] _steps;
    private readonly HashSet<string>[] _levels;
    private readonly Dictionary<string, int> _typeChannels = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Type, string Detail), int> _detailChannels = [];
    private readonly int[] _typeChannelIndices;

    /// <summary>Compiles a spec. Throws <see cref="InvalidDataException"/> when the spec's stored feature names are
    /// not the ones this version derives from its attributes and channels (a bundle from an incompatible version).</summary>
    public Featurizer(FeatureSpec spec)
    {
        Spec = spec;
        var (defs, steps) = FeatureLayout.Build(spec.Kind, spec.Attributes, spec.Channels, spec.NegativeEventTypes);
        if (defs.Count != spec.Features.Count)
        {
            throw new InvalidDataException(
                $"the feature spec lists {spec.Features.Count} features but its attributes and channels define {defs.Count}; it was written by an incompatible version");
        }
        for (var i = 0; i < defs.Count; i++)
        {
            if (defs[i].Name != spec.Features[i].Name)
            {
                throw new InvalidDataException(
                    $"feature {i} is '{spec.Features[i].Name}' in the spec but '{defs[i].Name}' by its definition; it was written by an incompatible version");
            }
        }
        _steps = [.. steps];
        _levels = [.. spec.Attributes.Select(a => new HashSet<string>(a.Levels, StringComparer.Ordinal))];
        var typeIdx = new List<int>();
        for (var c = 0; c < spec.Channels.Count; c++)
        {
            var ch = spec.Channels[c];
            if (ch.Detail is null)
            {
                _typeChannels[ch.Type] = c;
                typeIdx.Add(c);
            }
            else
            {
                _detailChannels[(ch.Type, ch.Detail)] = c;
            }
        }
        _typeChannelIndices = [.. typeIdx];
    }

    public FeatureSpec Spec { get; }

    /// <summary>Length of the feature vector.</summary>
    public int Width => _steps.Length;

    internal int ChannelCount => Spec.Channels.Count;

    /// <summary>The channel indices an event feeds (its type channel and, if frequent, its detail channel).</summary>
    internal (int TypeChannel, int DetailChannel) ChannelsOf(string type, string? detail)
    {
        var t = _typeChannels.TryGetValue(type, out var ti) ? ti : -1;
        var d = detail is not null && _detailChannels.TryGetValue((type, detail), out var di) ? di : -1;
        return (t, d);
    }

    /// <summary>
    /// Writes the feature vector of one (lead, cut-off).
    /// </summary>
    /// <param name="attributes">The lead's attribute values aligned with <see cref="FeatureSpec.Attributes"/>.</param>
    /// <param name="createdAt">When the lead was created (for <c>lead.age_days</c>).</param>
    /// <param name="cutoff">The point in time (UTC).</param>
    /// <param name="events">The lead's accumulated events, or null for single tables / no events.</param>
    /// <param name="slot">The slot of (lead, cut-off) in <paramref name="events"/>.</param>
    /// <param name="vector">Output, <see cref="Width"/> long.</param>
    public void Write(AttributeValues attributes, DateTime createdAt, DateTime cutoff, EventAccumulator? events, int slot, Span<float> vector)
    {
        if (vector.Length != _steps.Length)
        {
            throw new ArgumentException($"vector has {vector.Length} columns, the spec {_steps.Length}", nameof(vector));
        }
        var stats = events is null ? ReadOnlySpan<float>.Empty : events.Stats(slot);
        var cutoffDays = DayNumber(cutoff);
        for (var i = 0; i < _steps.Length; i++)
        {
            var s = _steps[i];
            vector[i] = s.Op switch
            {
                FeatureLayout.Op.Level => attributes.Categories[s.Source] == s.Level ? 1f : 0f,
                FeatureLayout.Op.Other => attributes.Categories[s.Source] is { } v && !_levels[s.Source].Contains(v) ? 1f : 0f,
                FeatureLayout.Op.Missing => attributes.Categories[s.Source] is null ? 1f : 0f,
                FeatureLayout.Op.Number => (float)attributes.Numbers[s.Source],
                FeatureLayout.Op.Flag => attributes.Categories[s.Source] switch { "true" => 1f, "false" => 0f, _ => float.NaN },
                FeatureLayout.Op.DateDays => double.IsNaN(attributes.Numbers[s.Source])
                    ? float.NaN
                    : (float)(cutoffDays - attributes.Numbers[s.Source]),
                FeatureLayout.Op.Count => stats.IsEmpty ? 0f : stats[s.Source * EventAccumulator.StatsPerChannel + WindowSlot(s.Window)],
                FeatureLayout.Op.DaysSince => stats.IsEmpty ? float.NaN : Recency(stats[s.Source * EventAccumulator.StatsPerChannel + 4]),
                FeatureLayout.Op.Ever => !stats.IsEmpty && float.IsFinite(stats[s.Source * EventAccumulator.StatsPerChannel + 4]) ? 1f : 0f,
                FeatureLayout.Op.Trend => stats.IsEmpty ? 0f : Trend(stats, s.Source),
                FeatureLayout.Op.ActiveDays => events is null ? 0f : events.ActiveDays(slot, s.Window),
                FeatureLayout.Op.DaysSinceAny => stats.IsEmpty ? float.NaN : DaysSinceAny(stats),
                FeatureLayout.Op.ClickRate => stats.IsEmpty ? float.NaN : ClickRate(stats, s.Source, s.Window),
                FeatureLayout.Op.LeadAge => (float)((cutoff - createdAt).TotalDays),
                _ => throw new InvalidOperationException($"unknown step {s.Op}"),
            };
        }
    }

    /// <summary>Days since 1970-01-01 UTC, with the time of day as a fraction: the unit of date attributes.</summary>
    public static double DayNumber(DateTime utc) => (utc - DateTime.UnixEpoch).TotalDays;

    private static int WindowSlot(int days) => days switch
    {
        7 => 0,
        30 => 1,
        90 => 2,
        365 => 3,
        _ => throw new ArgumentOutOfRangeException(nameof(days), days, "count windows are 7, 30, 90 and 365 days"),
    };

    private static float Recency(float minDelta) => float.IsFinite(minDelta) ? minDelta : float.NaN;

    private static float Trend(ReadOnlySpan<float> stats, int channel)
    {
        var b = channel * EventAccumulator.StatsPerChannel;
        var last30 = stats[b + 1];
        var earlier60 = stats[b + 2] - last30;
        return last30 - earlier60 / 2f;
    }

    private float DaysSinceAny(ReadOnlySpan<float> stats)
    {
        var min = float.PositiveInfinity;
        foreach (var c in _typeChannelIndices)
        {
            min = MathF.Min(min, stats[c * EventAccumulator.StatsPerChannel + 4]);
        }
        return Recency(min);
    }

    private static float ClickRate(ReadOnlySpan<float> stats, int opens, int clicks)
    {
        var o = stats[opens * EventAccumulator.StatsPerChannel + 2];
        var c = stats[clicks * EventAccumulator.StatsPerChannel + 2];
        return o > 0 ? c / o : float.NaN;
    }
}
