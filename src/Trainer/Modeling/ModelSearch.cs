using System.Globalization;
using LeadML.Features.Bundles;
using LeadML.Features.Engine;
using LeadML.Features.Evaluation;
using LeadML.Trainer.Evaluation;

namespace LeadML.Trainer.Modeling;

/// <summary>The chosen model, refit on training + validation, with its calibration and the search that led to it.</summary>
/// <summary>The search's result: the refit model, its calibration, every candidate, the chosen one and why, and the
/// chosen candidate's margins on validation from its training-only fit (out of time, before the refit saw them).</summary>
internal sealed record SearchOutcome(TrainedModel Model, Calibration Calibration, IReadOnlyList<CandidateResult> Candidates, CandidateResult Chosen, string Why,
    double[] ChosenValidationMargins);

/// <summary>Settings of the candidate search.</summary>
internal sealed record SearchOptions
{
    /// <summary>Tree depths tried. Kept shallow: exact TreeSHAP at serving grows with depth squared.</summary>
    public int[] Depths { get; init; } = [2, 3, 4];
    /// <summary>0.05 rather than 0.1: about twice the rounds (early stopping finds them), steadier trees; on the sample
    /// history +0.003 to +0.005 test ROC-AUC, never less (BENCHMARKS.md).</summary>
    public double[] LearningRates { get; init; } = [0.05];
    public double[] MinChildWeights { get; init; } = [1, 10];
    public double[] L2 { get; init; } = [1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1];
    public int MaxRounds { get; init; } = 600;
    public int EarlyStoppingRounds { get; init; } = 40;
    public int Threads { get; init; } = 2;
    public ulong Seed { get; init; } = 42;
    /// <summary>Skip tree candidates (logistic regression only).</summary>
    public bool LinearOnly { get; init; }
    /// <summary>Skip the logistic regression.</summary>
    public bool TreesOnly { get; init; }
}

