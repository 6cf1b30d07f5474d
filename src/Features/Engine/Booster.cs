using System.Globalization;

namespace LeadML.Features.Engine;

/// <summary>
/// An XGBoost gradient-boosted model: trains on a <see cref="DMatrix"/>, predicts probabilities, margins (log-odds)
/// and exact TreeSHAP contributions, and saves to or loads from UBJ (the bundle format) or JSON.
/// </summary>
/// <remarks>
/// Thread safety: for tree boosters (<c>gbtree</c>, <c>dart</c>) every prediction method may be called from many
/// threads at once on one booster (guaranteed by XGBoost since 1.4). <see cref="SetParam"/>, training and
/// <see cref="Dispose"/> must not run at the same time as anything else on the same booster. <c>gblinear</c>
/// prediction is not covered by that guarantee.
/// </remarks>
public sealed class Booster : IDisposable
{
    private const string ValidationName = "valid";

    private static readonly Lazy<Version> LibraryVersion = new(Native.XGBoostVersion);

    private readonly BoosterHandle _handle;

    private Booster(BoosterHandle handle) => _handle = handle;

    /// <summary>The version of the loaded XGBoost library, e.g. 1.7.4.</summary>
    /// <exception cref="DllNotFoundException">libxgboost is not installed; the message says how to install it.</exception>
    public static Version Version => LibraryVersion.Value;

    /// <summary>The number of features (columns) the model expects.</summary>
    public int FeatureCount => Native.XGBoosterGetNumFeature(Handle);

    /// <summary>The number of boosting rounds the model holds (one tree per round for binary objectives).</summary>
    public int BoostedRounds => Native.XGBoosterBoostedRounds(Handle);

