using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace LeadML.Api.Tests.Fixtures;

/// <summary>
/// A throwaway PostgreSQL server for a test class: initdb in a fresh temporary folder owned by <c>postgres</c>,
/// started on a free loopback port with durability off (tests need speed, not crash safety of the test server),
/// stopped and removed on dispose. Each test takes its own database (<see cref="CreateDatabase"/>). PostgreSQL
/// missing is a failure with the command that installs it, never a silent skip.
/// </summary>
public sealed class PostgresServer : IDisposable
{
    private const string Role = "leadml";
    private const string Password = "leadml-test";
    private readonly string _root;
    private readonly string _data;
    private readonly string _bin;
    private int _databases;

    public PostgresServer()
    {
        _bin = FindBin();
        _root = Directory.CreateTempSubdirectory("leadml-pg-").FullName;
        _data = Path.Combine(_root, "data");
        var sock = Path.Combine(_root, "sock");
        Directory.CreateDirectory(sock);
        if (IsRoot) Run("chown", ["-R", "postgres:postgres", _root]);
        RunAsPostgres("initdb", ["-D", _data, "-U", "postgres", "-E", "UTF8", "--locale=C", "--auth-local=trust", "--auth-host=scram-sha-256", "--no-sync"]);
        for (var attempt = 1; ; attempt++)
        {
            Port = FreePort();
            try
            {
                RunAsPostgres("pg_ctl", ["-D", _data, "-l", Path.Combine(_root, "server.log"), "-w", "-t", "30", "start", "-o",
                    $"-p {Port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={sock} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"]);
                break;
            }
            catch (InvalidOperationException) when (attempt < 5)
            {
                // the port was taken between the probe and the start: try another
            }
        }
        RunAsPostgres("psql", ["-h", sock, "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1",
            "-c", $"CREATE ROLE {Role} LOGIN CREATEDB PASSWORD '{Password}'"]);
    }

    public int Port { get; private set; }

    /// <summary>Creates a fresh empty database and returns its connection string.</summary>
    public string CreateDatabase()
    {
        var name = $"leadml_{Interlocked.Increment(ref _databases)}_{Guid.NewGuid().ToString("N")[..8]}";
        using (var c = new NpgsqlConnection(ConnectionString("postgres")))
        {
            c.Open();
            using var cmd = new NpgsqlCommand($"CREATE DATABASE {name}", c);
            cmd.ExecuteNonQuery();
        }
        return ConnectionString(name);
    }

    private string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Database={database};Username={Role};Password={Password};Pooling=true;Maximum Pool Size=50";

    private static bool IsRoot => Environment.UserName == "root";

    private static string FindBin()
    {
        var configured = Environment.GetEnvironmentVariable("LEADML_PG_BIN");
        if (configured is not null) return configured;
        const string debian = "/usr/lib/postgresql";
        var bin = Directory.Exists(debian)
            ? Directory.GetDirectories(debian).Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderDescending().FirstOrDefault()
            : null;
        return bin ?? throw new InvalidOperationException(
            "PostgreSQL server binaries (initdb, pg_ctl) not found: run scripts/setup.sh --tests, or set LEADML_PG_BIN to their folder");
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private void RunAsPostgres(string tool, string[] args)
    {
        var exe = Path.Combine(_bin, tool);
        if (IsRoot) Run("runuser", ["-u", "postgres", "--", exe, .. args]);
        else Run(exe, args);
    }

    private static void Run(string file, string[] args)
    {
        var psi = new ProcessStartInfo(file) { WorkingDirectory = "/", RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["LC_ALL"] = "C";
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(60_000))
        {
            p.Kill(true);
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} did not finish within 60 s");
        }
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited with {p.ExitCode}: {stderr.Result}{stdout.Result}");
        }
    }

    public void Dispose()
    {
        try
        {
            NpgsqlConnection.ClearAllPools();
            RunAsPostgres("pg_ctl", ["-D", _data, "-m", "fast", "-w", "stop"]);
        }
        catch (InvalidOperationException)
        {
            // already down; the folder goes regardless
        }
        Directory.Delete(_root, true);
    }
}
