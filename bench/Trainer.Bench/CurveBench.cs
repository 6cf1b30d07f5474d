using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using LeadML.Trainer.Sample;

namespace LeadML.Trainer.Bench;

/// <summary>What <c>curve</c> runs.</summary>
internal sealed record CurveOptions(int[] Sizes, string? Histories, string Peer, int PeerMaxLeads, int CheckLeads, double CheckShare);

/// <summary>One training run of the curve: ours (negative share as used) or the peer pipeline's.</summary>
internal sealed record CurveRun(double Seconds, long PeakBytes, double TestAuc, double? PointsAuc, string NegativeShare, int Rows)
{
    /// <summary>The one-minute load average when the run started.</summary>
    public string Load { get; init; } = "?";
    /// <summary>The chosen model (ours only).</summary>
    public string? Model { get; init; }
}

/// <summary>One size of the curve.</summary>
internal sealed record CurvePoint(int Leads, long Events, double? SampleSeconds, CurveRun Ours, CurveRun? Peer, string? PeerSkipped, CurveRun? Sampled);

/// <summary>
/// <c>curve</c>: <c>leadml train</c> from 30 k to 1 M leads of the sample history (wall time, peak memory, test
/// ROC-AUC, points-only ROC-AUC), each in a child process so that one size's peak does not include another's, beside
/// the peer pipeline (pandas + xgboost) on the same files where it fits in memory. At one size the training runs again
/// with a share of the non-converting rows, to check that the sampling moves neither AUC.
/// </summary>
internal static class CurveBench
{
    /// <summary><c>leadml train</c>'s wall time at most this share of the peer pipeline's on the same history, measured back
    /// to back in the same run.</summary>
    public const double PeerRatioTarget = 0.5;

    /// <summary>Targets of the million-lead history.</summary>
    public const double MillionSeconds = 12 * 60;
    public const double MillionGiB = 8;
    public const double SampleSeconds = 5 * 60;
    /// <summary>Quality may not move more than this with sampled rows (test ROC-AUC, points-only ROC-AUC).</summary>
    public const double AucTolerance = 0.002;
    public const double PointsAucTolerance = 0.003;

    public static IReadOnlyList<CurvePoint> Run(CurveOptions o, string work, Action<string> log)
    {
        var result = new List<CurvePoint>();
        foreach (var n in o.Sizes)
        {
            var history = Path.Combine(o.Histories ?? work, $"leads-{n}");
            double? sampleSeconds = null;
            long events;
            if (!File.Exists(Path.Combine(history, "leadml.json")))
            {
                log($"{n:N0} leads: generating the sample history");
                var watch = Stopwatch.StartNew();
                events = SampleGenerator.Write(history, new SampleOptions { Leads = n }).Events;
                sampleSeconds = watch.Elapsed.TotalSeconds;
                log($"  {events:N0} events in {sampleSeconds:F0} s");
            }
            else
            {
                events = CountLines(Path.Combine(history, "events.csv")) - 1;
            }
            var load = Load();
            log($"{n:N0} leads: training (load {load})");
            var ours = Ours(ScaleBench.RunChild(history, Path.Combine(work, $"model-{n}"), log)) with { Load = load };
            CurveRun? sampled = null;
            if (n == o.CheckLeads)
            {
                log($"{n:N0} leads: training on {o.CheckShare:P0} of the non-converting rows (load {Load()})");
                sampled = Ours(ScaleBench.RunChild(history, Path.Combine(work, $"model-{n}-sampled"), log, o.CheckShare));
            }
            CurveRun? peer = null;
            string? skipped = null;
            if (n <= o.PeerMaxLeads)
            {
                var peerLoad = Load();
                log($"{n:N0} leads: peer pipeline (load {peerLoad})");
                (peer, skipped) = Peer(o.Peer, history, log);
                if (peer is not null) peer = peer with { Load = peerLoad };
            }
            else
            {
                skipped = $"not run above {o.PeerMaxLeads:N0} leads";
            }
            result.Add(new CurvePoint(n, events, sampleSeconds, ours, peer, skipped, sampled));
            if (o.Histories is null) Directory.Delete(history, recursive: true);
        }
        return result;
    }

    private static CurveRun Ours(JsonObject child) => new(
        child["seconds"]!.GetValue<double>(), child["peakWorkingSet"]!.GetValue<long>(), child["testRocAuc"]?.GetValue<double>() ?? double.NaN,
        child["pointsTestRocAuc"]?.GetValue<double>(), child["negativeShare"]?.GetValue<string>() ?? "1", child["rows"]!.GetValue<int>())
    {
        Model = child["model"]?.GetValue<string>(),
    };

