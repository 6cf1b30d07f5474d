using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace LeadML.Api.Tests.Store;

/// <summary>
/// The built Api (<c>src/Api/bin/&lt;configuration&gt;/net10.0/LeadML.Api.dll</c>, built with the tests as a
/// project reference) run as a real operating-system process on a loopback port, configured by environment
/// variables as an operator would, so tests can kill it with SIGKILL and start it again on the same port.
/// </summary>
public sealed class ApiProcess : IDisposable
{
    private readonly Dictionary<string, string> _environment;
    private readonly string _contentRoot;
    private readonly StringBuilder _log = new();
    private Process? _process;

    public ApiProcess(Dictionary<string, string> environment, string contentRoot)
    {
        _environment = environment;
        _contentRoot = contentRoot;
        Port = FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{Port}");
    }

    public int Port { get; }

    public Uri BaseAddress { get; }

    /// <summary>What the process wrote (all runs), for failure messages.</summary>
    public string Log
    {
        get { lock (_log) return _log.ToString(); }
    }

    public static string Dll
    {
        get
        {
            var bin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var configuration = bin.Parent!.Name;
            var root = bin;
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "LeadML.sln"))) root = root.Parent;
            Assert.True(root is not null, $"no LeadML.sln above {AppContext.BaseDirectory}");
            var dll = Path.Combine(root!.FullName, "src", "Api", "bin", configuration, "net10.0", "LeadML.Api.dll");
            Assert.True(File.Exists(dll), $"{dll} is missing: build the solution ({configuration}) first");
            return dll;
        }
    }

    /// <summary>Starts the process and waits until it answers ready.</summary>
    public async Task StartAsync(TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = _contentRoot, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Dll);
        psi.ArgumentList.Add("--urls");
        psi.ArgumentList.Add(BaseAddress.ToString().TrimEnd('/'));
        psi.ArgumentList.Add("--contentRoot");
        psi.ArgumentList.Add(_contentRoot);
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        psi.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (k, v) in _environment) psi.Environment[k] = v;
        var p = Process.Start(psi)!;
        p.OutputDataReceived += (_, e) => Append(e.Data);
        p.ErrorDataReceived += (_, e) => Append(e.Data);
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        _process = p;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            Assert.False(p.HasExited, $"the Api exited with {(p.HasExited ? p.ExitCode : 0)}:\n{Log}");
            try
            {
                if ((await http.GetAsync(new Uri(BaseAddress, "/health/ready"))).IsSuccessStatusCode) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }
            Assert.True(DateTime.UtcNow < until, $"the Api did not get ready:\n{Log}");
            await Task.Delay(100);
        }
    }

    /// <summary>SIGKILL: no shutdown code runs, exactly like a crash.</summary>
    public void Kill()
    {
        if (_process is null) return;
        _process.Kill();
        _process.WaitForExit();
        _process.Dispose();
        _process = null;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_log) _log.AppendLine(line);
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public void Dispose() => Kill();
}
