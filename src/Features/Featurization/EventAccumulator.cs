using LeadML.Features.History;

namespace LeadML.Features.Featurization;

/// <summary>
/// Point-in-time event statistics for a set of (lead, cut-off) slots, filled by streaming events once in any order.
/// Memory grows with the number of slots (leads × cut-offs they exist at), never with the number of events.
/// An event feeds a slot only when it happened strictly before the slot's cut-off.
/// </summary>
public sealed class EventAccumulator
{
    /// <summary>Per channel: counts over 7, 30, 90, 365 days, then days since the latest event (+∞ when none).</summary>
    internal const int StatsPerChannel = 5;

    private static readonly double[] Windows = [7, 30, 90, 365];
    private const int MaxActiveWindow = 90;

    private readonly Featurizer _featurizer;
    private readonly DateTime[] _cutoffs;
    private readonly int[] _slotOf;          // [lead * cutoffs + cutoff] -> slot or -1
    private readonly float[] _stats;         // [slot * channels * StatsPerChannel]
    private readonly int _stride;
    private readonly DateTime _dayOrigin;    // day 0 of the activity bitsets
    private readonly int _words;             // ulongs per lead
    private readonly ulong[] _days;          // [lead * _words], bit d = activity on day d
    private readonly int _leads;
    private readonly int[] _slotLead;
    private readonly int[] _slotCutoff;

    /// <summary>Creates slots for the (lead, cut-off) pairs where <paramref name="include"/> is true.</summary>
    /// <param name="featurizer">The featurizer whose channels are accumulated.</param>
    /// <param name="leadCount">Number of leads; events carry lead indices below it.</param>
    /// <param name="cutoffs">Cut-off times, ascending (UTC).</param>
    /// <param name="include">Whether lead i has a slot at cut-off j.</param>
    public EventAccumulator(Featurizer featurizer, int leadCount, IReadOnlyList<DateTime> cutoffs, Func<int, int, bool> include)
    {
        _featurizer = featurizer;
        _cutoffs = [.. cutoffs];
        for (var j = 1; j < _cutoffs.Length; j++)
        {
            if (_cutoffs[j] <= _cutoffs[j - 1]) throw new ArgumentException("cut-offs must be strictly ascending", nameof(cutoffs));
        }
        _leads = leadCount;
        _slotOf = new int[(long)leadCount * _cutoffs.Length];
        var slots = 0;
        for (var i = 0; i < leadCount; i++)
        {
            for (var j = 0; j < _cutoffs.Length; j++)
            {
                _slotOf[i * _cutoffs.Length + j] = include(i, j) ? slots++ : -1;
            }
        }
        SlotCount = slots;
        _slotLead = new int[slots];
        _slotCutoff = new int[slots];
        for (var k = 0; k < _slotOf.Length; k++)
        {
            if (_slotOf[k] < 0) continue;
            _slotLead[_slotOf[k]] = k / _cutoffs.Length;
            _slotCutoff[_slotOf[k]] = k % _cutoffs.Length;
        }
        _stride = featurizer.ChannelCount * StatsPerChannel;
        _stats = new float[(long)slots * _stride];
        for (var s = 0; s < slots; s++)
        {
            for (var c = 0; c < featurizer.ChannelCount; c++)
            {
                _stats[s * _stride + c * StatsPerChannel + 4] = float.PositiveInfinity;
            }
        }
        if (_cutoffs.Length > 0)
        {
            _dayOrigin = _cutoffs[0].Date.AddDays(-MaxActiveWindow - 1);
            var span = (int)(_cutoffs[^1].Date - _dayOrigin).TotalDays + 1;
            _words = (span + 63) / 64;
        }
        _days = new ulong[(long)leadCount * _words];
    }

    /// <summary>A single lead at a single cut-off: what the Api scores.</summary>
    public static EventAccumulator ForOneLead(Featurizer featurizer, DateTime cutoff) =>
        new(featurizer, 1, [cutoff], static (_, _) => true);

    /// <summary>Number of (lead, cut-off) slots.</summary>
    public int SlotCount { get; }

    /// <summary>The slot of lead <paramref name="lead"/> at cut-off <paramref name="cutoff"/>, or -1.</summary>
    public int SlotOf(int lead, int cutoff) => _slotOf[lead * _cutoffs.Length + cutoff];

    /// <summary>Adds one event to every slot of its lead whose cut-off is after the event.</summary>
    public void Add(in LeadEvent e)
    {
        if ((uint)e.LeadIndex >= (uint)_leads)
        {
            throw new ArgumentOutOfRangeException(nameof(e), e.LeadIndex, "event lead index outside the accumulator");
        }
        var (tc, dc) = _featurizer.ChannelsOf(e.Type, e.Detail);
        var first = FirstCutoffAfter(e.Timestamp);
        if (first >= _cutoffs.Length) return;

        // Activity days: any event type counts, whether or not it has a channel.
        var day = (int)Math.Floor((e.Timestamp - _dayOrigin).TotalDays);
        if (day >= 0 && day < _words * 64)
        {
            _days[(long)e.LeadIndex * _words + (day >> 6)] |= 1UL << (day & 63);
        }
        if (tc < 0 && dc < 0) return;

        var row = e.LeadIndex * _cutoffs.Length;
        for (var j = first; j < _cutoffs.Length; j++)
        {
            var slot = _slotOf[row + j];
            if (slot < 0) continue;
            var delta = (float)(_cutoffs[j] - e.Timestamp).TotalDays;
            if (tc >= 0) Update(slot * _stride + tc * StatsPerChannel, delta);
            if (dc >= 0) Update(slot * _stride + dc * StatsPerChannel, delta);
        }
    }

    private void Update(int b, float delta)
    {
        for (var w = 0; w < Windows.Length; w++)
        {
            if (delta <= Windows[w]) _stats[b + w] += 1f;
        }
        if (delta < _stats[b + 4]) _stats[b + 4] = delta;
    }

    private int FirstCutoffAfter(DateTime t)
    {
        var lo = 0;
        var hi = _cutoffs.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >> 1;
            if (_cutoffs[mid] > t) hi = mid;
            else lo = mid + 1;
        }
        return lo;
    }

    internal ReadOnlySpan<float> Stats(int slot) => _stats.AsSpan(slot * _stride, _stride);

    /// <summary>Distinct UTC dates with activity from <paramref name="window"/> days before the cut-off's date up to
    /// the cut-off (events at or after the cut-off excluded).</summary>
    internal float ActiveDays(int slot, int window)
    {
        var (lead, cutoff) = LocateSlot(slot);
        var c = _cutoffs[cutoff];
        var lastDay = (int)Math.Floor((c - _dayOrigin).TotalDays);
        if (c == c.Date) lastDay--; // a midnight cut-off: that date has no time before it
        var firstDay = (int)(c.Date - _dayOrigin).TotalDays - window;
        var count = 0;
        var baseWord = (long)lead * _words;
        for (var d = Math.Max(firstDay, 0); d <= lastDay && d < _words * 64; d++)
        {
            if ((_days[baseWord + (d >> 6)] & (1UL << (d & 63))) != 0) count++;
        }
        return count;
    }

    private (int Lead, int Cutoff) LocateSlot(int slot) => (_slotLead[slot], _slotCutoff[slot]);
}
