// The Api with the in-process reference that scripts/bench-score.sh measures it against, in one process: the real Api
// (its own Program, configured by environment as an operator configures it) on a loopback port, and beside it
//   POST /bench/bare       reads the same body as /score with the same reader and answers a constant (the ceiling),
//   POST /bench/inprocess  scores a batch body in process, without HTTP, and reports rows per second,
//   GET  /bench/gc         the process's garbage collections so far.
// Run in Release: dotnet bench/Api.Bench/bin/Release/net10.0/LeadML.Api.Bench.dll --port 5080
// With "store" first it is instead the store benchmark (StoreBench, scripts/bench-store.sh), which starts this host in
// serving mode as its Api instances.
using System.Runtime.InteropServices;

namespace LeadML.Api.Bench;

internal static class BenchMain
{
    public static async Task Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "store")
        {
            await StoreBench.RunAsync(args);
            return;
        }
        var port = args.Length == 2 && args[0] == "--port" && int.TryParse(args[1], out var p) ? p
            : throw new ArgumentException("usage: LeadML.Api.Bench --port PORT");
        using var host = new BenchHost(port);
        host.Start();
        Console.WriteLine($"serving on http://127.0.0.1:{port}");
        var stop = new TaskCompletionSource();
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.TrySetResult(); });
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.TrySetResult(); });
        await stop.Task;
    }
}
