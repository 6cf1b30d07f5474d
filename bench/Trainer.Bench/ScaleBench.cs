using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LeadML.Trainer.Sample;
using LeadML.Trainer.Training;

namespace LeadML.Trainer.Bench;

/// <summary>One size's line in the scale table.</summary>
internal sealed record ScaleResult(double ActivityScale, int Leads, long Events, int SnapshotRows, double Seconds, long PeakWorkingSet, double TestAuc);

/// <summary>
/// <c>scale</c>: end-to-end training time and peak memory on a sample history of 30,000 leads (about
/// 1.5 million events), and again with ten times the events for the same leads. Each training runs in a child process
/// (<c>scale-run</c>) so that one size's peak working set does not include another's.
/// </summary>
internal static class ScaleBench
{
    // Time is compared with the peer pipeline run on the same history in the same run (the curve command); a time
    // measured once on another machine is no reference.
    public const double MemoryGrowthTarget = 1.5;

    public static IReadOnlyList<ScaleResult> Run(int leads, double activity, double[] multipliers, string workFolder, Action<string> log)
    {
        var results = new List<ScaleResult>();
        foreach (var k in multipliers)
        {
            var folder = Path.Combine(workFolder, $"x{k.ToString(CultureInfo.InvariantCulture)}");
            var history = Path.Combine(folder, "history");
            var options = new SampleOptions { Leads = leads, ActivityScale = activity * k, TruthProbabilities = false };
            log($"×{k}: generating {leads:N0} leads at activity {options.ActivityScale}");
            var sample = SampleGenerator.Write(history, options);
            log($"×{k}: {sample.Events:N0} events; training in a child process");
            var child = RunChild(history, Path.Combine(folder, "model"), log);
            results.Add(new ScaleResult(options.ActivityScale, leads, sample.Events,
                child["rows"]!.GetValue<int>(), child["seconds"]!.GetValue<double>(), child["peakWorkingSet"]!.GetValue<long>(),
                child["testRocAuc"]?.GetValue<double>() ?? double.NaN));
            Directory.Delete(folder, recursive: true);
        }
        return results;
    }

    /// <summary>What the child process does: one timed training run, its figures as one JSON line.</summary>
    public static JsonObject Measure(string history, string output, double? negativeShare = null)
    {
        var watch = Stopwatch.StartNew();
        // Each step's start time on standard error, so that the table can say where the time goes.
        var summary = TrainingRun.Run(new TrainOptions { History = history, Out = output, NegativeShare = negativeShare },
            step => Console.Error.WriteLine($"{watch.Elapsed.TotalSeconds,7:F1} s  {step}"));
        var seconds = watch.Elapsed.TotalSeconds;
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        var rows = summary.Manifest.Window.Train.Rows + summary.Manifest.Window.Validation.Rows + summary.Manifest.Window.Test.Rows;
        return new JsonObject
        {
            ["seconds"] = Math.Round(seconds, 2),
            ["peakWorkingSet"] = self.PeakWorkingSet64,
            ["rows"] = rows,
            ["testRocAuc"] = summary.Metrics.Test?.RocAuc,
            ["model"] = summary.Metrics.Chosen?.Description,
            ["pointsTestRocAuc"] = summary.Metrics.PointsOnly?.Test.RocAuc,
            ["negativeShare"] = summary.Manifest.Settings.TryGetValue("negativeShare", out var share) ? share : "1",
        };
    }

    internal static JsonObject RunChild(string history, string output, Action<string> log, double? negativeShare = null)
    {
        // Started the way this process was: the apphost directly, or `dotnet LeadML.Trainer.Bench.dll`.
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        // The child's step times go straight to this process's standard error.
        if (string.Equals(Path.GetFileNameWithoutExtension(Environment.ProcessPath), "dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(typeof(ScaleBench).Assembly.Location);
        }
        foreach (var a in new[] { "scale-run", "--history", history, "--out", output }) start.ArgumentList.Add(a);
        if (negativeShare is { } share)
        {
            start.ArgumentList.Add("--negative-share");
            start.ArgumentList.Add(share.ToString(CultureInfo.InvariantCulture));
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"scale-run exited with {process.ExitCode}: {stdout}");
        }
        var line = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last();
        log($"  child: {line}");
        return JsonNode.Parse(line)!.AsObject();
    }

    public static string ToJsonLine(JsonObject o) => o.ToJsonString(new JsonSerializerOptions { WriteIndented = false });

    /// <summary>The markdown table of BENCHMARKS.md.</summary>
    public static string Markdown(IReadOnlyList<ScaleResult> results)
    {
        var s = new StringBuilder();
        s.AppendLine(CultureInfo.InvariantCulture, $"Measured at load average {CurveBench.Load()} (end of run) on {Environment.ProcessorCount} cores.");
        s.AppendLine();
        s.AppendLine("| events | leads | activity scale | snapshot rows | seconds | peak working set | vs first size (target ≤ 1.5 at 10×) | test ROC-AUC |");
        s.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|");
        var first = results.Count > 0 ? results[0].PeakWorkingSet : 1;
        foreach (var r in results)
        {
            s.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Events:N0} | {r.Leads:N0} | {r.ActivityScale:G3} | {r.SnapshotRows:N0} | {r.Seconds:F1} | {r.PeakWorkingSet / 1048576.0:N0} MiB | {(double)r.PeakWorkingSet / first:F2} | {r.TestAuc:F4} |");
        }
        return s.ToString();
    }
}
