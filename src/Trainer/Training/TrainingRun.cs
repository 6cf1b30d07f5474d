using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using LeadML.Features.Bundles;
using LeadML.Features.Engine;
using LeadML.Features.History;
using LeadML.Features.Monitoring;
using LeadML.Features.Evaluation;
using LeadML.Trainer.Evaluation;
using LeadML.Trainer.Modeling;
using LeadML.Trainer.Points;
using LeadML.Features.Reporting;
using LeadML.Features.Snapshots;
using LeadML.Features.Store;
using LeadML.Features.Featurization;

namespace LeadML.Trainer.Training;

/// <summary>What <c>leadml train</c> was asked to do.</summary>
internal sealed record TrainOptions
{
    public required string History { get; init; }
    public string? Schema { get; init; }
    /// <summary>With a store history: the scoring model whose leads to train on.</summary>
    public string? Model { get; init; }
    public required string Out { get; init; }
    public SearchOptions Search { get; init; } = new();
    public PointsOptions Points { get; init; } = new();
    public ThresholdOptions Thresholds { get; init; } = new();
    /// <summary>Stop with an error, before writing a bundle, when the leak guard finds a possible leak.</summary>
    public bool FailOnLeak { get; init; }
    /// <summary>Share of non-converting training rows the models are fitted on (weighted for the rest); null chooses:
    /// every row up to <see cref="RowSampling.DefaultMaxRows"/> training rows, about that many above.</summary>
    public double? NegativeShare { get; init; }
}

/// <summary>The result of a training run: the bundle written and the figures a user sees first.</summary>
internal sealed record TrainingSummary(string BundleDirectory, BundleManifest Manifest, BundleMetrics Metrics, IReadOnlyList<string> Warnings);

/// <summary>
/// The training pipeline: read the history, build point-in-time snapshots, choose and calibrate a model on the
/// validation period, refit on training + validation, evaluate once on the test period, and write the bundle.
/// </summary>
internal static class TrainingRun
{
    /// <summary>Below these the model trains but the user is warned that its figures are unreliable.</summary>
    public const int FewLeads = 1000;
    public const int FewConversions = 100;

    /// <summary>Rows of the uniform sample that describes distributions when the fits use sampled rows.</summary>
    private const int DescribingRows = 500_000;

