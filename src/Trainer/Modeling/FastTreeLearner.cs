using LeadML.Features.Engine;
using LeadML.Features.Trees;
using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;

namespace LeadML.Trainer.Modeling;

/// <summary>Settings of one FastTree candidate.</summary>
/// <param name="Leaves">Leaves per tree (FastTree grows each tree leaf-wise up to this many).</param>
/// <param name="LearningRate">FastTree's learning rate (shrinkage).</param>
/// <param name="MinLeafRows">The fewest training rows a leaf may hold.</param>
/// <param name="Trees">Trees grown; validation then keeps the best first ones.</param>
internal sealed record FastTreeSettings(int Leaves, double LearningRate, int MinLeafRows, int Trees);

/// <summary>
/// ML.NET's FastTree (gradient-boosted trees of Microsoft's learner) as a candidate beside XGBoost: trained through
/// ML.NET, its trees exported into XGBoost's saved-tree form with per-node cover from routing the training rows, so
/// the bundle stores, loads and explains them (exact TreeSHAP in the managed evaluator) like XGBoost's own trees.
/// </summary>
/// <remarks>
/// <para>What the export keeps exact, each checked in the tests against ML.NET's own predictions:</para>
/// <list type="bullet">
/// <item>Routing. FastTree sends a row left when <c>x ≤ threshold</c>; XGBoost's form when <c>x &lt; condition</c>.
/// For single-precision values <c>x ≤ t</c> is <c>x &lt; t⁺</c>, t⁺ the next float above t, so t⁺ is written.</item>
/// <item>Missing values. FastTree has no missing-value handling of its own that holds: it learns NaN in one place
/// and predicts it in another (a planted effect of a missing value: test ROC-AUC 0.65 with NaN, 0.85 with the same
/// rows' NaN replaced by a number). So a missing value reaches ML.NET as <see cref="Missing"/>, below every real
/// value: each split can send it, with the lowest values, left, or isolate it by a split just above it. Every
/// exported split's default branch is therefore left, where <see cref="Missing"/> goes.</item>
/// <item>Scale. FastTree's score is not log-odds: ML.NET attaches a Platt calibrator, probability
/// = 1 / (1 + exp(slope · score + offset)), with slope = −2 · learning rate and offset 0 for the binary trainer. The
/// export multiplies each leaf by −slope (and each tree's weight) and puts −offset − slope · bias into the base
/// margin, so the saved margin is that probability's log-odds.</item>
/// </list>
/// <para>ML.NET's own <c>CalculateFeatureContribution</c> is not used: it is not additive. Contributions come from
/// exact TreeSHAP over the exported trees, which sum to the margin.</para>
/// </remarks>
internal static class FastTreeLearner
{
    /// <summary>What a missing value (NaN) is given to FastTree as: below every real value.</summary>
    public const float Missing = float.MinValue;

    /// <summary>The ML.NET package's version, e.g. "6.0.0" (its assemblies all say 1.0.0.0).</summary>
    public static string Version { get; } =
        typeof(FastTreeBinaryTrainer).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion.Split('+')[0] ?? "unknown";

    /// <summary>What one fit gives: the exported trees (all grown, cover still empty) and the base margin.</summary>
    internal sealed record Grown(List<SavedTree> Trees, double BaseMargin);

    /// <summary>Fits FastTree on row-major rows (NaN = missing) and returns its trees in XGBoost's saved form.</summary>
    /// <param name="weights">Row weights, or null for all 1.</param>
    public static Grown Fit(float[] x, float[] y, float[]? weights, int width, FastTreeSettings settings, int threads, ulong seed)
    {
        var model = Train(new MLContext((int)(seed % int.MaxValue)), x, y, weights, width, settings, threads, seed).Model;
        return Export(model.SubModel.TrainedTreeEnsemble, model.Calibrator);
    }

    /// <summary>ML.NET's fitted model itself, with the calibrator it attaches.</summary>
    internal static BinaryPredictionTransformer<CalibratedModelParametersBase<FastTreeBinaryModelParameters, PlattCalibrator>> Train(
        MLContext ml, float[] x, float[] y, float[]? weights, int width, FastTreeSettings settings, int threads, ulong seed)
    {
        var data = Data(ml, x, y, weights, width);
        var options = new FastTreeBinaryTrainer.Options
        {
            NumberOfLeaves = settings.Leaves,
            NumberOfTrees = settings.Trees,
            LearningRate = settings.LearningRate,
            MinimumExampleCountPerLeaf = settings.MinLeafRows,
            NumberOfThreads = threads,
            // FastTree ignores the MLContext's seed; its own makes a fit repeatable.
            Seed = (int)(seed % int.MaxValue),
            ExampleWeightColumnName = weights is null ? null : nameof(Row.Weight),
        };
        return ml.BinaryClassification.Trainers.FastTree(options).Fit(data);
    }

    /// <summary>Row-major rows (NaN = missing) as an ML.NET data view: a <c>Features</c> vector (NaN given as
    /// <see cref="Missing"/>), a boolean <c>Label</c> and a <c>Weight</c>. Training and the tests' comparisons with
    /// ML.NET's predictions both read rows through it.</summary>
    internal static IDataView Data(MLContext ml, float[] x, float[] y, float[]? weights, int width) =>
        ml.Data.LoadFromEnumerable(Rows(x, y, weights, width), Schema(width));

