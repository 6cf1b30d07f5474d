using System.Runtime.CompilerServices;

namespace LeadML.Features.Trees;

/// <summary>
/// A managed evaluator of the trees of a saved XGBoost <c>gbtree</c> / <c>binary:logistic</c> model: margins
/// (log-odds) and exact path-dependent TreeSHAP contributions, equal to the native library's <c>PredictMargin</c> and
/// <c>PredictContributions</c> up to float rounding, without a DMatrix per call.
/// </summary>
/// <remarks>
/// <para>Routing follows XGBoost: a row goes left when <c>x &lt; split_condition</c> (float32 comparison) and a
/// missing value (<see cref="float.NaN"/>) follows the node's default branch.</para>
/// <para>Contributions come from per-leaf tables (built by <see cref="FromXGBoostJson(string)"/>): for each leaf and
/// each subset of the distinct features on its path that the row agrees with, the Shapley values Algorithm 2 of
/// Lundberg et al. (2018) would add. A row then costs one table look-up per leaf instead of the O(depth²) path
/// arithmetic. When the tables would exceed <see cref="DefaultShapTableBudget"/> values the evaluator runs
/// Algorithm 2 itself, recursively, as XGBoost does.</para>
/// <para>Instances are immutable; every member is thread safe and allocation-free.</para>
/// </remarks>
public sealed class TreeEnsemble
{
    /// <summary>The most table values (doubles, 8 bytes each) built for fast contributions: 4,194,304 = 32 MiB. A
    /// depth-4 model with 300 trees needs at most 307,200; depth 6 with 300 trees up to 7.4 million.</summary>
    public const int DefaultShapTableBudget = 1 << 22;

    private const int StackScratchLimit = 2048;

    [ThreadStatic]
    private static byte[]? t_directions;

    // Nodes of all trees, concatenated: tree t holds [_roots[t], _roots[t + 1]). Children are absolute indices.
    private readonly int[] _left;
    private readonly int[] _right;
    private readonly int[] _feature;
    private readonly float[] _threshold;
    private readonly bool[] _defaultLeft;
    private readonly double[] _value;
    private readonly double[] _cover;
    private readonly int[] _roots;

    private readonly double _baseMargin;
    private readonly double _expectedMargin;
    private readonly int _maxDepth;
    private readonly int _maxTreeNodes;
    private readonly ShapTables? _tables;

    private TreeEnsemble(int featureCount, double baseScore, List<SavedTree> trees, int shapTableBudget)
    {
        FeatureCount = featureCount;
        var total = 0;
        foreach (var tree in trees) total += tree.Left.Length;
        _left = new int[total];
        _right = new int[total];
        _feature = new int[total];
        _threshold = new float[total];
        _defaultLeft = new bool[total];
        _value = new double[total];
        _cover = new double[total];
        _roots = new int[trees.Count + 1];

        var offset = 0;
        for (var t = 0; t < trees.Count; t++)
        {
            var tree = trees[t];
            var n = tree.Left.Length;
            _roots[t] = offset;
            for (var i = 0; i < n; i++)
            {
                var leaf = tree.Left[i] == -1;
                if (!leaf)
                {
                    CheckChild(tree.Left[i], i, n, t, "left");
                    CheckChild(tree.Right[i], i, n, t, "right");
                    if (tree.Features[i] < 0 || tree.Features[i] >= featureCount)
                    {
                        throw new InvalidDataException(
                            $"XGBoost model: tree {t} node {i} splits on feature {tree.Features[i]}, outside the model's {featureCount} features");
                    }
                }
                _left[offset + i] = leaf ? -1 : offset + tree.Left[i];
                _right[offset + i] = leaf ? -1 : offset + tree.Right[i];
                _feature[offset + i] = leaf ? 0 : tree.Features[i];
                _threshold[offset + i] = tree.Conditions[i];
                _defaultLeft[offset + i] = tree.DefaultLeft[i];
                _value[offset + i] = leaf ? tree.Conditions[i] : 0;
                _cover[offset + i] = tree.Cover[i];
            }
            offset += n;
            _maxTreeNodes = Math.Max(_maxTreeNodes, n);
        }
        _roots[trees.Count] = offset;

        // Margins as XGBoost's logistic objective turns base_score into one (ProbToMargin).
        _baseMargin = Math.Log(baseScore / (1 - baseScore));
        _expectedMargin = _baseMargin;
        for (var t = 0; t < trees.Count; t++)
        {
            _expectedMargin += MeanValue(_roots[t], 0, t, out var depth);
            _maxDepth = Math.Max(_maxDepth, depth);
        }
        _tables = ShapTables.TryBuild(this, shapTableBudget);
    }