    public static TrainingSummary Run(TrainOptions options, Action<string>? progress = null, TimeProvider? clock = null)
    {
        clock ??= TimeProvider.System;
        var warnings = new List<string>();
        progress?.Invoke("Reading history");
        var history = StoreHistory.ReadAny(options.History, options.Schema, options.Model);
        var snapshots = SnapshotBuilder.Build(history, new Progress<string>(s => progress?.Invoke(s)));
        CheckVolume(history, snapshots, warnings);
        // The point-in-time statistics the rows were built from are garbage now (1.9 GB at a million leads), but a
        // gen-2 collection may not come before the period copies and XGBoost's native matrices are made: at a million
        // leads the process held 7 GB after the snapshots without it.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);

        var width = snapshots.Width;
        var sample = FitRows(snapshots, options);
        var (trainX, trainY, _) = snapshots.Copy(sample.Rows);
        var valid = snapshots.View(Period.Validation);
        var test = snapshots.View(Period.Test);
        var (validX, validY, _) = valid;
        var (testX, testY, _) = test;
        RequireBothClasses(trainY, "training");
        RequireBothClasses(validY, "validation");

        // The leak guard, before any model: columns and values on the training leads, post-conversion event kinds.
        var trainingLeads = Enumerable.Range(0, snapshots.Rows).Where(i => snapshots.Period[i] == Period.Train).Select(i => snapshots.Lead[i]).Distinct().Order().ToArray();
        var leaks = new List<LeakFinding>(Leakage.Attributes(history.Leads, history.Kind, trainingLeads, "training leads"));
        FailOnLeaks(options, leaks);
        leaks.AddRange(Leakage.Events(snapshots.PostConversionEvents));

        progress?.Invoke("Choosing a model on the validation period");
        var (trainRows, validRows) = (sample.Rows, valid.Rows);
        var search = ModelSearch.Run(trainX, trainY, validX, validY, width, options.Search, s => progress?.Invoke($"Candidate: {s}"),
            Layout(snapshots, history.Kind, trainRows, validRows), sample.Weights, RefitValidation(snapshots, sample, options));
        using var model = search.Model;
        if (Leakage.Validation(search.Chosen.ValidationRocAuc, validY.Length) is { } tooGood)
        {
            leaks.Add(tooGood);
            FailOnLeaks(options, leaks);
        }

        progress?.Invoke("Evaluating on the test period");
        var testMargins = model.Margins(testX.Span, testY.Length, width);
        var testP = testMargins.Select(search.Calibration.Apply).ToArray();
        var testMetrics = PeriodMetrics.Of(testP, testY);
        if (testY.All(y => y < 0.5f) || testY.All(y => y > 0.5f))
        {
            warnings.Add("the test period has only one class, so its ROC-AUC cannot be measured");
        }

        // What describes distributions (the compact table's fit, drift) reads every row, or a uniform sample of them
        // when the models were fitted on sampled rows: those lean towards conversions.
        var trainVal = sample.Sampled
            ? Described(snapshots.Copy(RowSampling.Uniform(snapshots.RowsOf(Period.Train, Period.Validation), DescribingRows)))
            : snapshots.View(Period.Train, Period.Validation);
        ReadOnlyMemory<float> driftTrainX = sample.Sampled ? snapshots.Copy(RowSampling.Uniform(snapshots.RowsOf(Period.Train), DescribingRows)).X : trainX;
        var rates = PositiveRates(snapshots, history.Kind, history.Report.Time);
        var trend = Trend(snapshots, history, rates);
        if (trend is { Moving: true }) warnings.Add(trend.Message);

        var manifest = new BundleManifest
        {
            FormatVersion = ModelBundle.CurrentFormatVersion,
            Name = Path.GetFileName(Path.GetFullPath(options.Out)),
            ModelVersion = $"{Path.GetFileName(Path.GetFullPath(options.Out))}-{clock.GetUtcNow():yyyyMMdd'T'HHmmss'Z'}",
            CreatedAt = clock.GetUtcNow().UtcDateTime,
            ModelKind = model.Kind,
            DataFingerprint = history.Fingerprint ?? Fingerprint(history),
            Window = Window(snapshots, history.Kind, history.Report.Time),
            FeatureCount = width,
            Engine = model.Engine,
            Settings = sample.Sampled
                ? new Dictionary<string, string>(model.Settings) { ["negativeShare"] = sample.NegativeShare.ToString("0.####", CultureInfo.InvariantCulture) }
                : model.Settings,
        };
        progress?.Invoke("Suggesting points, thresholds and grades");
        var suggestion = Suggestion.Run(snapshots, valid, test, model, manifest.ModelVersion, manifest.CreatedAt, testMetrics.RocAuc, options.Points, options.Thresholds,
            (trainVal.X, trainVal.Y, trainVal.Rows));
        var metrics = new BundleMetrics
        {
            Test = testMetrics,
            Validation = PeriodMetrics.Of(ValidationProbabilities(search), validY),
            Chosen = new ChosenModel(model.Description, ChoiceAndRefit(search, model, trainY.Length, validY.Length) + (sample.Sampled ? "; " + sample.Describe() : ""), model.Settings, search.Calibration.Kind.ToString()),
            Candidates = search.Candidates,
            Time = history.Report.Time,
            PositiveRateByPeriod = rates,
            RateTrend = trend,
            CalibrationFit = CalibrationFit(search, snapshots, history.Kind, history.Report.Time, trainRows, validRows),
            Drift = Drift.Compare([.. snapshots.Spec.Features.Select(f => f.Name)], driftTrainX.Span, testX.Span, width, CalendarFeatures(history.Schema, snapshots.Spec)),
            Warnings = [.. warnings],
            Leaks = [.. leaks.OrderBy(l => l.Handled)],
            PointsOnly = suggestion.PointsOnly,
            Thresholds = suggestion.Thresholds,
            Grades = suggestion.Grades,
            Matrix = suggestion.Matrix,
            Profile = suggestion.Profile,
            Importance = suggestion.Importance,
        };
        var report = ReportWriter.Render(manifest, metrics, suggestion.Rules);
        // The training-time distributions the Api compares live traffic with.
        var driftRows = trainVal.Y.Length;
        var driftP = model.Margins(trainVal.X.Span, driftRows, width).Select(search.Calibration.Apply).ToArray();
        var driftReference = DriftReference.Build([.. snapshots.Spec.Features.Select(f => f.Name)], trainVal.X.Span, driftRows, driftP);
        var bundle = new ModelBundle
        {
            Manifest = manifest,
            Spec = snapshots.Spec,
            Trees = model.Booster?.SaveUbj(),
            Linear = model.Linear,
            Calibration = search.Calibration,
            Metrics = metrics,
        };
        progress?.Invoke("Writing the bundle");
        bundle.Save(options.Out, new Dictionary<string, byte[]>
        {
            [ModelBundle.SuggestedRuleSetFile] = JsonSerializer.SerializeToUtf8Bytes(suggestion.Rules, BundleJson.Options),
            [ReportWriter.FileName] = System.Text.Encoding.UTF8.GetBytes(report),
            [DriftReference.FileName] = JsonSerializer.SerializeToUtf8Bytes(driftReference, BundleJson.Options),
        }, new Dictionary<string, Action<Stream>> { [EvaluationSample.FileName] = Suggestion.TestSample(snapshots, test) });
        return new TrainingSummary(bundle.Directory!, manifest, metrics, warnings);
    }

