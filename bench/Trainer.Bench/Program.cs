using System.CommandLine;
using System.Globalization;
using LeadML.Trainer.Commands;
using LeadML.Trainer.Points;
using LeadML.Trainer.Sample;

namespace LeadML.Trainer.Bench;

/// <summary>The Trainer's benchmarks of BENCHMARKS.md, <c>quality</c>, <c>calibration</c> and <c>scale</c>. Benchmarks, not tests: they
/// take minutes and print measured figures beside their targets.
/// Run in Release from the repository root: <c>dotnet run -c Release --project bench/Trainer.Bench -- quality</c>.</summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        var root = new RootCommand("Runs a benchmark of the leadml trainer and prints its markdown table (see BENCHMARKS.md)")
        {
            Quality(),
            Calibration(),
            Recovery(),
            Repoints(),
            Scale(),
            ScaleRun(),
            Curve(),
            Learners(),
        };
        return root.Parse(args).Invoke();
    }

    private static Command Quality()
    {
        var output = new Option<string?>("--out") { Description = "Also write the table to this markdown file" };
        var schemas = new Option<string?>("--schemas") { Description = "Folder with bank-additional.json, online-shoppers.json, olist.json (default: data/schemas above the current folder)" };
        var only = new Option<string[]>("--only") { Description = "Only these data sets (sample, bank-additional, online-shoppers, olist)", AllowMultipleArgumentsPerToken = true };
        var sampleLeads = new Option<int>("--sample-leads") { Description = "Leads in the generated sample history (a learning curve: how the gap to the truth shrinks with more history)", DefaultValueFactory = _ => new SampleOptions().Leads };
        var sampleSeed = new Option<ulong>("--sample-seed") { Description = "Seed of the generated sample history", DefaultValueFactory = _ => new SampleOptions().Seed };
        var sampleSeeds = new Option<ulong[]>("--sample-seeds") { Description = "Run the sample once per seed (e.g. 42 7 1234 2026 99), each with its recovery of the true effects; overrides --sample-seed", AllowMultipleArgumentsPerToken = true };
        var noTruth = new Option<bool>("--no-truth-probabilities") { Description = "Skip the sample's Monte Carlo true probabilities (and so its ROC-AUC target): recovery of the true effects only, faster" };
        var sampleTrees = new Option<int?>("--sample-trees") { Description = "Train the sample with trees of this depth only (eta 0.05, min child weight 1: what the model search picks on the shipped sample) instead of the whole search: a faster recovery check over several seeds" };
        var command = new Command("quality", "Out-of-time test ROC-AUC on the sample history and the three public data sets, against their targets") { output, schemas, only, sampleLeads, sampleSeed, sampleSeeds, noTruth, sampleTrees };
        command.SetAction(r => CommandErrors.Run(() =>
        {
            var folder = r.GetValue(schemas) ?? FindSchemas();
            var requested = r.GetValue(only);
            return InWorkFolder("quality", r.GetValue(output), work => QualityBench.Markdown(QualityBench.Run(folder, work,
                requested is { Length: > 0 } ? requested : null, Console.Error.WriteLine,
                new SampleOptions { Leads = r.GetValue(sampleLeads), Seed = r.GetValue(sampleSeed), TruthProbabilities = !r.GetValue(noTruth) }, r.GetValue(sampleSeeds),
                r.GetValue(sampleTrees) is { } depth ? new LeadML.Trainer.Modeling.SearchOptions { TreesOnly = true, Depths = [depth], MinChildWeights = [1] } : null)));
        }));
        return command;
    }

    private static Command Recovery()
    {
        var history = new Option<string>("--history") { Description = "A sample history folder (with truth.json), as written by leadml sample", Required = true };
        var model = new Option<string>("--model") { Description = "The bundle trained on it", Required = true };
        var command = new Command("recovery", "How well a bundle's suggested points recover the true effects of the sample history it was trained on") { history, model };
        command.SetAction(r => CommandErrors.Run(() =>
        {
            var bundle = LeadML.Features.Bundles.ModelBundle.Load(r.GetValue(model)!);
            var truth = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(r.GetValue(history)!, "truth.json")))!.AsObject();
            var rules = bundle.ReadOptional<LeadML.Features.Rules.RuleSet>(LeadML.Features.Bundles.ModelBundle.SuggestedRuleSetFile)
                ?? throw new FileNotFoundException($"{bundle.Directory} has no suggested rule set");
            Console.WriteLine(TruthRecovery.Format(TruthRecovery.Evaluate(truth, rules, bundle.Spec, LeadML.Features.Bundles.EvaluationSample.Read(bundle.Directory!))));
            return CommandErrors.Ok;
        }));
        return command;
    }

    private static Command Repoints()
    {
        var history = new Option<string>("--history") { Description = "A sample history folder (with truth.json), as written by leadml sample", Required = true };
        var model = new Option<string>("--model") { Description = "The bundle trained on it (trained here, with trees of --depth, when the folder has no model)", Required = true };
        var depth = new Option<int>("--depth") { Description = "Tree depth when the bundle is trained here", DefaultValueFactory = _ => 4 };
        var threads = new Option<int>("--threads") { Description = "Training threads when the bundle is trained here", DefaultValueFactory = _ => 1 };
        var maxCriteria = new Option<int>("--max-criteria") { Description = "Most criteria in the suggested table (0: every band)", DefaultValueFactory = _ => new PointsOptions().MaxCriteria };
        var command = new Command("repoints", "Suggest a bundle's points again from its history with its own trees (no training) and measure their recovery of the true effects")
        {
            history, model, depth, threads, maxCriteria,
        };
        command.SetAction(r => CommandErrors.Run(() =>
        {
            Console.WriteLine(RepointsBench.Run(r.GetValue(history)!, r.GetValue(model)!, r.GetValue(depth), r.GetValue(threads),
                new PointsOptions { MaxCriteria = r.GetValue(maxCriteria) }, Console.Error.WriteLine));
            return CommandErrors.Ok;
        }));
        return command;
    }

    private static Command Calibration()
    {
        var output = new Option<string?>("--out") { Description = "Also write the table to this markdown file" };
        var schemas = new Option<string?>("--schemas") { Description = "Folder with the data sets' schemas (default: data/schemas above the current folder)" };
        var only = new Option<string[]>("--only") { Description = "Only these data sets (sample, bank-additional, online-shoppers, olist)", AllowMultipleArgumentsPerToken = true };
        var sampleLeads = new Option<int>("--sample-leads") { Description = "Leads in each generated sample history", DefaultValueFactory = _ => new SampleOptions().Leads };
        var origins = new Option<int>("--calibration-origins") { Description = "Rolling origins within training besides validation (0: validation only)", DefaultValueFactory = _ => new Modeling.SearchOptions().CalibrationOrigins };
        var python = new Option<string>("--python") { Description = "The python with scikit-learn", DefaultValueFactory = _ => "/usr/bin/python3" };
        var command = new Command("calibration", "Test-period calibration error on the sample (three seeds) and the three public data sets, against a scikit-learn logistic regression, and after recalibrating on the first month of test")
        {
            output, schemas, only, sampleLeads, origins, python,
        };
        command.SetAction(r => CommandErrors.Run(() =>
        {
            var folder = r.GetValue(schemas) ?? FindSchemas();
            var requested = r.GetValue(only);
            return InWorkFolder("calibration", r.GetValue(output), work => CalibrationBench.Markdown(CalibrationBench.Run(folder, work,
                requested is { Length: > 0 } ? requested : null, r.GetValue(sampleLeads), r.GetValue(origins), r.GetValue(python)!, Console.Error.WriteLine)));
        }));
        return command;
    }

    private static Command Scale()
    {
        var leads = new Option<int>("--leads") { Description = "Leads in the sample history", DefaultValueFactory = _ => 30_000 };
        var activity = new Option<double>("--activity") { Description = "Activity scale of the 1× size", DefaultValueFactory = _ => 1.0 };
        var multipliers = new Option<string>("--multipliers") { Description = "Event multipliers to run, comma-separated", DefaultValueFactory = _ => "1,10" };
        var output = new Option<string?>("--out") { Description = "Also write the table to this markdown file" };
        var command = new Command("scale", "End-to-end training time and peak memory at 1× and 10× the events for the same leads") { leads, activity, multipliers, output };
        command.SetAction(r => CommandErrors.Run(() =>
        {
            var ks = r.GetValue(multipliers)!.Split(',').Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            return InWorkFolder("scale", r.GetValue(output), work =>
                ScaleBench.Markdown(ScaleBench.Run(r.GetValue(leads), r.GetValue(activity), ks, work, Console.Error.WriteLine)));
        }));
        return command;
    }

    private static Command ScaleRun()
    {
        var history = new Option<string>("--history") { Required = true };
        var output = new Option<string>("--out") { Required = true };
        var share = new Option<double?>("--negative-share");
        var command = new Command("scale-run", "One timed training run (child process of scale and curve)") { history, output, share };
        command.Hidden = true;
        command.SetAction(r => CommandErrors.Run(() =>
        {
            Console.WriteLine(ScaleBench.ToJsonLine(ScaleBench.Measure(r.GetValue(history)!, r.GetValue(output)!, r.GetValue(share))));
            return CommandErrors.Ok;
        }));
        return command;
    }

    private static Command Learners()
    {
        var histories = new Option<string[]>("--history") { Description = "Sample histories to train on, each as NAME=FOLDER (e.g. sample=data/sample)", AllowMultipleArgumentsPerToken = true };
        var schemas = new Option<string?>("--schemas") { Description = "Folder with bank-additional.json, online-shoppers.json, olist.json (default: data/schemas above the current folder)" };
        var only = new Option<string[]>("--only") { Description = "Only these public data sets (bank-additional, online-shoppers, olist; none: --only none)", AllowMultipleArgumentsPerToken = true };
        var threads = new Option<int>("--threads") { Description = "Training threads of every learner (1 keeps XGBoost's threads from waiting on each other when other work oversubscribes the cores)", DefaultValueFactory = _ => new LeadML.Trainer.Modeling.SearchOptions().Threads };
        var output = new Option<string?>("--out") { Description = "Also write the table to this markdown file" };
        var command = new Command("learners", "How often ML.NET FastTree wins the model search, what it costs, and test ROC-AUC and time against the search before it") { histories, schemas, only, threads, output };
        command.SetAction(r => CommandErrors.Run(() =>
        {
            var list = (r.GetValue(histories) ?? []).Select(h => h.Split('=', 2)).Select(p => (p[0], Path.GetFullPath(p[1]))).ToList();
            var folder = r.GetValue(schemas) ?? FindSchemas();
            var wanted = r.GetValue(only) is { Length: > 0 } o ? o.ToHashSet(StringComparer.OrdinalIgnoreCase) : null;
            list.AddRange(QualityBench.DataSets.Where(d => wanted is null || wanted.Contains(d.Name)).Select(d => (d.Name, Path.Combine(folder, d.Schema))));
            return InWorkFolder("learners", r.GetValue(output), work => LearnersBench.Markdown(LearnersBench.Run(list, work, r.GetValue(threads), Console.Error.WriteLine), r.GetValue(threads)));
        }));
        return command;
    }

    private static Command Curve()
    {
        var sizes = new Option<string>("--sizes") { Description = "Lead counts, comma-separated", DefaultValueFactory = _ => "30000,100000,300000,1000000" };
        var histories = new Option<string?>("--histories") { Description = "Folder of sample histories named leads-N, reused when present and kept (default: generated in a temporary folder and removed)" };
        var peer = new Option<string>("--peer") { Description = "The peer pipeline script", DefaultValueFactory = _ => "../shared/tools/peer_train.py" };
        var peerMax = new Option<int>("--peer-max-leads") { Description = "Largest history the peer pipeline is run on (it holds every snapshot in pandas)", DefaultValueFactory = _ => 300_000 };
        var checkLeads = new Option<int>("--check-leads") { Description = "Size at which training is run again with sampled non-converting rows, to check that quality does not move (0: skip)", DefaultValueFactory = _ => 100_000 };
        var checkShare = new Option<double>("--check-share") { Description = "Share of non-converting rows kept in that check", DefaultValueFactory = _ => 0.25 };
        var output = new Option<string?>("--out") { Description = "Also write the table to this markdown file" };
        var command = new Command("curve", "Training time, peak memory and test ROC-AUC from 30 k to 1 M leads, beside the peer pipeline")
        {
            sizes, histories, peer, peerMax, checkLeads, checkShare, output,
        };
        command.SetAction(r => CommandErrors.Run(() =>
        {
            var ns = r.GetValue(sizes)!.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            var options = new CurveOptions(ns, r.GetValue(histories), Path.GetFullPath(r.GetValue(peer)!), r.GetValue(peerMax), r.GetValue(checkLeads), r.GetValue(checkShare));
            return InWorkFolder("curve", r.GetValue(output), work => CurveBench.Markdown(CurveBench.Run(options, work, Console.Error.WriteLine), options));
        }));
        return command;
    }

    /// <summary>Runs a benchmark in a temporary work folder, removed afterwards, and prints the markdown table it
    /// returns (also written to <paramref name="path"/> when given).</summary>
    private static int InWorkFolder(string name, string? path, Func<string, string> run)
    {
        var work = Path.Combine(Path.GetTempPath(), $"leadml-bench-{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        try
        {
            var markdown = run(work);
            Console.WriteLine(markdown);
            if (path is not null) File.WriteAllText(path, markdown);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
        return CommandErrors.Ok;
    }

    /// <summary>data/schemas in the current folder or the nearest one above it (the repository root).</summary>
    private static string FindSchemas()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "data", "schemas");
            if (File.Exists(Path.Combine(candidate, QualityBench.DataSets[0].Schema))) return candidate;
        }
        throw new DirectoryNotFoundException("data/schemas not found above the current folder; run from the repository or pass --schemas");
    }
}