    /// <summary>The number of features a row holds: XGBoost's <c>num_feature</c>.</summary>
    public int FeatureCount { get; }

    /// <summary>The number of trees (one per boosting round for <c>binary:logistic</c>).</summary>
    public int TreeCount => _roots.Length - 1;

    /// <summary>The depth of the deepest leaf (0 when every tree is a single leaf).</summary>
    public int MaxDepth => _maxDepth;

    /// <summary>The expected margin: the base margin plus each tree's cover-weighted mean leaf value. It is the bias
    /// (last) slot of <see cref="Contributions"/>.</summary>
    public double ExpectedMargin => _expectedMargin;

    /// <summary>Whether contributions use the precomputed per-leaf tables (true) or run Algorithm 2 per row.</summary>
    internal bool UsesShapTables => _tables is not null;

    /// <summary>
    /// Reads a model saved by XGBoost as JSON (<c>Booster.SaveJson</c>, format of XGBoost 1.7): the trees under
    /// <c>learner.gradient_booster.model.trees</c>, <c>num_feature</c> and <c>base_score</c> (a probability; the
    /// base margin is its logit).
    /// </summary>
    /// <exception cref="NotSupportedException">The booster is not <c>gbtree</c> (e.g. <c>gblinear</c>,
    /// <c>dart</c>), the objective is not <c>binary:logistic</c>, or a tree has categorical splits; the message names
    /// what was found.</exception>
    /// <exception cref="InvalidDataException">A required field is missing or a tree is malformed.</exception>
    /// <exception cref="System.Text.Json.JsonException">The text is not JSON.</exception>
    public static TreeEnsemble FromXGBoostJson(string json) => FromXGBoostJson(json, DefaultShapTableBudget);

    /// <summary><see cref="FromXGBoostJson(string)"/> with a budget of table values for contributions; 0 forces the
    /// per-row Algorithm 2.</summary>
    internal static TreeEnsemble FromXGBoostJson(string json, int shapTableBudget)
    {
        var (featureCount, baseScore, trees) = XGBoostJsonModel.Read(json);
        return new TreeEnsemble(featureCount, baseScore, trees, shapTableBudget);
    }

    /// <summary>The margin (log-odds) of one row of <see cref="FeatureCount"/> values, NaN = missing: the base margin
    /// plus the leaf value each tree routes the row to.</summary>
    /// <exception cref="ArgumentException">The row does not hold <see cref="FeatureCount"/> values.</exception>
    public double Margin(ReadOnlySpan<float> row)
    {
        CheckRow(row.Length, nameof(row));
        return MarginOf(row);
    }

    /// <summary>The margins of <paramref name="result"/>.Length rows, given row-major (row 0's features first).</summary>
    /// <exception cref="ArgumentException"><paramref name="rowMajor"/> is not <paramref name="result"/>.Length ×
    /// <see cref="FeatureCount"/> long.</exception>
    public void Margins(ReadOnlySpan<float> rowMajor, Span<double> result)
    {
        if (rowMajor.Length != (long)result.Length * FeatureCount)
        {
            throw new ArgumentException(
                $"{result.Length} rows of {FeatureCount} features need {(long)result.Length * FeatureCount} values, got {rowMajor.Length}", nameof(rowMajor));
        }
        for (var r = 0; r < result.Length; r++)
        {
            result[r] = MarginOf(rowMajor.Slice(r * FeatureCount, FeatureCount));
        }
    }