    private static (ReadOnlyMemory<float> X, float[] Y, int[] Rows) Described((float[] X, float[] Y, int[] Rows) rows) => (rows.X, rows.Y, rows.Rows);

    /// <summary>The chosen candidate's validation probabilities from its training-only fit: an out-of-time estimate, as
    /// the test's is. (The refit has seen validation: its figures there would describe its fit, 0.95 where the test
    /// gets 0.83 on the sample history.) The calibration was fitted on these margins and the earlier origins'; being
    /// monotone it leaves the ranking metrics as they are.</summary>
    private static double[] ValidationProbabilities(SearchOutcome search) => [.. search.ChosenValidationMargins.Select(search.Calibration.Apply)];

    /// <summary>Why the candidate was chosen, and, for trees, why the final model has more rounds than the candidate:
    /// early stopping counts rounds on the training period alone, and the refit on training + validation scales them
    /// with its rows, so the candidates table and the manifest's settings differ on purpose.</summary>
    private static string ChoiceAndRefit(SearchOutcome search, TrainedModel model, int trainRows, int validRows)
    {
        if (model.Kind != ModelKind.Trees
            || !search.Chosen.Settings.TryGetValue("rounds", out var found) || !model.Settings.TryGetValue("rounds", out var used) || found == used)
        {
            return search.Why;
        }
        return $"{search.Why}; early stopping on the training period alone found {found} rounds, and the final model, refit on training + validation "
            + $"({trainRows + validRows:N0} rows, {(double)(trainRows + validRows) / trainRows:0.0} × as many), uses {used}";
    }

    /// <summary>Each training row's time key for the rolling origins: its cut-off's index (event histories: rows of a
    /// cut-off stay together) or its position (single tables); validation spans its cut-offs or rows.</summary>
    private static OriginLayout Layout(SnapshotSet s, HistoryKind kind, int[] trainRows, int[] validRows)
    {
        if (kind == HistoryKind.SingleTable) return new OriginLayout([.. Enumerable.Range(0, trainRows.Length)], validRows.Length);
        var index = s.Cutoffs.Select((c, j) => (c, j)).ToDictionary(p => p.c, p => p.j);
        return new OriginLayout([.. trainRows.Select(i => index[s.Cutoff[i]])], validRows.Select(i => s.Cutoff[i]).Distinct().Count());
    }

