using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using LeadML.Features.Bundles;
using LeadML.Trainer.Evaluation;
using LeadML.Trainer.Modeling;
using LeadML.Trainer.Points;
using LeadML.Features.Reporting;
using LeadML.Features.Store;
using LeadML.Trainer.Training;
using Spectre.Console;

namespace LeadML.Trainer.Commands;

/// <summary><c>leadml train --history PATH [--schema FILE] --out models/NAME [--json] [--fail-on-leak]</c>.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var history = new Option<string>("--history")
        {
            Description = "History folder or leads file, or the Api's lead store: sqlite:PATH or \"postgres:CONNECTION\"", Required = true,
        };
        var model = new Option<string?>("--model") { Description = "With a store history: the scoring model whose leads to train on" };
        var schema = new Option<string?>("--schema") { Description = "Schema file (JSON); default: leadml.json in the history folder, else default names" };
        var output = new Option<string>("--out") { Description = "Bundle folder to write, e.g. models/sample", Required = true };
        var json = new Option<bool>("--json") { Description = "Print the summary as JSON on standard output (progress goes to standard error)" };
        var linearOnly = new Option<bool>("--linear-only") { Description = "Only try the logistic regression" };
        var treesOnly = new Option<bool>("--trees-only") { Description = "Only try gradient-boosted trees" };
        var fastTree = new Option<bool>("--fasttree") { Description = "Also try ML.NET FastTree's trees (8 and 16 leaves) in the model search, chosen by the same validation rule" };
        var precision = new Option<double?>("--target-precision") { Description = "Sales-ready threshold: the lowest score whose leads convert at least at this rate (e.g. 0.3)" };
        var capacity = new Option<double?>("--sales-capacity") { Description = "Sales-ready threshold: the lowest score that sends at most this many leads a month to sales" };
        var maxCriteria = new Option<int>("--max-criteria")
        {
            Description = "Most criteria in the suggested points table (0: every band, as many as the model tells apart)",
            DefaultValueFactory = _ => new PointsOptions().MaxCriteria,
        };
        maxCriteria.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 0) r.AddError("--max-criteria must be 0 (every band) or more");
        });
        var failOnLeak = new Option<bool>("--fail-on-leak") { Description = "Exit with 1 and write no bundle when the leak guard finds a possible leak (for automated retraining)" };
        var negativeShare = new Option<double?>("--negative-share")
        {
            Description = "Share of non-converting training rows the models are fitted on, each weighted for those left out (every conversion is kept; default: all up to 250,000 training rows, about that many above)",
        };
        negativeShare.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double?>() is { } v && (v <= 0 || v > 1)) r.AddError($"--negative-share must be more than 0 and at most 1 (1 keeps every row), not {v}");
        });
        var pointsSampleRows = new Option<int>("--points-sample-rows")
        {
            Description = "Most training and validation rows the compact points table is chosen on: above it every conversion and a weighted share of the others (0: every row)",
            DefaultValueFactory = _ => new PointsOptions().SelectionRows,
        };
        pointsSampleRows.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 0) r.AddError("--points-sample-rows must be 0 (every row) or more");
        });
        var origins = new Option<int>("--calibration-origins")
        {
            Description = "Also fit the calibration on this many earlier stretches of training, each predicted by the chosen settings fitted on what came before it (0: validation only)",
            DefaultValueFactory = _ => new SearchOptions().CalibrationOrigins,
        };
        origins.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 0 or > 12) r.AddError("--calibration-origins must be 0 to 12");
        });
        var threads = new Option<int>("--threads") { Description = "Training threads: the model candidates are fitted this many at a time, one thread each", DefaultValueFactory = _ => Math.Max(1, Environment.ProcessorCount) };
        var command = new Command("train", "Train a model on history, evaluate it out of time, and write a bundle")
        {
            history, schema, output, json, linearOnly, treesOnly, fastTree, precision, capacity, threads, model, maxCriteria, failOnLeak, negativeShare, origins, pointsSampleRows,
        };
        command.SetAction(r => CommandErrors.Run(() =>
        {
            var asJson = r.GetValue(json);
            var console = CommandErrors.Human(asJson);
            // A store is read directly (its schema keeps --schema's settings) and trained on like any history.
            var options = new TrainOptions
            {
                History = r.GetValue(history)!,
                Schema = r.GetValue(schema),
                Model = r.GetValue(model),
                Out = r.GetValue(output)!,
                Search = new SearchOptions
                {
                    LinearOnly = r.GetValue(linearOnly), TreesOnly = r.GetValue(treesOnly), FastTreeLeaves = r.GetValue(fastTree) ? SearchOptions.FastTreeIncludedLeaves : [], Threads = r.GetValue(threads), CalibrationOrigins = r.GetValue(origins),
                },
                Thresholds = new ThresholdOptions { TargetPrecision = r.GetValue(precision), CapacityPerMonth = r.GetValue(capacity) },
                FailOnLeak = r.GetValue(failOnLeak),
                NegativeShare = r.GetValue(negativeShare),
                Points = new PointsOptions { MaxCriteria = r.GetValue(maxCriteria), SelectionRows = r.GetValue(pointsSampleRows) },
            };
            TrainingSummary? summary = null;
            var started = DateTime.UtcNow;
            if (console.Profile.Capabilities.Interactive)
            {
                // A progress bar over the run's steps in a terminal; plain timed lines in logs and pipes.
                console.Progress().AutoClear(false).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new ElapsedTimeColumn())
                    .Start(ctx =>
                    {
                        var task = ctx.AddTask("Training", maxValue: ExpectedSteps(options));
                        summary = TrainingRun.Run(options, step =>
                        {
                            task.Description = Markup.Escape(step.Length > 60 ? step[..60] + "…" : step);
                            task.Increment(1);
                        });
                        task.Value = task.MaxValue;
                    });
            }
            else
            {
                summary = TrainingRun.Run(options, step => console.MarkupLine($"[grey]{DateTime.UtcNow - started:mm\\:ss}[/] {Markup.Escape(step)}"));
            }
            if (asJson)
            {
                Console.WriteLine(SummaryJson(summary!).ToJsonString(BundleJson.Options));
            }
            else
            {
                WriteSummary(console, summary!);
            }
            return CommandErrors.Ok;
        }));
        return command;
    }

    /// <summary>Steps a run reports: reading (3), choice (1), one per candidate, one per calibration origin, refit, test, points, writing.</summary>
    private static int ExpectedSteps(TrainOptions o)
    {
        var s = o.Search;
        var xgboost = s.FullGrid || s.Depths.Length == 0
            ? s.Depths.Length * s.LearningRates.Length * s.MinChildWeights.Length
            : s.Depths.Length * s.LearningRates.Length + s.MinChildWeights.Length - 1;
        var trees = s.LinearOnly ? 0 : xgboost + s.FastTreeLeaves.Length;
        return 4 + (o.Search.TreesOnly ? 0 : 1) + trees + o.Search.CalibrationOrigins + 4;
    }

    private static JsonObject SummaryJson(TrainingSummary s) => new()
    {
        ["bundle"] = s.BundleDirectory,
        ["modelVersion"] = s.Manifest.ModelVersion,
        ["modelKind"] = s.Manifest.ModelKind.ToString(),
        ["metrics"] = s.Metrics.ToJsonObject(),
    };

    /// <summary>What the calibration was fitted on, in one line: the out-of-time predictions of each origin.</summary>
    internal static string CalibrationText(CalibrationFit fit)
    {
        var rows = fit.Origins.Sum(o => o.Rows);
        var origins = string.Join("; ", fit.Origins.Select(o => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{o.Label}: {o.Rows:N0} rows, {o.Rate:0.0%} converted")));
        return fit.Method == "recentOutcomes"
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"refitted on {rows:N0} recent outcomes ({origins})")
            : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"fitted on {rows:N0} out-of-time predictions, each stretch predicted by a model fitted only on what came before it ({origins})");
    }

    internal static void WriteSummary(IAnsiConsole console, TrainingSummary s)
    {
        var m = s.Metrics;
        foreach (var line in Leakage.Lines(m.Leaks))
        {
            console.MarkupLine(line.StartsWith("note", StringComparison.Ordinal) ? $"[grey]{Markup.Escape(line)}[/]" : $"[red bold]{Markup.Escape(line)}[/]");
        }
        if (ReportWriter.HeadlineText(m) is { } headline)
        {
            console.MarkupLine($"[bold]{Markup.Escape(headline)}[/] (test period)");
        }
        var table = new Table().Border(TableBorder.Rounded).Title($"[bold]{Markup.Escape(s.Manifest.ModelVersion)}[/]");
        table.AddColumn("");
        table.AddColumn(new TableColumn("validation").RightAligned());
        table.AddColumn(new TableColumn("test (out of time)").RightAligned());
        void Row(string label, Func<PeriodMetrics, double?> value, string format = "0.0000") =>
            table.AddRow(label, ReportWriter.F(m.Validation is { } v ? value(v) : null, format), ReportWriter.F(m.Test is { } t ? value(t) : null, format));
        Row("ROC-AUC", p => p.RocAuc);
        Row("PR-AUC", p => p.PrAuc);
        Row("log-loss", p => p.LogLoss);
        Row("Brier", p => p.Brier);
        Row("calibration error (ECE)", p => p.Ece);
        Row("rows", p => p.Rows, "N0");
        Row("conversions", p => p.Positives, "N0");
        console.Write(table);
        console.MarkupLine($"Model: [bold]{Markup.Escape(m.Chosen?.Description ?? "")}[/] — {Markup.Escape(m.Chosen?.Why ?? "")}");
        console.MarkupLine($"Calibration: {Markup.Escape(m.Chosen?.Calibration ?? "")}{(m.CalibrationFit is { } fit ? $" — {Markup.Escape(CalibrationText(fit))}" : "")}");
        if (m.RateTrend is { Moving: false } steady)
        {
            console.MarkupLine($"[grey]{Markup.Escape(char.ToUpperInvariant(steady.Message[0]) + steady.Message[1..])}[/]");
        }
        if (m.PointsOnly is { } points)
        {
            console.MarkupLine($"Suggested points: {points.Criteria} criteria{(points.EveryBand is { } all ? $" (of {all} with every band; --max-criteria 0 keeps them all)" : "")}; points-only test ROC-AUC [bold]{ReportWriter.F(points.Test.RocAuc, "0.0000")}[/] ({ReportWriter.F(points.Test.Ratio, "0.0%")} of the model's)");
            console.MarkupLine($"Sales-ready from {m.Thresholds?.SalesReady} points ({Markup.Escape(m.Thresholds?.Why ?? "")})");
        }
        foreach (var w in s.Warnings)
        {
            console.MarkupLine($"[yellow]warning:[/] {Markup.Escape(w)}");
        }
        console.MarkupLine($"Bundle written to [bold]{Markup.Escape(s.BundleDirectory)}[/]; open {Markup.Escape(Path.Combine(s.BundleDirectory, ReportWriter.FileName))} for the report");
    }
}