    internal BoosterHandle Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
            return _handle;
        }
    }

    /// <summary>
    /// Trains up to <paramref name="maxRounds"/> rounds on <paramref name="train"/>, evaluating
    /// <see cref="BoosterParameters.EvalMetric"/> on <paramref name="validation"/> after every round.
    /// </summary>
    /// <remarks>
    /// With <paramref name="earlyStoppingRounds"/> &gt; 0, training stops once the validation metric has not improved
    /// for that many rounds (lower is better for logloss, error, rmse; higher for auc, aucpr). All rounds run are
    /// kept while training and the returned booster is then <em>sliced</em> to the first BestIteration + 1 rounds
    /// (no retraining), so it saves and predicts with the best number of rounds. With
    /// <paramref name="earlyStoppingRounds"/> = 0 all <paramref name="maxRounds"/> rounds are kept and
    /// BestIteration is the last round, whatever the validation history says.
    /// </remarks>
    /// <param name="parameters">The learning parameters.</param>
    /// <param name="train">Training rows with labels (and optionally weights).</param>
    /// <param name="validation">Held-out rows with labels, or null; required for early stopping.</param>
    /// <param name="maxRounds">The most boosting rounds to run, at least 1.</param>
    /// <param name="earlyStoppingRounds">Rounds without improvement before stopping; 0 disables early stopping.</param>
    /// <exception cref="XGBoostException">XGBoost rejected a parameter or the data (e.g. an unknown tree_method,
    /// reported at the first round).</exception>
    public static TrainingResult Train(BoosterParameters parameters, DMatrix train, DMatrix? validation, int maxRounds, int earlyStoppingRounds = 0)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRounds, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(earlyStoppingRounds);
        if (earlyStoppingRounds > 0 && validation is null)
        {
            throw new ArgumentException($"early stopping after {earlyStoppingRounds} rounds needs a validation set", nameof(validation));
        }
        if (validation is not null && validation.Columns != train.Columns)
        {
            throw new ArgumentException(
                $"the validation set has {validation.Columns} columns but the training set has {train.Columns}", nameof(validation));
        }

        // The training matrix must be in the booster's cache: XGBoost takes the feature count from it.
        var handle = validation is null
            ? Native.XGBoosterCreate([train.Handle])
            : Native.XGBoosterCreate([train.Handle, validation.Handle]);
        try
        {
            foreach (var (name, value) in parameters.ToNativeParameters()) Native.XGBoosterSetParam(handle, name, value);

            var history = new List<double>();
            var maximize = parameters.MetricIsMaximized;
            var best = 0;
            var bestScore = double.NaN;
            var rounds = 0;
            for (var i = 0; i < maxRounds; i++)
            {
                Native.XGBoosterUpdateOneIter(handle, i, train.Handle);
                rounds = i + 1;
                if (validation is null) continue;

                var line = Native.XGBoosterEvalOneIter(handle, i, validation.Handle, ValidationName);
                var score = ParseMetric(line, parameters.EvalMetric);
                history.Add(score);
                if (i == 0 || (maximize ? score > bestScore : score < bestScore))
                {
                    best = i;
                    bestScore = score;
                }
                else if (earlyStoppingRounds > 0 && i - best >= earlyStoppingRounds)
                {
                    break;
                }
            }

            if (earlyStoppingRounds == 0) best = rounds - 1;
            if (best + 1 < rounds)
            {
                var sliced = Native.XGBoosterSlice(handle, 0, best + 1);
                handle.Dispose();
                handle = sliced;
            }
            return new TrainingResult(new Booster(handle), best, rounds, history, parameters.EvalMetric);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Reads <c>valid-{metric}:{value}</c> from an evaluation line such as
    /// <c>[3]\tvalid-logloss:0.51234</c>.</summary>
    internal static double ParseMetric(string line, string metric)
    {
        var key = $"{ValidationName}-{metric}:";
        var at = line.IndexOf(key, StringComparison.Ordinal);
        if (at >= 0)
        {
            var start = at + key.Length;
            var end = line.IndexOfAny(['\t', ' ', '\n'], start);
            var text = end < 0 ? line[start..] : line[start..end];
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)) return value;
        }
        throw new InvalidOperationException($"XGBoost's evaluation output '{line.Trim()}' has no value for '{key}'");
    }

    /// <summary>Loads a model saved by <see cref="SaveUbj"/> or <see cref="SaveJson"/> (the format is detected from
    /// the bytes).</summary>
    /// <exception cref="ArgumentException">The buffer is empty.</exception>
    /// <exception cref="XGBoostException">The bytes are not a model XGBoost can read.</exception>
    public static Booster Load(ReadOnlySpan<byte> ubj)
    {
        if (ubj.IsEmpty) throw new ArgumentException("the model is empty; expected UBJ or JSON model bytes", nameof(ubj));
        var handle = Native.XGBoosterCreate([]);
        try
        {
            Native.XGBoosterLoadModelFromBuffer(handle, ubj);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
        return new Booster(handle);
    }

    /// <summary>The model as Universal Binary JSON: the compact, fast format the bundle stores as <c>model.ubj</c>.</summary>
    public byte[] SaveUbj() => Native.XGBoosterSaveModelToBuffer(Handle, """{"format":"ubj"}""");

    /// <summary>The model as JSON text (trees, objective, base score under <c>learner</c>); larger and slower than UBJ.</summary>
    public string SaveJson() => System.Text.Encoding.UTF8.GetString(Native.XGBoosterSaveModelToBuffer(Handle, """{"format":"json"}"""));

    /// <summary>The learner's configuration (objective, all parameters in effect) as JSON.</summary>
    public string SaveConfigJson() => Native.XGBoosterSaveJsonConfig(Handle);

    /// <summary>Sets an XGBoost parameter, e.g. <c>SetParam("nthread", "1")</c> on a serving booster. Not thread
    /// safe: never call it while another thread predicts with this booster.</summary>
    public void SetParam(string name, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);
        Native.XGBoosterSetParam(Handle, name, value);
    }

    /// <summary>The prediction per row: a probability in [0, 1] for <c>binary:logistic</c>.</summary>
    /// <exception cref="ArgumentException">The matrix does not have <see cref="FeatureCount"/> columns.</exception>
    public float[] PredictValue(DMatrix m) => Native.XGBoosterPredict(Handle, Matrix(m), 0);

    /// <summary>The untransformed prediction per row: log-odds for <c>binary:logistic</c>.</summary>
    /// <exception cref="ArgumentException">The matrix does not have <see cref="FeatureCount"/> columns.</exception>
    public float[] PredictMargin(DMatrix m) => Native.XGBoosterPredict(Handle, Matrix(m), 1);

    /// <summary>Exact TreeSHAP contributions on the margin scale: row-major, <see cref="FeatureCount"/> + 1 values per
    /// row, the last being the bias (expected margin). Each row sums to that row's margin. Costly for deep trees.</summary>
    /// <exception cref="ArgumentException">The matrix does not have <see cref="FeatureCount"/> columns.</exception>
    public float[] PredictContributions(DMatrix m) => Native.XGBoosterPredict(Handle, Matrix(m), 4);

    /// <summary><see cref="PredictValue(DMatrix)"/> for <paramref name="rows"/> rows of <see cref="FeatureCount"/>
    /// values each, row-major, NaN = missing.</summary>
    /// <exception cref="ArgumentException"><paramref name="rowMajor"/> is not rows × <see cref="FeatureCount"/> long.</exception>
    public float[] PredictValue(ReadOnlySpan<float> rowMajor, int rows)
    {
        using var m = Rows(rowMajor, rows);
        return PredictValue(m);
    }

    /// <summary><see cref="PredictMargin(DMatrix)"/> for <paramref name="rows"/> rows of <see cref="FeatureCount"/>
    /// values each, row-major, NaN = missing.</summary>
    /// <exception cref="ArgumentException"><paramref name="rowMajor"/> is not rows × <see cref="FeatureCount"/> long.</exception>
    public float[] PredictMargin(ReadOnlySpan<float> rowMajor, int rows)
    {
        using var m = Rows(rowMajor, rows);
        return PredictMargin(m);
    }

    /// <summary><see cref="PredictContributions(DMatrix)"/> for <paramref name="rows"/> rows of
    /// <see cref="FeatureCount"/> values each, row-major, NaN = missing.</summary>
    /// <exception cref="ArgumentException"><paramref name="rowMajor"/> is not rows × <see cref="FeatureCount"/> long.</exception>
    public float[] PredictContributions(ReadOnlySpan<float> rowMajor, int rows)
    {
        using var m = Rows(rowMajor, rows);
        return PredictContributions(m);
    }

    /// <summary>Predicts with the rounds [0, <paramref name="iterationEnd"/>) only (0 = all rounds), through
    /// <c>XGBoosterPredictFromDMatrix</c>.</summary>
    internal float[] Predict(DMatrix m, PredictionKind kind, int iterationEnd = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(iterationEnd);
        var config = string.Create(CultureInfo.InvariantCulture,
            $$"""{"type": {{(int)kind}}, "training": false, "iteration_begin": 0, "iteration_end": {{iterationEnd}}, "strict_shape": false}""");
        return Native.XGBoosterPredictFromDMatrix(Handle, Matrix(m), config).Values;
    }

    /// <summary>Frees the native model. Safe to call more than once; other members then throw
    /// <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose() => _handle.Dispose();

    private DMatrixHandle Matrix(DMatrix m)
    {
        ArgumentNullException.ThrowIfNull(m);
        // XGBoost 1.7 rejects extra columns but silently predicts on a narrower matrix, treating the absent trailing
        // features as missing: a misaligned feature vector would score without any error.
        var features = FeatureCount;
        if (m.Columns != features)
        {
            throw new ArgumentException($"the model expects {features} features per row, the matrix has {m.Columns} columns", nameof(m));
        }
        return m.Handle;
    }

    private DMatrix Rows(ReadOnlySpan<float> rowMajor, int rows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        var features = FeatureCount;
        if (rowMajor.Length != (long)rows * features)
        {
            throw new ArgumentException(
                $"the model expects {features} features per row: {rows} rows need {(long)rows * features} values, got {rowMajor.Length}",
                nameof(rowMajor));
        }
        return DMatrix.FromDense(rowMajor, rows, features);
    }
}