    /// <summary>The ensemble's trees in XGBoost's saved form, on the log-odds scale of <paramref name="calibrator"/>.</summary>
    internal static Grown Export(RegressionTreeEnsemble ensemble, PlattCalibrator calibrator)
    {
        var scale = -calibrator.Slope;
        var trees = new List<SavedTree>(ensemble.Trees.Count);
        for (var t = 0; t < ensemble.Trees.Count; t++) trees.Add(Export(ensemble.Trees[t], t, scale * ensemble.TreeWeights[t]));
        return new Grown(trees, -calibrator.Offset + scale * ensemble.Bias);
    }

    /// <summary>One tree: FastTree's splits keep their indices, its leaves (child ~l) follow them as nodes
    /// <c>splits + l</c>.</summary>
    private static SavedTree Export(RegressionTree tree, int t, double leafScale)
    {
        var splits = tree.NumberOfNodes;
        var n = splits + tree.NumberOfLeaves;
        var left = new int[n];
        var right = new int[n];
        var features = new int[n];
        var conditions = new float[n];
        for (var i = 0; i < splits; i++)
        {
            if (tree.CategoricalSplitFlags[i])
            {
                throw new NotSupportedException($"FastTree tree {t} node {i} is a categorical split; only numerical splits can be exported");
            }
            left[i] = Node(tree.LeftChild[i], splits);
            right[i] = Node(tree.RightChild[i], splits);
            features[i] = tree.NumericalSplitFeatureIndexes[i];
            conditions[i] = MathF.BitIncrement(tree.NumericalSplitThresholds[i]);
        }
        for (var l = 0; l < tree.NumberOfLeaves; l++)
        {
            left[splits + l] = -1;
            right[splits + l] = -1;
            conditions[splits + l] = (float)(tree.LeafValues[l] * leafScale);
        }
        // A tree without splits is one leaf, node 0 (FastTree then has no split nodes at all).
        var missingLeft = new bool[n];
        missingLeft.AsSpan(0, splits).Fill(true);
        return new SavedTree(left, right, features, conditions, missingLeft, new float[n]);
    }

    private static int Node(int child, int splits) => child < 0 ? splits + ~child : child;

    /// <summary>How many of the first trees give the lowest validation log-loss (at least one), found by adding one
    /// tree at a time to every validation row's margin, as early stopping would.</summary>
    public static int BestTreeCount(Grown grown, ReadOnlyMemory<float> validX, float[] validY, int width)
    {
        var rows = validY.Length;
        var margins = new double[rows];
        Array.Fill(margins, grown.BaseMargin);
        var best = 1;
        var bestLoss = double.PositiveInfinity;
        for (var t = 0; t < grown.Trees.Count; t++)
        {
            var tree = grown.Trees[t];
            var loss = 0.0;
            for (var r = 0; r < rows; r++)
            {
                margins[r] += Leaf(tree, validX.Span.Slice(r * width, width));
                // log(1 + e^-m) for a conversion, log(1 + e^m) otherwise, without overflow.
                var m = validY[r] > 0.5f ? margins[r] : -margins[r];
                loss += m > 0 ? double.LogP1(Math.Exp(-m)) : -m + double.LogP1(Math.Exp(m));
            }
            if (loss < bestLoss)
            {
                bestLoss = loss;
                best = t + 1;
            }
        }
        return best;
    }

    private static float Leaf(SavedTree tree, ReadOnlySpan<float> row)
    {
        var node = 0;
        while (!tree.IsLeaf(node)) node = tree.Next(node, row);
        return tree.Conditions[node];
    }

    /// <summary>The first <paramref name="count"/> trees with cover from routing the training rows, loaded as an
    /// XGBoost booster: the form the bundle saves and the managed evaluator explains.</summary>
    public static Booster ToBooster(Grown grown, int count, float[] trainX, float[]? trainWeights, int width)
    {
        var covered = TreeCover.Route(grown.Trees.GetRange(0, count), trainX, width, trainWeights);
        var json = XGBoostJsonModel.Write(width, grown.BaseMargin, covered);
        return Booster.Load(System.Text.Encoding.UTF8.GetBytes(json));
    }

    private static SchemaDefinition Schema(int width)
    {
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, width);
        return schema;
    }

    /// <summary>The rows as ML.NET reads them, each pass over the data copying one row at a time, a missing value as
    /// <see cref="Missing"/>.</summary>
    private static IEnumerable<Row> Rows(float[] x, float[] y, float[]? weights, int width)
    {
        for (var i = 0; i < y.Length; i++)
        {
            var features = x[(i * width)..((i + 1) * width)];
            for (var j = 0; j < width; j++)
            {
                if (float.IsNaN(features[j])) features[j] = Missing;
            }
            yield return new Row { Features = features, Label = y[i] > 0.5f, Weight = weights?[i] ?? 1f };
        }
    }

    /// <summary>One training row for ML.NET.</summary>
    internal sealed class Row
    {
        public float[] Features { get; set; } = [];
        public bool Label { get; set; }
        public float Weight { get; set; }
    }
}
