using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace LeadML.Api.Bench;

/// <summary>One Api process of the store benchmark: this bench host started again in serving mode (<c>--port</c>)
/// with the operator's settings as environment variables, as a deployment starts each instance.</summary>
internal sealed class ApiInstance : IAsyncDisposable
{
    private readonly Process _process;

    private ApiInstance(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>Starts an instance with <paramref name="settings"/> and waits until it answers <c>/health/ready</c>.</summary>
    public static async Task<ApiInstance> StartAsync(IReadOnlyDictionary<string, string> settings, HttpClient http, string log)
    {
        var port = FreePort();
        var psi = new ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { typeof(ApiInstance).Assembly.Location, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            psi.ArgumentList.Add(a);
        }
        foreach (var (k, v) in settings) psi.Environment[k] = v;
        var process = Process.Start(psi)!;
        var output = new StreamWriter(log, append: true) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var instance = new ApiInstance(process, new Uri($"http://127.0.0.1:{port}/"));
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromMinutes(2))
        {
            if (process.HasExited) throw new InvalidOperationException($"the Api instance exited with {process.ExitCode} on start; see {log}");
            try
            {
                using var ready = await http.GetAsync(new Uri(instance.Address, "health/ready"));
                if (ready.IsSuccessStatusCode) return instance;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(200);
        }
        await instance.DisposeAsync();
        throw new InvalidOperationException($"the Api instance was not ready within 2 minutes; see {log}");
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    /// <summary>Stops the instance as an orchestrator does (SIGTERM, then kill after 30 s).</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await term.WaitForExitAsync();
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await _process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(true);
            }
        }
        _process.Dispose();
    }
}
