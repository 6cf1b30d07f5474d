namespace LeadML.Api.Tests.Store;

/// <summary>A clock the test moves by hand (the Api takes its time from the registered <see cref="TimeProvider"/>).</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks - start.UtcTicks % TimeSpan.TicksPerMillisecond;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
