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

    public static TrainingSummary Run(TrainOptions options, Action<string>? progress = null, TimeProvider? clock = null)
    {
        clock ??= TimeProvider.System;
        var warnings = new List<string>();
        progress?.Invoke("Reading history");
        var history = StoreHistory.ReadAny(options.History, options.Schema, options.Model);
        var snapshots = SnapshotBuilder.Build(history, new Progress<string>(s => progress?.Invoke(s)));
        CheckVolume(history, snapshots, warnings);

        var width = snapshots.Width;
        var (trainX, trainY, _) = snapshots.Select(Period.Train);
        var valid = snapshots.Select(Period.Validation);
        var test = snapshots.Select(Period.Test);
        var (validX, validY, _) = valid;
        var (testX, testY, _) = test;
        RequireBothClasses(trainY, "training");
        RequireBothClasses(validY, "validation");

        progress?.Invoke("Choosing a model on the validation period");
        var search = ModelSearch.Run(trainX, trainY, validX, validY, width, options.Search, s => progress?.Invoke($"Candidate: {s}"));
        using var model = search.Model;

        progress?.Invoke("Evaluating on the test period");
        var testMargins = model.Margins(testX, testY.Length, width);
        var testP = testMargins.Select(search.Calibration.Apply).ToArray();
        var testMetrics = PeriodMetrics.Of(testP, testY);
        if (testY.All(y => y < 0.5f) || testY.All(y => y > 0.5f))
        {
            warnings.Add("the test period has only one class, so its ROC-AUC cannot be measured");
        }

        var trainVal = snapshots.Select(Period.Train, Period.Validation);
        foreach (var w in Leakage.Find(snapshots.Spec.Features.Select(f => f.Name).ToArray(), trainVal.X, trainVal.Y, width))
        {
            warnings.Add(w.Message);
        }

        var manifest = new BundleManifest
        {
            FormatVersion = ModelBundle.CurrentFormatVersion,
            Name = Path.GetFileName(Path.GetFullPath(options.Out)),
            ModelVersion = $"{Path.GetFileName(Path.GetFullPath(options.Out))}-{clock.GetUtcNow():yyyyMMdd'T'HHmmss'Z'}",
            CreatedAt = clock.GetUtcNow().UtcDateTime,
            ModelKind = model.Kind,
            DataFingerprint = history.Fingerprint ?? Fingerprint(history),
            Window = Window(snapshots),
            FeatureCount = width,
            Engine = model.Kind == ModelKind.Trees ? $"xgboost {Booster.Version.Major}.{Booster.Version.Minor}.{Booster.Version.Build}" : "leadml logistic regression",
            Settings = model.Settings,
        };
        progress?.Invoke("Suggesting points, thresholds and grades");
        var suggestion = Suggestion.Run(snapshots, valid, test, model, manifest.ModelVersion, manifest.CreatedAt, testMetrics.RocAuc, options.Points, options.Thresholds);
        var metrics = new BundleMetrics
        {
            Test = testMetrics,
            Validation = PeriodMetrics.Of(ValidationProbabilities(search), validY),
            Chosen = new ChosenModel(search.Chosen.Description, search.Why, model.Settings, search.Calibration.Kind.ToString()),
            Candidates = search.Candidates,
            PositiveRateByPeriod = PositiveRates(snapshots),
            Drift = FeatureDrifts(snapshots, trainX, testX, width),
            Warnings = [.. warnings],
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
        var driftP = model.Margins(trainVal.X, driftRows, width).Select(search.Calibration.Apply).ToArray();
        var driftReference = DriftReference.Build([.. snapshots.Spec.Features.Select(f => f.Name)], trainVal.X, driftRows, driftP);
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
            [EvaluationSample.FileName] = Suggestion.TestSample(snapshots, test).ToBytes(),
            [ReportWriter.FileName] = System.Text.Encoding.UTF8.GetBytes(report),
            [DriftReference.FileName] = JsonSerializer.SerializeToUtf8Bytes(driftReference, BundleJson.Options),
        });
        return new TrainingSummary(bundle.Directory!, manifest, metrics, warnings);
    }

    /// <summary>The chosen candidate's validation probabilities from its training-only fit: an out-of-time estimate, as
    /// the test's is. (The refit has seen validation: its figures there would describe its fit, 0.95 where the test
    /// gets 0.83 on the sample history.) The calibration was fitted on these same margins; being monotone it leaves
    /// the ranking metrics as they are.</summary>
    private static double[] ValidationProbabilities(SearchOutcome search) => [.. search.ChosenValidationMargins.Select(search.Calibration.Apply)];

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

    private static List<PeriodRate> PositiveRates(SnapshotSet s)
    {
        var result = new List<PeriodRate>();
        foreach (var g in Enumerable.Range(0, s.Rows).GroupBy(i => (s.Cutoff[i], s.Period[i])).OrderBy(g => g.Key.Item1))
        {
            var rows = g.Count();
            var pos = g.Count(i => s.Y[i] > 0.5f);
            result.Add(new PeriodRate(DateOnly.FromDateTime(g.Key.Item1), g.Key.Item2.ToString().ToLowerInvariant(), rows, pos,
                rows == 0 ? 0 : Math.Round((double)pos / rows, 6)));
        }
        return result;
    }

    private static List<FeatureDrift> FeatureDrifts(SnapshotSet s, float[] trainX, float[] testX, int width)
    {
        var result = new List<FeatureDrift>();
        var nTrain = trainX.Length / width;
        var nTest = testX.Length / width;
        if (nTest == 0) return result;
        var reference = new float[nTrain];
        var current = new float[nTest];
        for (var j = 0; j < width; j++)
        {
            for (var i = 0; i < nTrain; i++) reference[i] = trainX[i * width + j];
            for (var i = 0; i < nTest; i++) current[i] = testX[i * width + j];
            var psi = Drift.Psi(reference, current);
            result.Add(new FeatureDrift(s.Spec.Features[j].Name, Math.Round(psi, 6), Drift.Band(psi)));
        }
        return result;
    }

    private static TrainingWindow Window(SnapshotSet s)
    {
        PeriodSummary Summary(Period p)
        {
            var rows = Enumerable.Range(0, s.Rows).Where(i => s.Period[i] == p).ToList();
            return rows.Count == 0
                ? new PeriodSummary(default, default, 0, 0)
                : new PeriodSummary(rows.Min(i => s.Cutoff[i]), rows.Max(i => s.Cutoff[i]), rows.Count, rows.Count(i => s.Y[i] > 0.5f));
        }
        return new TrainingWindow(s.Cutoffs, s.HorizonDays, Summary(Period.Train), Summary(Period.Validation), Summary(Period.Test));
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
