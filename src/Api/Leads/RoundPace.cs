using LeadML.Api.Hosting;

namespace LeadML.Api.Leads;

/// <summary>
/// Keeps a rescoring round to its share of the time (<see cref="RescoringOptions.Share"/>) so that requests sent
/// meanwhile find the cores free: the round is CPU-bound, and run flat out it takes one of the cores from the live
/// requests for as long as it lasts. After each step the round waits in proportion to the time the step took (at
/// share 0.5, as long again), so its steps stay short and apart. A round still running when half the interval has
/// passed goes on at full speed (logged once): at its pace it might not end before its leads are due again, and a
/// round behind its schedule would fall further behind every interval. Paced for the first half and flat out for
/// the second, a round whose work takes W at full speed ends within the interval I whenever W ≤ I × (1 + share) / 2.
/// </summary>
internal sealed class RoundPace
{
    private readonly TimeProvider _clock;
    private readonly double _share;
    private readonly TimeSpan _paced;
    private readonly long _started;
    private readonly Action<TimeSpan> _hurrying;
    private long _stepStarted;

    /// <param name="clock">Where time is taken from (timestamps and waits).</param>
    /// <param name="share">The part of the time the round may be busy, above 0 and at most 1 (1: never waits).</param>
    /// <param name="interval">The rescoring interval: the round is paced for its first half.</param>
    /// <param name="hurrying">Called once, with the time the round has run, when it stops waiting.</param>
    public RoundPace(TimeProvider clock, double share, TimeSpan interval, Action<TimeSpan> hurrying)
    {
        _clock = clock;
        _share = share;
        _paced = interval / 2;
        _hurrying = hurrying;
        _started = _stepStarted = clock.GetTimestamp();
    }

    /// <summary>Whether the round has run for half the interval and so no longer waits.</summary>
    public bool Hurried { get; private set; }

    /// <summary>Waits after a step of the round (the time since the previous step ended, or since the round began)
    /// as long as keeps the round to its share, but not past half the interval, then starts timing the next step.</summary>
    public async Task GiveWayAsync(CancellationToken ct)
    {
        var wait = Wait();
        if (wait > TimeSpan.Zero) await Task.Delay(wait, _clock, ct);
        _stepStarted = _clock.GetTimestamp();
    }

    private TimeSpan Wait()
    {
        if (_share >= 1 || Hurried) return TimeSpan.Zero;
        var now = _clock.GetTimestamp();
        var ran = _clock.GetElapsedTime(_started, now);
        if (ran >= _paced)
        {
            Hurried = true;
            _hurrying(ran);
            return TimeSpan.Zero;
        }
        var wait = _clock.GetElapsedTime(_stepStarted, now) * ((1 - _share) / _share);
        return wait < _paced - ran ? wait : _paced - ran;
    }
}