    /// <summary>
    /// Exact path-dependent TreeSHAP contributions of one row on the margin scale, as XGBoost's <c>pred_contribs</c>
    /// (approx = false): <paramref name="phi"/>[j] for feature j, and the bias (<see cref="ExpectedMargin"/>) in the
    /// last slot, so the values sum to <see cref="Margin"/>. <paramref name="phi"/> is overwritten.
    /// </summary>
    /// <exception cref="ArgumentException">The row does not hold <see cref="FeatureCount"/> values, or
    /// <paramref name="phi"/> does not hold <see cref="FeatureCount"/> + 1.</exception>
    [SkipLocalsInit]
    public void Contributions(ReadOnlySpan<float> row, Span<double> phi)
    {
        CheckRow(row.Length, nameof(row));
        if (phi.Length != FeatureCount + 1)
        {
            throw new ArgumentException($"phi must hold {FeatureCount + 1} values (features then bias), got {phi.Length}", nameof(phi));
        }
        phi.Clear();
        if (_tables is { } tables)
        {
            var directions = _maxTreeNodes <= StackScratchLimit
                ? stackalloc byte[_maxTreeNodes]
                : (t_directions is { } d && d.Length >= _maxTreeNodes ? d : t_directions = new byte[_maxTreeNodes]).AsSpan(0, _maxTreeNodes);
            for (var t = 0; t < TreeCount; t++)
            {
                var root = _roots[t];
                var end = _roots[t + 1];
                for (var n = root; n < end; n++)
                {
                    if (_left[n] >= 0) directions[n - root] = GoesLeft(n, row[_feature[n]]) ? (byte)1 : (byte)0;
                }
                tables.Add(t, directions, phi);
            }
        }
        else
        {
            Span<PathElement> path = stackalloc PathElement[TreeShap.PathBufferLength(_maxDepth)];
            for (var t = 0; t < TreeCount; t++)
            {
                Recurse(row, phi, _roots[t], 0, path, 1, 1, -1);
            }
        }
        phi[FeatureCount] = _expectedMargin;
    }

