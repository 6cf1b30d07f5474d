using LeadML.Api.Leads;
using Microsoft.Extensions.Time.Testing;

namespace LeadML.Api.Tests.Leads;

/// <summary>A rescoring round keeps to its share of the time by waiting after each step in proportion to the step,
/// and gives that up once it has run for half the interval, so that it still ends before its leads are due again.</summary>
public sealed class RoundPaceTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);
    private readonly FakeTimeProvider _clock = new();
    private readonly List<TimeSpan> _hurried = [];

    private RoundPace Pace(double share) => new(_clock, share, Interval, _hurried.Add);

    [Theory]
    [InlineData(0.5, 200, 200)]
    [InlineData(0.25, 100, 300)]
    [InlineData(0.8, 400, 100)]
    public async Task AfterAStep_ItWaitsSoThatTheRoundIsBusyItsShareOfTheTime(double share, int stepMs, int waitMs)
    {
        var pace = Pace(share);
        _clock.Advance(TimeSpan.FromMilliseconds(stepMs));

        var giving = pace.GiveWayAsync(default);
        _clock.Advance(TimeSpan.FromMilliseconds(waitMs - 1));
        Assert.False(giving.IsCompleted, $"done after {waitMs - 1} ms");
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        await giving.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(pace.Hurried);
    }

    [Fact]
    public async Task TheNextWait_CountsOnlyTheStepSinceThePreviousWaitEnded()
    {
        var pace = Pace(0.5);
        _clock.Advance(TimeSpan.FromMilliseconds(300));
        var first = pace.GiveWayAsync(default);
        _clock.Advance(TimeSpan.FromMilliseconds(300));
        await first.WaitAsync(TimeSpan.FromSeconds(10));

        _clock.Advance(TimeSpan.FromMilliseconds(50));
        var second = pace.GiveWayAsync(default);
        _clock.Advance(TimeSpan.FromMilliseconds(49));
        Assert.False(second.IsCompleted);
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        await second.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void AtTheWholeShare_ItNeverWaits()
    {
        var pace = Pace(1);
        _clock.Advance(TimeSpan.FromSeconds(5));

        Assert.True(pace.GiveWayAsync(default).IsCompletedSuccessfully);
        Assert.Empty(_hurried);
    }

    [Fact]
    public async Task ARoundThatHasRunHalfTheInterval_GoesOnAtFullSpeed_AndSaysSoOnce()
    {
        var pace = Pace(0.5);
        _clock.Advance(Interval / 2 - TimeSpan.FromSeconds(1));

        // A wait ends at half the interval at the latest.
        var paced = pace.GiveWayAsync(default);
        Assert.False(paced.IsCompleted);
        _clock.Advance(TimeSpan.FromSeconds(1));
        await paced.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Empty(_hurried);

        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.True(pace.GiveWayAsync(default).IsCompletedSuccessfully);
        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.True(pace.GiveWayAsync(default).IsCompletedSuccessfully);

        Assert.True(pace.Hurried);
        Assert.Equal(Interval / 2 + TimeSpan.FromSeconds(2), Assert.Single(_hurried));
    }

    [Fact]
    public async Task AWait_EndsWhenTheApiStops()
    {
        var pace = Pace(0.5);
        _clock.Advance(TimeSpan.FromSeconds(1));
        using var stop = new CancellationTokenSource();

        var giving = pace.GiveWayAsync(stop.Token);
        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => giving.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
