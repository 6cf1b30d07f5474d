using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace LeadML.Api.Bench;

/// <summary>Latencies of requests sent at a fixed rate whatever the answers' pace (an open loop, as clients arrive):
/// each is timed from when it was due to be sent, so a stalled server shows in the figures instead of slowing the
/// load down.</summary>
internal sealed class FixedRate
{
    private readonly ConcurrentBag<double> _ms = [];
    private int _failed;
    private string? _firstFailure;

    /// <summary>Sends <paramref name="send"/> <paramref name="perSecond"/> times a second until
    /// <paramref name="stop"/>; waits for the requests in flight.</summary>
    public async Task RunAsync(double perSecond, Func<long, Task<HttpResponseMessage>> send, CancellationToken stop)
    {
        var clock = Stopwatch.StartNew();
        var inFlight = new List<Task>();
        for (long i = 0; !stop.IsCancellationRequested; i++)
        {
            var due = TimeSpan.FromSeconds(i / perSecond);
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, stop);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
            var n = i;
            inFlight.Add(Task.Run(async () =>
            {
                try
                {
                    using var response = await send(n);
                    if (!response.IsSuccessStatusCode) Fail($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
                catch (HttpRequestException e)
                {
                    Fail(e.Message);
                }
                _ms.Add((clock.Elapsed - due).TotalMilliseconds);
            }));
            inFlight.RemoveAll(t => t.IsCompleted);
        }
        await Task.WhenAll(inFlight);
    }

    private void Fail(string message)
    {
        Interlocked.Increment(ref _failed);
        Interlocked.CompareExchange(ref _firstFailure, message.Length > 300 ? message[..300] : message, null);
    }

    public string Summary()
    {
        var all = _ms.Order().ToArray();
        if (all.Length == 0) return "no requests";
        double P(double q) => all[Math.Min(all.Length - 1, (int)Math.Ceiling(q * all.Length) - 1)];
        var failed = _failed == 0 ? "" : $", {_failed} failed (first: {_firstFailure})";
        return string.Create(CultureInfo.InvariantCulture, $"{all.Length:N0} requests, p50 {P(0.50):0.0} ms, p95 {P(0.95):0.0} ms, p99 {P(0.99):0.0} ms, max {all[^1]:0.0} ms{failed}");
    }

    public double P99 => _ms.IsEmpty ? double.NaN : _ms.Order().ElementAt(Math.Max(0, (int)Math.Ceiling(0.99 * _ms.Count) - 1));
}