    /// <summary>What the calibration was fitted on, each origin in words as the rates per period name their stretch.</summary>
    private static CalibrationFit CalibrationFit(SearchOutcome search, SnapshotSet s, HistoryKind kind, HistoryTime time, int[] trainRows, int[] validRows)
    {
        var origins = search.Origins.Select(o =>
        {
            var rows = o.Start < 0 ? validRows : trainRows[o.Start..o.End];
            var label = o.Start < 0 ? $"validation, {Stretch(s, kind, time, rows)}" : $"training, {Stretch(s, kind, time, rows)}";
            return new CalibrationOrigin(label, o.Y.Length, o.Y.Count(v => v > 0.5f), o.FitRows);
        }).ToList();
        return new CalibrationFit("rollingOrigin", search.Calibration.Kind.ToString(), search.CalibrationChoice.Why, origins);
    }

    /// <summary>A stretch of snapshot rows in words: cut-offs, months, dates or row ranges.</summary>
    private static string Stretch(SnapshotSet s, HistoryKind kind, HistoryTime time, int[] rows)
    {
        if (rows.Length == 0) return "no rows";
        DateTime first = s.Cutoff[rows[0]], last = s.Cutoff[rows[^1]];
        string Day(DateTime t) => t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        string Span(string a, string b) => a == b ? a : $"{a} – {b}";
        if (kind != HistoryKind.SingleTable) return first == last ? $"cut-off {Day(first)}" : $"cut-offs {Day(first)} – {Day(last)}";
        return time switch
        {
            HistoryTime.RowOrder => RowRange(rows[0] + 1, rows[^1] + 1),
            HistoryTime.MonthNames => Span(MonthName(first), MonthName(last)),
            _ => Span(Day(first), Day(last)),
        };
    }

    /// <summary>The training rows the models are fitted on: all of them, or every conversion and a weighted share of
    /// the rest (<see cref="TrainOptions.NegativeShare"/>).</summary>
    private static RowSample FitRows(SnapshotSet s, TrainOptions options)
    {
        var rows = s.RowsOf(Period.Train);
        var positives = rows.Count(i => s.Y[i] > 0.5f);
        var share = options.NegativeShare ?? RowSampling.AutoShare(positives, rows.Length - positives, RowSampling.DefaultMaxRows);
        return RowSampling.Draw(s.Y, rows, share, options.Search.Seed);
    }

    /// <summary>With sampled training rows, the validation rows the refit adds are sampled alike (every conversion,
    /// the same weighted share of the rest); null otherwise.</summary>
    private static (float[] X, float[] Y, float[] W)? RefitValidation(SnapshotSet s, RowSample sample, TrainOptions options)
    {
        if (!sample.Sampled) return null;
        var rows = RowSampling.Draw(s.Y, s.RowsOf(Period.Validation), sample.NegativeShare, options.Search.Seed + 1);
        var (x, y, _) = s.Copy(rows.Rows);
        return (x, y, rows.Weights!);
    }

    private static void FailOnLeaks(TrainOptions options, List<LeakFinding> leaks)
    {
        var unhandled = leaks.Where(l => !l.Handled).ToList();
        if (options.FailOnLeak && unhandled.Count > 0)
        {
            // Exit code 1 (bad input), as the history is what needs fixing.
            throw new InvalidDataException(
                $"the leak guard found {unhandled.Count} possible leak{(unhandled.Count == 1 ? "" : "s")} and --fail-on-leak is set; no bundle was written:"
                + string.Concat(unhandled.Select(f => Environment.NewLine + "  " + f.Message)));
        }
    }