/// <summary>
/// Chooses between gradient-boosted trees and a regularised logistic regression on the validation period (design
/// §4), calibrates on validation, and refits the choice on training + validation because the newest months matter
/// most. When validation cannot tell the best candidates apart (their AUCs differ by less than the AUC's standard
/// error), the simpler one wins: logistic regression before trees, shallower trees before deeper.
/// </summary>
internal static class ModelSearch
{
    /// <param name="trainWeights">Row weights of the training rows (sampled non-converting rows weigh for those left
    /// out), or null for all 1. Validation rows weigh 1 where candidates are compared and calibrated.</param>
    /// <param name="refitValidation">The validation rows the refit adds to the training rows, with their weights
    /// (sampled like the training rows); null adds every validation row with weight 1.</param>
    public static SearchOutcome Run(
        float[] trainX, float[] trainY, float[] validX, float[] validY, int width, SearchOptions options, Action<string>? progress = null,
        float[]? trainWeights = null, (float[] X, float[] Y, float[] W)? refitValidation = null)
    {
        var nTrain = trainY.Length;
        var nValid = validY.Length;
        var results = new List<(CandidateResult Result, TrainedModel Model, double[] ValidMargins)>();

        if (!options.TreesOnly)
        {
            progress?.Invoke("logistic regression");
            var (linear, l2) = FitLinear(trainX, trainY, trainWeights, validX, validY, width, options.L2);
            var model = new TrainedModel
            {
                Kind = ModelKind.Linear, Linear = linear,
                Settings = new Dictionary<string, string> { ["model"] = "logistic regression", ["l2"] = Fmt(l2) },
                Description = $"logistic regression, L2 {Fmt(l2)}", Complexity = 0,
            };
            results.Add(Score(model, validX, validY, width));
            // Each penalty's fit leaves its standardised copy of the rows behind (0.5 GB at a million leads); without
            // memory pressure no full collection comes before XGBoost's native matrices are added on top.
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        }

        if (!options.LinearOnly)
        {
            using var dtrain = DMatrix.FromDense(trainX, nTrain, width, trainY, trainWeights);
            using var dvalid = DMatrix.FromDense(validX, nValid, width, validY);
            foreach (var depth in options.Depths)
            {
                foreach (var eta in options.LearningRates)
                {
                    foreach (var mcw in options.MinChildWeights)
                    {
                        var p = TreeParameters(depth, eta, mcw, options);
                        progress?.Invoke($"trees depth {depth}, eta {Fmt(eta)}, min child weight {Fmt(mcw)}");
                        var trained = Booster.Train(p, dtrain, dvalid, options.MaxRounds, options.EarlyStoppingRounds);
                        var settings = TreeSettings(depth, eta, mcw, trained.BestIteration + 1);
                        var model = new TrainedModel
                        {
                            Kind = ModelKind.Trees, Booster = trained.Booster, Settings = settings,
                            Description = $"trees depth {depth}, eta {Fmt(eta)}, min child weight {Fmt(mcw)}, {trained.BestIteration + 1} rounds",
                            Complexity = depth,
                        };
                        results.Add(Score(model, validX, validY, width));
                    }
                }
            }
        }

        // Candidates validation cannot tell apart from the best: AUC lower by less than one standard error of the
        // paired difference (DeLong), measured on the same validation rows. Among them the simplest wins.
        var best = results.MaxBy(r => r.Result.ValidationRocAuc);
        double Tolerance((CandidateResult Result, TrainedModel Model, double[] ValidMargins) r) =>
            ReferenceEquals(r.Model, best.Model) ? 0 : Math.Max(0.001, Metrics.RocAucDifferenceStandardError(best.ValidMargins, r.ValidMargins, validY));
        var chosen = results
            .Where(r => best.Result.ValidationRocAuc - r.Result.ValidationRocAuc <= Tolerance(r))
            .OrderBy(r => r.Result.Complexity).ThenByDescending(r => r.Result.ValidationRocAuc).First();
        var why = ReferenceEquals(chosen.Model, best.Model)
            ? $"best validation ROC-AUC ({chosen.Result.ValidationRocAuc:F4})"
            : $"simplest candidate within one standard error ({Tolerance(chosen):F4}, paired) of the best validation ROC-AUC {best.Result.ValidationRocAuc:F4} ({best.Result.Description})";

        // Calibrate on validation with the train-only model (out of sample), then refit on training + validation.
        var calibrationChoice = CalibrationFitter.Choose(chosen.ValidMargins, validY);
        var calibration = calibrationChoice.Chosen;

        var (addX, addY) = refitValidation is { } given ? (given.X, given.Y) : (validX, validY);
        var nAdd = addY.Length;
        var allX = new float[trainX.Length + addX.Length];
        trainX.CopyTo(allX, 0);
        addX.CopyTo(allX, trainX.Length);
        var allY = new float[nTrain + nAdd];
        trainY.CopyTo(allY, 0);
        addY.CopyTo(allY, nTrain);
        float[]? allW = null;
        if (trainWeights is not null || refitValidation is not null)
        {
            allW = new float[nTrain + nAdd];
            if (trainWeights is null) allW.AsSpan(0, nTrain).Fill(1f);
            else trainWeights.CopyTo(allW, 0);
            if (refitValidation is { } rv) rv.W.CopyTo(allW, nTrain);
            else allW.AsSpan(nTrain).Fill(1f);
        }
        // The refit's rounds grow with the rows it stands for (weights included), not the rows it holds.
        var trainRowsStoodFor = trainWeights is null ? nTrain : trainWeights.Sum(w => (double)w);
        progress?.Invoke($"refit on training + validation: {chosen.Result.Description}");
        var refit = Refit(chosen.Model, allX, allY, allW, width, (trainRowsStoodFor + nValid) / trainRowsStoodFor, options);
        foreach (var r in results) r.Model.Dispose();
        return new SearchOutcome(refit, calibration, [.. results.Select(r => r.Result)], chosen.Result, why, chosen.ValidMargins);
    }