    private double MarginOf(ReadOnlySpan<float> row)
    {
        var sum = _baseMargin;
        var left = _left;
        for (var t = 0; t < _roots.Length - 1; t++)
        {
            var n = _roots[t];
            int l;
            while ((l = left[n]) >= 0)
            {
                var x = row[_feature[n]];
                n = x < _threshold[n] ? l : float.IsNaN(x) && _defaultLeft[n] ? l : _right[n];
            }
            sum += _value[n];
        }
        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool GoesLeft(int node, float x) => x < _threshold[node] || (float.IsNaN(x) && _defaultLeft[node]);

    /// <summary>Algorithm 2's RECURSE, as XGBoost's <c>RegTree::TreeShap</c> with no conditioning.</summary>
    private void Recurse(ReadOnlySpan<float> row, Span<double> phi, int node, int depth, Span<PathElement> parentPath,
        double parentZero, double parentOne, int parentFeature)
    {
        var path = parentPath[(depth + 1)..];
        parentPath[..(depth + 1)].CopyTo(path);
        TreeShap.Extend(path, depth, parentZero, parentOne, parentFeature);

        if (_left[node] < 0)
        {
            for (var i = 1; i <= depth; i++)
            {
                var w = TreeShap.UnwoundSum(path, depth, i);
                phi[path[i].Feature] += w * (path[i].One - path[i].Zero) * _value[node];
            }
            return;
        }

        var feature = _feature[node];
        var hot = GoesLeft(node, row[feature]) ? _left[node] : _right[node];
        var cold = hot == _left[node] ? _right[node] : _left[node];
        var cover = _cover[node];
        double incomingZero = 1, incomingOne = 1;
        var index = 0;
        while (index <= depth && path[index].Feature != feature) index++;
        if (index <= depth)
        {
            incomingZero = path[index].Zero;
            incomingOne = path[index].One;
            TreeShap.Unwind(path, depth, index);
            depth--;
        }
        Recurse(row, phi, hot, depth + 1, path, _cover[hot] / cover * incomingZero, incomingOne, feature);
        Recurse(row, phi, cold, depth + 1, path, _cover[cold] / cover * incomingZero, 0, feature);
    }

    /// <summary>The cover-weighted mean leaf value under <paramref name="node"/> (XGBoost's FillNodeMeanValue), and the
    /// depth of its deepest leaf; rejects trees whose child links do not form a tree.</summary>
    private double MeanValue(int node, int depth, int tree, out int maxDepth)
    {
        if (depth > _roots[tree + 1] - _roots[tree])
        {
            throw new InvalidDataException($"XGBoost model: tree {tree} has a cycle in its child links");
        }
        var l = _left[node];
        if (l < 0)
        {
            maxDepth = depth;
            return _value[node];
        }
        var r = _right[node];
        var mean = MeanValue(l, depth + 1, tree, out var leftDepth) * _cover[l] + MeanValue(r, depth + 1, tree, out var rightDepth) * _cover[r];
        maxDepth = Math.Max(leftDepth, rightDepth);
        return mean / _cover[node];
    }

    private void CheckRow(int length, string name)
    {
        if (length != FeatureCount)
        {
            throw new ArgumentException($"the model expects {FeatureCount} features per row, got {length}", name);
        }
    }

    private static void CheckChild(int child, int node, int count, int tree, string side)
    {
        if (child == node || child < 0 || child >= count)
        {
            throw new InvalidDataException($"XGBoost model: tree {tree} node {node} has {side} child {child}, outside [0, {count}) or itself");
        }
    }

    /// <summary>
    /// Per-leaf Shapley tables. For a leaf whose path splits on k distinct features, the path-dependent TreeSHAP
    /// values it adds depend on the row only through which of those k features the row "agrees" with (follows the
    /// path at every split on that feature), a k-bit mask. The table holds, for each of the 2^k masks, the k values
    /// Algorithm 2 computes at that leaf (leaf value included).
    /// </summary>
    private sealed class ShapTables
    {
        private readonly int[] _treeLeafStart;   // leaves of tree t: [_treeLeafStart[t], _treeLeafStart[t + 1])
        private readonly int[] _leafPathStart;   // path steps of leaf l: [_leafPathStart[l], _leafPathStart[l + 1])
        private readonly int[] _leafFeatureStart; // distinct features of leaf l: [_leafFeatureStart[l], ...[l + 1])
        private readonly int[] _leafTableStart;
        private readonly int[] _stepNode;        // node index relative to the tree's root
        private readonly byte[] _stepLeft;       // 1 when the path goes left at that node
        private readonly int[] _stepBit;         // the bit of the step's feature in the leaf's mask
        private readonly int[] _features;
        private readonly double[] _values;

        private ShapTables(int[] treeLeafStart, int[] leafPathStart, int[] leafFeatureStart, int[] leafTableStart,
            int[] stepNode, byte[] stepLeft, int[] stepBit, int[] features, double[] values)
        {
            _treeLeafStart = treeLeafStart;
            _leafPathStart = leafPathStart;
            _leafFeatureStart = leafFeatureStart;
            _leafTableStart = leafTableStart;
            _stepNode = stepNode;
            _stepLeft = stepLeft;
            _stepBit = stepBit;
            _features = features;
            _values = values;
        }

        public void Add(int tree, ReadOnlySpan<byte> directions, Span<double> phi)
        {
            var stepNode = _stepNode;
            var stepLeft = _stepLeft;
            var stepBit = _stepBit;
            var features = _features;
            var values = _values;
            for (var leaf = _treeLeafStart[tree]; leaf < _treeLeafStart[tree + 1]; leaf++)
            {
                var f0 = _leafFeatureStart[leaf];
                var k = _leafFeatureStart[leaf + 1] - f0;
                if (k == 0) continue;
                var mask = (1 << k) - 1;
                for (var s = _leafPathStart[leaf]; s < _leafPathStart[leaf + 1]; s++)
                {
                    if (directions[stepNode[s]] != stepLeft[s]) mask &= ~stepBit[s];
                }
                var v = _leafTableStart[leaf] + mask * k;
                for (var j = 0; j < k; j++) phi[features[f0 + j]] += values[v + j];
            }
        }

        public static ShapTables? TryBuild(TreeEnsemble e, int budget)
        {
            // A first pass sizes everything and checks the budget before any table is computed.
            var leaves = new List<Leaf>();
            var treeLeafStart = new int[e.TreeCount + 1];
            long tableSize = 0;
            var steps = 0;
            var pathNodes = new List<(int Node, bool Left)>();
            for (var t = 0; t < e.TreeCount; t++)
            {
                treeLeafStart[t] = leaves.Count;
                CollectLeaves(e, t, e._roots[t], pathNodes, leaves);
            }
            treeLeafStart[e.TreeCount] = leaves.Count;
            foreach (var leaf in leaves)
            {
                var k = leaf.Features.Count;
                if (k > 24) return null;
                tableSize += (long)k << k;
                steps += leaf.Steps.Count;
                if (tableSize > budget) return null;
            }

            var leafPathStart = new int[leaves.Count + 1];
            var leafFeatureStart = new int[leaves.Count + 1];
            var leafTableStart = new int[leaves.Count];
            var stepNode = new int[steps];
            var stepLeft = new byte[steps];
            var stepBit = new int[steps];
            var featureTotal = 0;
            foreach (var leaf in leaves) featureTotal += leaf.Features.Count;
            var features = new int[featureTotal];
            var values = new double[tableSize];
            Span<PathElement> path = stackalloc PathElement[e._maxDepth + 2];

            int s = 0, f = 0, v = 0;
            for (var l = 0; l < leaves.Count; l++)
            {
                var leaf = leaves[l];
                leafPathStart[l] = s;
                leafFeatureStart[l] = f;
                leafTableStart[l] = v;
                foreach (var (node, left, slot) in leaf.Steps)
                {
                    stepNode[s] = node;
                    stepLeft[s] = left ? (byte)1 : (byte)0;
                    stepBit[s] = 1 << slot;
                    s++;
                }
                var k = leaf.Features.Count;
                for (var j = 0; j < k; j++) features[f + j] = leaf.Features[j];
                f += k;
                for (var mask = 0; mask < 1 << k; mask++)
                {
                    // The path Algorithm 2 holds at this leaf: the root's dummy, then each distinct feature with the
                    // product of its cover fractions (zero) and whether the row agrees with all its splits (one).
                    TreeShap.Extend(path, 0, 1, 1, -1);
                    for (var j = 0; j < k; j++)
                    {
                        TreeShap.Extend(path, j + 1, leaf.Zero[j], (mask >> j) & 1, leaf.Features[j]);
                    }
                    for (var j = 0; j < k; j++)
                    {
                        var w = TreeShap.UnwoundSum(path, k, j + 1);
                        values[v + j] = w * (path[j + 1].One - path[j + 1].Zero) * leaf.Value;
                    }
                    v += k;
                }
            }
            leafPathStart[leaves.Count] = s;
            leafFeatureStart[leaves.Count] = f;
            return new ShapTables(treeLeafStart, leafPathStart, leafFeatureStart, leafTableStart, stepNode, stepLeft, stepBit, features, values);
        }

        private static void CollectLeaves(TreeEnsemble e, int tree, int node, List<(int Node, bool Left)> path, List<Leaf> leaves)
        {
            var l = e._left[node];
            if (l >= 0)
            {
                path.Add((node, true));
                CollectLeaves(e, tree, l, path, leaves);
                path[^1] = (node, false);
                CollectLeaves(e, tree, e._right[node], path, leaves);
                path.RemoveAt(path.Count - 1);
                return;
            }

            var root = e._roots[tree];
            var leaf = new Leaf(e._value[node]);
            foreach (var (parent, left) in path)
            {
                var feature = e._feature[parent];
                var slot = leaf.Features.IndexOf(feature);
                if (slot < 0)
                {
                    slot = leaf.Features.Count;
                    leaf.Features.Add(feature);
                    leaf.Zero.Add(1);
                }
                var child = left ? e._left[parent] : e._right[parent];
                leaf.Zero[slot] *= e._cover[child] / e._cover[parent];
                leaf.Steps.Add((parent - root, left, slot));
            }
            leaves.Add(leaf);
        }

        private sealed class Leaf(double value)
        {
            public double Value { get; } = value;
            public List<int> Features { get; } = [];
            public List<double> Zero { get; } = [];
            public List<(int Node, bool Left, int Slot)> Steps { get; } = [];
        }
    }
}