    private static void CheckVolume(LeadHistory history, SnapshotSet snapshots, List<string> warnings)
    {
        var leads = history.Leads.Leads.Count;
        var positives = snapshots.Y.Count(y => y > 0.5f);
        if (positives == 0)
        {
            throw new InvalidDataException(
                "no lead converted within the horizon in any snapshot: there is nothing to learn. Check the converted-at/outcome column mapping in the schema");
        }
        var converted = history.Kind == HistoryKind.SingleTable
            ? history.Leads.Leads.Count(l => l.Outcome == true)
            : history.Leads.Leads.Count(l => l.ConvertedAt is not null);
        if (leads < FewLeads || converted < FewConversions)
        {
            warnings.Add($"little history: {leads:N0} leads and {converted:N0} conversions (about {FewLeads:N0} leads and {FewConversions} conversions are needed for reliable figures); the model was trained anyway");
        }
    }

    private static void RequireBothClasses(float[] y, string period)
    {
        if (y.Length == 0)
        {
            throw new InvalidDataException($"the {period} period has no rows; adjust the split in the schema");
        }
        if (!y.Any(v => v > 0.5f))
        {
            throw new InvalidDataException($"the {period} period has no conversions, so candidates cannot be compared there; adjust the split or the window in the schema");
        }
    }

    /// <summary>The rate trend, like with like: in event histories a lead stays in the snapshots until it converts, so
    /// later cut-offs hold older leads, who convert less, and the rate of all snapshots falls with the calendar alone
    /// (6.7 % to 5.0 % on the stationary sample). The trend is therefore taken on the leads created within the horizon
    /// before each cut-off; single tables have one row per lead and are taken whole.</summary>
    private static RateTrend? Trend(SnapshotSet s, LeadHistory history, List<PeriodRate> rates)
    {
        if (history.Kind == HistoryKind.SingleTable) return RateTrends.Measure(rates);
        var horizon = TimeSpan.FromDays(s.HorizonDays);
        var leads = history.Leads.Leads;
        var young = Enumerable.Range(0, s.Rows).Where(i => s.Cutoff[i] - leads[s.Lead[i]].CreatedAt < horizon)
            .GroupBy(i => s.Cutoff[i]).OrderBy(g => g.Key)
            .Select(g =>
            {
                var rows = g.Count();
                var positives = g.Count(i => s.Y[i] > 0.5f);
                return new PeriodRate(DateOnly.FromDateTime(g.Key), s.Period[g.First()].ToString().ToLowerInvariant(), rows, positives, Math.Round((double)positives / rows, 6));
            }).ToList();
        return RateTrends.Measure(young, $"leads created in the {s.HorizonDays} days before a cut-off");
    }

    /// <summary>Groups of single-table rows in row order, so that the series stays small whatever the rows.</summary>
    private const int RowGroups = 20;

    /// <summary>The conversion rate per cut-off (event histories), per month (single tables with dates or month names),
    /// or per group of consecutive rows (row order), each within one period: never one entry per row.</summary>
    private static List<PeriodRate> PositiveRates(SnapshotSet s, HistoryKind kind, HistoryTime time)
    {
        var result = new List<PeriodRate>();
        PeriodRate Rate(IReadOnlyList<int> rows, DateOnly? cutoff, string? label)
        {
            var pos = rows.Count(i => s.Y[i] > 0.5f);
            return new PeriodRate(cutoff, s.Period[rows[0]].ToString().ToLowerInvariant(), rows.Count, pos, rows.Count == 0 ? 0 : Math.Round((double)pos / rows.Count, 6))
            {
                Label = label,
            };
        }
        if (kind != HistoryKind.SingleTable)
        {
            foreach (var g in Enumerable.Range(0, s.Rows).GroupBy(i => (s.Cutoff[i], s.Period[i])).OrderBy(g => g.Key.Item1))
            {
                result.Add(Rate([.. g], DateOnly.FromDateTime(g.Key.Item1), null));
            }
            return result;
        }
        // Single-table rows are in time order, periods contiguous.
        if (time == HistoryTime.RowOrder)
        {
            var size = Math.Max(1, (int)Math.Ceiling(s.Rows / (double)RowGroups));
            var start = 0;
            while (start < s.Rows)
            {
                var end = Math.Min(s.Rows, start + size);
                for (var k = start + 1; k < end; k++)
                {
                    if (s.Period[k] != s.Period[start]) { end = k; break; }
                }
                result.Add(Rate([.. Enumerable.Range(start, end - start)], null, RowRange(start + 1, end)));
                start = end;
            }
            return result;
        }
        foreach (var g in Enumerable.Range(0, s.Rows).GroupBy(i => (s.Cutoff[i].Year, s.Cutoff[i].Month, s.Period[i])))
        {
            var first = s.Cutoff[g.First()];
            result.Add(time == HistoryTime.MonthNames
                ? Rate([.. g], null, MonthName(first))
                : Rate([.. g], DateOnly.FromDateTime(new DateTime(first.Year, first.Month, 1)), first.ToString("yyyy-MM", CultureInfo.InvariantCulture)));
        }
        return result;
    }