    private static (LinearModel Model, double L2) FitLinear(float[] trainX, float[] trainY, float[]? trainWeights, float[] validX, float[] validY, int width, double[] grid)
    {
        LinearModel? best = null;
        var bestL2 = grid[0];
        var bestAuc = double.NegativeInfinity;
        foreach (var l2 in grid)
        {
            var m = LogisticRegressionTrainer.Fit(trainX, trainY.Length, width, trainY, l2, trainWeights);
            var p = new double[validY.Length];
            for (var i = 0; i < p.Length; i++) p[i] = Sigmoid(m.Margin(validX.AsSpan(i * width, width)));
            // Chosen by ranking (AUC), not log-loss: on drifting data log-loss favours heavy shrinkage that ranks
            // poorly (bank-additional in time order: log-loss picks L2 10 and tests at 0.52; AUC picks a model at 0.75).
            var auc = Metrics.RocAuc(p, validY);
            if (auc > bestAuc)
            {
                bestAuc = auc;
                best = m;
                bestL2 = l2;
            }
        }
        return (best!, bestL2);
    }

    private static TrainedModel Refit(TrainedModel chosen, float[] x, float[] y, float[]? w, int width, double growth, SearchOptions options)
    {
        if (chosen.Kind == ModelKind.Linear)
        {
            var l2 = double.Parse(chosen.Settings["l2"], CultureInfo.InvariantCulture);
            return new TrainedModel
            {
                Kind = ModelKind.Linear, Linear = LogisticRegressionTrainer.Fit(x, y.Length, width, y, l2, w),
                Settings = chosen.Settings, Description = chosen.Description, Complexity = chosen.Complexity,
            };
        }
        var depth = int.Parse(chosen.Settings["maxDepth"], CultureInfo.InvariantCulture);
        var eta = double.Parse(chosen.Settings["eta"], CultureInfo.InvariantCulture);
        var mcw = double.Parse(chosen.Settings["minChildWeight"], CultureInfo.InvariantCulture);
        var rounds = int.Parse(chosen.Settings["rounds"], CultureInfo.InvariantCulture);
        // More rows support proportionally more rounds at the same learning rate.
        var refitRounds = Math.Min(options.MaxRounds, (int)Math.Round(rounds * growth));
        using var all = DMatrix.FromDense(x, y.Length, width, y, w);
        var trained = Booster.Train(TreeParameters(depth, eta, mcw, options), all, null, refitRounds);
        return new TrainedModel
        {
            Kind = ModelKind.Trees, Booster = trained.Booster, Settings = TreeSettings(depth, eta, mcw, refitRounds),
            Description = $"trees depth {depth}, eta {Fmt(eta)}, min child weight {Fmt(mcw)}, {refitRounds} rounds",
            Complexity = chosen.Complexity,
        };
    }

    private static (CandidateResult, TrainedModel, double[]) Score(TrainedModel model, float[] validX, float[] validY, int width)
    {
        var margins = model.Margins(validX, validY.Length, width);
        var p = margins.Select(Sigmoid).ToArray();
        var result = new CandidateResult(model.Description, model.Kind, model.Settings, Metrics.RocAuc(p, validY), Metrics.LogLoss(p, validY), model.Complexity);
        return (result, model, margins);
    }

    internal static BoosterParameters TreeParameters(int depth, double eta, double minChildWeight, SearchOptions options) => new()
    {
        MaxDepth = depth,
        Eta = eta,
        MinChildWeight = minChildWeight,
        Subsample = 0.8,
        ColsampleByTree = 1.0,
        NThread = options.Threads,
        Seed = (int)(options.Seed % int.MaxValue),
        EvalMetric = "logloss",
    };

    private static Dictionary<string, string> TreeSettings(int depth, double eta, double mcw, int rounds) => new()
    {
        ["model"] = "gradient-boosted trees",
        ["maxDepth"] = depth.ToString(CultureInfo.InvariantCulture),
        ["eta"] = Fmt(eta),
        ["minChildWeight"] = Fmt(mcw),
        ["subsample"] = "0.8",
        ["colsampleByTree"] = "1",
        ["rounds"] = rounds.ToString(CultureInfo.InvariantCulture),
    };

    internal static double Sigmoid(double m) => 1.0 / (1.0 + Math.Exp(-m));

    private static string Fmt(double v) => v.ToString("G4", CultureInfo.InvariantCulture);
}