    /// <summary>The peer pipeline under <c>/usr/bin/time</c> for its peak resident memory.</summary>
    private static (CurveRun?, string?) Peer(string script, string history, Action<string> log)
    {
        var start = new ProcessStartInfo("/usr/bin/time")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var a in new[] { "-f", "peak-kib %M", "/usr/bin/python3", script, history }) start.ArgumentList.Add(a);
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stderrTask = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var seconds = watch.Elapsed.TotalSeconds;
        var stderr = stderrTask.Result;
        var peakLine = stderr.Split('\n').LastOrDefault(l => l.StartsWith("peak-kib ", StringComparison.Ordinal));
        if (process.ExitCode != 0 || peakLine is null)
        {
            var why = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault(l => !l.StartsWith("peak-kib", StringComparison.Ordinal)) ?? "";
            log($"  peer failed ({process.ExitCode}): {why}");
            return (null, $"failed: {why.Trim()}");
        }
        var line = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last();
        log($"  peer: {line}");
        var o = JsonNode.Parse(line)!.AsObject();
        var peak = long.Parse(peakLine["peak-kib ".Length..].Trim(), CultureInfo.InvariantCulture) * 1024;
        return (new CurveRun(seconds, peak, o["xgb_auc"]!.GetValue<double>(), null, "1", o["snapshots"]!.GetValue<int>()), null);
    }

    private static long CountLines(string path)
    {
        long n = 0;
        using var stream = File.OpenRead(path);
        var buffer = new byte[1 << 20];
        int read;
        while ((read = stream.Read(buffer)) > 0) n += buffer.AsSpan(0, read).Count((byte)'\n');
        return n;
    }

    /// <summary>The one-minute load average, as the figures were measured beside it.</summary>
    internal static string Load() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

    private static string GiB(long bytes) => (bytes / 1073741824.0).ToString("F2", CultureInfo.InvariantCulture);

    public static string Markdown(IReadOnlyList<CurvePoint> points, CurveOptions o)
    {
        var s = new StringBuilder();
        s.AppendLine(CultureInfo.InvariantCulture, $"Measured at load average {Load()} (end of run) on {Environment.ProcessorCount} cores.");
        s.AppendLine();
        s.AppendLine(CultureInfo.InvariantCulture, $"| leads | events | sample s | snapshot rows | non-converting rows fitted | train s (load at start) | peak GiB | test ROC-AUC | points-only ROC-AUC | chosen model | peer s (load at start) | train s / peer s (target ≤ {PeerRatioTarget}) | peer peak GiB | peer test ROC-AUC (xgboost) |");
        s.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|");
        foreach (var p in points)
        {
            var peer = p.Peer is { } q
                ? string.Create(CultureInfo.InvariantCulture, $"{q.Seconds:F0} ({q.Load}) | {p.Ours.Seconds / q.Seconds:F2} {(p.Ours.Seconds / q.Seconds <= PeerRatioTarget ? "✓" : "✗")} | {GiB(q.PeakBytes)} | {q.TestAuc:F4}")
                : $"— | — | — | {p.PeerSkipped}";
            s.AppendLine(CultureInfo.InvariantCulture,
                $"| {p.Leads:N0} | {p.Events:N0} | {(p.SampleSeconds is { } ss ? ss.ToString("F0", CultureInfo.InvariantCulture) : "—")} | {p.Ours.Rows:N0} | {p.Ours.NegativeShare} | {p.Ours.Seconds:F0} ({p.Ours.Load}) | {GiB(p.Ours.PeakBytes)} | {p.Ours.TestAuc:F4} | {p.Ours.PointsAuc:F4} | {p.Ours.Model} | {peer} |");
        }
        if (points.LastOrDefault(p => p.Leads == 1_000_000) is { } m)
        {
            s.AppendLine();
            var generation = m.SampleSeconds is { } g
                ? string.Create(CultureInfo.InvariantCulture, $"; sample generation {g / 60:F1} min (target ≤ {SampleSeconds / 60:F0}: {(g <= SampleSeconds ? "met" : "NOT met")})")
                : "";
            s.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"1,000,000 leads: {m.Ours.Seconds / 60:F1} min (target ≤ {MillionSeconds / 60:F0}: {(m.Ours.Seconds <= MillionSeconds ? "met" : "NOT met")}), peak {GiB(m.Ours.PeakBytes)} GiB (target ≤ {MillionGiB:F0}: {(m.Ours.PeakBytes <= MillionGiB * 1073741824 ? "met" : "NOT met")}){generation}"));
        }
        foreach (var p in points.Where(p => p.Sampled is not null))
        {
            var c = p.Sampled!;
            var d = c.TestAuc - p.Ours.TestAuc;
            var dp = (c.PointsAuc ?? double.NaN) - (p.Ours.PointsAuc ?? double.NaN);
            s.AppendLine();
            s.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"Sampling check at {p.Leads:N0} leads, {o.CheckShare:P0} of the non-converting training rows (weighted): test ROC-AUC {c.TestAuc:F4} against {p.Ours.TestAuc:F4} unsampled "
                ) + string.Create(CultureInfo.InvariantCulture, $"(Δ {d:+0.0000;-0.0000}, within {AucTolerance}: {(Math.Abs(d) <= AucTolerance ? "yes" : "NO")}); points-only {c.PointsAuc:F4} against {p.Ours.PointsAuc:F4} "
                + $"(Δ {dp:+0.0000;-0.0000}, within {PointsAucTolerance}: {(Math.Abs(dp) <= PointsAucTolerance ? "yes" : "NO")}); {c.Seconds:F0} s and {GiB(c.PeakBytes)} GiB against {p.Ours.Seconds:F0} s and {GiB(p.Ours.PeakBytes)} GiB."));
        }
        return s.ToString();
    }
}