    private static string RowRange(int first, int last) => string.Create(CultureInfo.InvariantCulture, $"rows {first:N0}–{last:N0}");

    /// <summary>A synthesised month start in words: its month name and which year of the history (the years themselves
    /// are not known).</summary>
    internal static string MonthName(DateTime synthetic) =>
        $"{synthetic.ToString("MMM", CultureInfo.InvariantCulture)}, year {synthetic.Year - HistoryReader.SyntheticStart.Year + 1}";

    /// <summary>Features whose shift between training and test the calendar makes, with why: days since a date column,
    /// and the levels of the column that orders rows in time when it is also an attribute (the months of a call).</summary>
    private static Dictionary<string, string> CalendarFeatures(HistorySchema schema, FeatureSpec spec)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var a in spec.Attributes.Where(a => a.Type == ColumnType.Date))
        {
            result[FeatureNames.Attribute(a.Column)] = $"days since {a.Column} grow with later cut-offs";
        }
        if (schema.Order is { AlsoAttribute: true, Column: { } order })
        {
            foreach (var f in spec.Features.Where(f => f.Name == FeatureNames.Attribute(order) || f.Name.StartsWith(FeatureNames.Category(order, ""), StringComparison.Ordinal)))
            {
                result[f.Name] = $"{order} orders the rows in time: test rows are later {order}s than training rows";
            }
        }
        return result;
    }

    private static TrainingWindow Window(SnapshotSet s, HistoryKind kind, HistoryTime time)
    {
        PeriodSummary Summary(Period p)
        {
            var rows = Enumerable.Range(0, s.Rows).Where(i => s.Period[i] == p).ToList();
            if (rows.Count == 0) return new PeriodSummary(default, default, 0, 0);
            var summary = new PeriodSummary(rows.Min(i => s.Cutoff[i]), rows.Max(i => s.Cutoff[i]), rows.Count, rows.Count(i => s.Y[i] > 0.5f));
            // Single-table rows are in time order: the period's rows are a range.
            return kind == HistoryKind.SingleTable ? summary with { FirstRow = rows[0] + 1, LastRow = rows[^1] + 1 } : summary;
        }
        return new TrainingWindow(s.Cutoffs, s.HorizonDays, Summary(Period.Train), Summary(Period.Validation), Summary(Period.Test))
        {
            Time = kind == HistoryKind.SingleTable ? time : HistoryTime.Dates,
        };
    }

    /// <summary>SHA-256 over the history files' bytes (leads, events, schema), first 16 bytes in hex.</summary>
    private static string Fingerprint(LeadHistory history)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in history.Files)
        {
            using var stream = File.OpenRead(file);
            var buffer = new byte[1 << 16];
            int read;
            while ((read = stream.Read(buffer)) > 0) sha.AppendData(buffer, 0, read);
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset())[..32];
    }
}
