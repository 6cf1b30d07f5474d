using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

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

    /// <summary>How many trees a margin walks at once.</summary>
    private const int Group = 8;

    [ThreadStatic]
    private static byte[]? t_directions;

    [ThreadStatic]
    private static PathElement[]? t_path;

    // Nodes of all trees, concatenated: tree t holds [_roots[t], _roots[t + 1]) and reaches its leaves in at most
    // _depths[t] steps. An array of 16-byte nodes rather than one array per field, because one step of a traversal
    // then reads one cache line instead of four; with branchless steps this took the bench/Trees.Bench margin from
    // 9.2 to 3.7 µs (the layout alone was not measured separately).
    private readonly TreeNode[] _nodes;
    private readonly double[] _cover;
    private readonly int[] _roots;
    private readonly int[] _depths;
    private readonly int[] _groupDepths; // the deepest of the trees of each group of Group trees

    private readonly double _baseMargin;
    private readonly double _expectedMargin;
    private readonly int _maxDepth;
    private readonly int _maxTreeNodes;
    private readonly ShapTables? _tables;

    private TreeEnsemble(int featureCount, double baseScore, List<SavedTree> trees, int shapTableBudget)
    {
        FeatureCount = featureCount;
        var orders = new List<int[]>(trees.Count);
        var total = 0;
        for (var t = 0; t < trees.Count; t++)
        {
            orders.Add(BreadthFirstOrder(trees[t], t, featureCount));
            total += orders[t].Length;
        }
        _nodes = new TreeNode[total];
        _cover = new double[total];
        _roots = new int[trees.Count + 1];
        _depths = new int[trees.Count];

        var offset = 0;
        for (var t = 0; t < trees.Count; t++)
        {
            var tree = trees[t];
            var order = orders[t];
            var position = new int[tree.Left.Length];
            for (var p = 0; p < order.Length; p++) position[order[p]] = p;
            _roots[t] = offset;
            for (var p = 0; p < order.Length; p++)
            {
                var i = order[p];
                _nodes[offset + p] = tree.Left[i] == -1
                    ? TreeNode.Leaf(offset + p, tree.Conditions[i])
                    : TreeNode.Split(offset + position[tree.Left[i]], tree.Features[i], tree.DefaultLeft[i], tree.Conditions[i]);
                _cover[offset + p] = tree.Cover[i];
            }
            offset += order.Length;
            _maxTreeNodes = Math.Max(_maxTreeNodes, order.Length);
        }
        _roots[trees.Count] = offset;

        // The base margin as XGBoost's logistic objective derives it from base_score (ProbToMargin).
        _baseMargin = Math.Log(baseScore / (1 - baseScore));
        _expectedMargin = _baseMargin;
        for (var t = 0; t < trees.Count; t++)
        {
            _expectedMargin += MeanValue(_roots[t], 0, out _depths[t]);
            _maxDepth = Math.Max(_maxDepth, _depths[t]);
        }
        _groupDepths = new int[trees.Count / Group];
        for (var g = 0; g < _groupDepths.Length; g++) _groupDepths[g] = _depths.AsSpan(g * Group, Group).ToArray().Max();
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
    /// base margin is its logit). A leaf's value is read from <c>split_conditions</c>, where XGBoost keeps it.
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
            ref var nodes = ref MemoryMarshal.GetArrayDataReference(_nodes);
            ref var x = ref MemoryMarshal.GetReference(row);
            ref var direction = ref MemoryMarshal.GetReference(directions);
            for (var t = 0; t < TreeCount; t++)
            {
                // Every node's direction (leaves included, harmlessly), without branches: the tables need them all.
                var root = _roots[t];
                var count = _roots[t + 1] - root;
                for (var i = 0; i < count; i++)
                {
                    ref readonly var node = ref Unsafe.Add(ref nodes, root + i);
                    Unsafe.Add(ref direction, i) = GoesLeft(Unsafe.Add(ref x, node.Feature & TreeNode.FeatureMask), node);
                }
                tables.Add(t, directions, phi);
            }
        }
        else
        {
            var length = TreeShap.PathBufferLength(_maxDepth);
            var path = length <= StackScratchLimit / 4
                ? stackalloc PathElement[length]
                : (t_path is { } p && p.Length >= length ? p : t_path = new PathElement[length]).AsSpan(0, length);
            for (var t = 0; t < TreeCount; t++)
            {
                Recurse(row, phi, _roots[t], 0, path, 1, 1, -1);
            }
        }
        phi[FeatureCount] = _expectedMargin;
    }

    private double MarginOf(ReadOnlySpan<float> row)
    {
        ref var nodes = ref MemoryMarshal.GetArrayDataReference(_nodes);
        ref var x = ref MemoryMarshal.GetReference(row);
        var roots = _roots;
        var trees = _depths.Length;
        var sum = _baseMargin;
        var t = 0;
        // Eight trees at a time, each step without branches (leaves point to themselves, so a tree shallower than the
        // group's depth just stays at its leaf): eight independent chains of loads keep the processor busy where one
        // tree's walk would stall on each load and mispredicted comparison.
        for (; t + Group <= trees; t += Group)
        {
            int n0 = roots[t], n1 = roots[t + 1], n2 = roots[t + 2], n3 = roots[t + 3];
            int n4 = roots[t + 4], n5 = roots[t + 5], n6 = roots[t + 6], n7 = roots[t + 7];
            for (var d = _groupDepths[t / Group]; d > 0; d--)
            {
                n0 = Step(ref nodes, ref x, n0);
                n1 = Step(ref nodes, ref x, n1);
                n2 = Step(ref nodes, ref x, n2);
                n3 = Step(ref nodes, ref x, n3);
                n4 = Step(ref nodes, ref x, n4);
                n5 = Step(ref nodes, ref x, n5);
                n6 = Step(ref nodes, ref x, n6);
                n7 = Step(ref nodes, ref x, n7);
            }
            sum += Unsafe.Add(ref nodes, n0).LeafValue + Unsafe.Add(ref nodes, n1).LeafValue
                   + Unsafe.Add(ref nodes, n2).LeafValue + Unsafe.Add(ref nodes, n3).LeafValue
                   + Unsafe.Add(ref nodes, n4).LeafValue + Unsafe.Add(ref nodes, n5).LeafValue
                   + Unsafe.Add(ref nodes, n6).LeafValue + Unsafe.Add(ref nodes, n7).LeafValue;
        }
        for (; t < trees; t++)
        {
            var n = roots[t];
            for (var d = _depths[t]; d > 0; d--) n = Step(ref nodes, ref x, n);
            sum += Unsafe.Add(ref nodes, n).LeafValue;
        }
        return sum;
    }

    /// <summary>The child of node <paramref name="n"/> the row goes to, or <paramref name="n"/> itself at a leaf.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Step(ref TreeNode nodes, ref float x, int n)
    {
        ref readonly var node = ref Unsafe.Add(ref nodes, n);
        var left = GoesLeft(Unsafe.Add(ref x, node.Feature & TreeNode.FeatureMask), node);
        return node.Left + 1 - left;
    }

    /// <summary>1 when XGBoost sends <paramref name="x"/> left at <paramref name="node"/>: <c>x &lt; condition</c>, or
    /// x missing and the node's default branch is left; else 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte GoesLeft(float x, in TreeNode node)
    {
        // !(x >= condition) is x < condition for a number and true for NaN, which the second term then overrides
        // with the default branch; for a leaf (condition NaN, default left) it is always true.
        var left = !(x >= node.Condition) & (!float.IsNaN(x) | node.Feature < 0);
        return Unsafe.As<bool, byte>(ref left);
    }

    /// <summary>Algorithm 2's RECURSE, as XGBoost's <c>RegTree::TreeShap</c> with no conditioning.</summary>
    private void Recurse(ReadOnlySpan<float> row, Span<double> phi, int node, int depth, Span<PathElement> parentPath,
        double parentZero, double parentOne, int parentFeature)
    {
        var path = parentPath[(depth + 1)..];
        parentPath[..(depth + 1)].CopyTo(path);
        TreeShap.Extend(path, depth, parentZero, parentOne, parentFeature);

        var n = _nodes[node];
        if (n.IsLeaf(node))
        {
            for (var i = 1; i <= depth; i++)
            {
                var w = TreeShap.UnwoundSum(path, depth, i);
                phi[path[i].Feature] += w * (path[i].One - path[i].Zero) * n.LeafValue;
            }
            return;
        }

        var feature = n.Feature & TreeNode.FeatureMask;
        var hot = GoesLeft(row[feature], n) == 1 ? n.Left : n.Right;
        var cold = hot == n.Left ? n.Right : n.Left;
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
    /// depth of its deepest leaf.</summary>
    private double MeanValue(int node, int depth, out int maxDepth)
    {
        var n = _nodes[node];
        if (n.IsLeaf(node))
        {
            maxDepth = depth;
            return n.LeafValue;
        }
        var mean = MeanValue(n.Left, depth + 1, out var leftDepth) * _cover[n.Left]
                   + MeanValue(n.Right, depth + 1, out var rightDepth) * _cover[n.Right];
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

    /// <summary>The reachable nodes of a saved tree in breadth-first order, each split's two children adjacent (left
    /// first), so that a right child is always its left sibling + 1. Rejects links that do not form a tree.</summary>
    private static int[] BreadthFirstOrder(SavedTree tree, int t, int featureCount)
    {
        var n = tree.Left.Length;
        var seen = new bool[n];
        var order = new List<int>(n) { 0 };
        seen[0] = true;
        for (var i = 0; i < order.Count; i++)
        {
            var node = order[i];
            if (tree.Left[node] == -1) continue;
            if (tree.Features[node] < 0 || tree.Features[node] >= featureCount)
            {
                throw new InvalidDataException(
                    $"XGBoost model: tree {t} node {node} splits on feature {tree.Features[node]}, outside the model's {featureCount} features");
            }
            foreach (var (child, side) in new[] { (tree.Left[node], "left"), (tree.Right[node], "right") })
            {
                if (child < 0 || child >= n || seen[child])
                {
                    throw new InvalidDataException(
                        $"XGBoost model: tree {t} node {node} has {side} child {child}, which is outside [0, {n}) or already linked");
                }
                seen[child] = true;
                order.Add(child);
            }
        }
        return [.. order];
    }

    /// <summary>A node, 16 bytes: the absolute index of its left child (the right child is the next node; a leaf
    /// points to itself), the split feature with <see cref="MissingGoesLeft"/> set when missing values go left, the
    /// split condition, and a leaf's value.</summary>
    /// <remarks>A leaf has condition NaN and missing-goes-left set, so <see cref="GoesLeft"/> is 1 for any value and
    /// a walk that reaches a leaf stays there.</remarks>
    private readonly record struct TreeNode(int Left, int Feature, float Condition, float LeafValue)
    {
        public const int MissingGoesLeft = int.MinValue;
        public const int FeatureMask = int.MaxValue;

        public int Right => Left + 1;

        public static TreeNode Leaf(int self, float value) => new(self, MissingGoesLeft, float.NaN, value);

        public static TreeNode Split(int left, int feature, bool missingGoesLeft, float condition) =>
            new(left, missingGoesLeft ? feature | MissingGoesLeft : feature, condition, 0);

        public bool IsLeaf(int self) => Left == self;
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
        private readonly LeafEntry[] _leaves;
        private readonly PathStep[] _steps;
        private readonly int[] _features;
        private readonly double[] _values;

        private ShapTables(int[] treeLeafStart, LeafEntry[] leaves, PathStep[] steps, int[] features, double[] values)
        {
            _treeLeafStart = treeLeafStart;
            _leaves = leaves;
            _steps = steps;
            _features = features;
            _values = values;
        }

        /// <summary>Adds tree <paramref name="tree"/>'s contributions, given the direction the row takes at each of its
        /// nodes (1 = left, indexed from the tree's root).</summary>
        public void Add(int tree, ReadOnlySpan<byte> directions, Span<double> phi)
        {
            ref var steps = ref MemoryMarshal.GetArrayDataReference(_steps);
            ref var features = ref MemoryMarshal.GetArrayDataReference(_features);
            ref var values = ref MemoryMarshal.GetArrayDataReference(_values);
            ref var direction = ref MemoryMarshal.GetReference(directions);
            ref var contribution = ref MemoryMarshal.GetReference(phi);
            var end = _treeLeafStart[tree + 1];
            for (var l = _treeLeafStart[tree]; l < end; l++)
            {
                ref readonly var leaf = ref _leaves[l];
                var k = leaf.FeatureCount;
                // Clear the bit of each feature at whose split the row leaves the path.
                var mask = (1 << k) - 1;
                for (var s = leaf.StepStart; s < leaf.StepStart + leaf.StepCount; s++)
                {
                    ref readonly var step = ref Unsafe.Add(ref steps, s);
                    mask &= ~(step.Bit & -(Unsafe.Add(ref direction, step.Node) ^ step.Left));
                }
                var v = leaf.TableStart + mask * k;
                for (var j = 0; j < k; j++)
                {
                    Unsafe.Add(ref contribution, Unsafe.Add(ref features, leaf.FeatureStart + j)) += Unsafe.Add(ref values, v + j);
                }
            }
        }

        public static ShapTables? TryBuild(TreeEnsemble e, int budget)
        {
            // A first pass collects the paths and checks the budget before any table is computed.
            var leaves = new List<Leaf>();
            var treeLeafStart = new int[e.TreeCount + 1];
            var pathNodes = new List<(int Node, bool Left)>();
            for (var t = 0; t < e.TreeCount; t++)
            {
                treeLeafStart[t] = leaves.Count;
                CollectLeaves(e, t, e._roots[t], pathNodes, leaves);
            }
            treeLeafStart[e.TreeCount] = leaves.Count;
            long tableSize = 0;
            int stepTotal = 0, featureTotal = 0;
            foreach (var leaf in leaves)
            {
                var k = leaf.Features.Count;
                if (k > 24) return null;
                tableSize += (long)k << k;
                if (tableSize > budget) return null;
                stepTotal += leaf.Steps.Count;
                featureTotal += k;
            }

            var entries = new LeafEntry[leaves.Count];
            var steps = new PathStep[stepTotal];
            var features = new int[featureTotal];
            var values = new double[tableSize];
            Span<PathElement> path = stackalloc PathElement[e._maxDepth + 2];
            int s = 0, f = 0, v = 0;
            for (var l = 0; l < leaves.Count; l++)
            {
                var leaf = leaves[l];
                var k = leaf.Features.Count;
                entries[l] = new LeafEntry(s, leaf.Steps.Count, f, k, v);
                foreach (var (node, left, slot) in leaf.Steps) steps[s++] = new PathStep(node, left ? 1 : 0, 1 << slot);
                for (var j = 0; j < k; j++) features[f++] = leaf.Features[j];
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
            return new ShapTables(treeLeafStart, entries, steps, features, values);
        }

        private static void CollectLeaves(TreeEnsemble e, int tree, int node, List<(int Node, bool Left)> path, List<Leaf> leaves)
        {
            var n = e._nodes[node];
            if (!n.IsLeaf(node))
            {
                path.Add((node, true));
                CollectLeaves(e, tree, n.Left, path, leaves);
                path[^1] = (node, false);
                CollectLeaves(e, tree, n.Right, path, leaves);
                path.RemoveAt(path.Count - 1);
                return;
            }

            var root = e._roots[tree];
            var leaf = new Leaf(n.LeafValue);
            foreach (var (at, left) in path)
            {
                var parent = e._nodes[at];
                var feature = parent.Feature & TreeNode.FeatureMask;
                var slot = leaf.Features.IndexOf(feature);
                if (slot < 0)
                {
                    slot = leaf.Features.Count;
                    leaf.Features.Add(feature);
                    leaf.Zero.Add(1);
                }
                var child = left ? parent.Left : parent.Right;
                leaf.Zero[slot] *= e._cover[child] / e._cover[at];
                leaf.Steps.Add((at - root, left, slot));
            }
            leaves.Add(leaf);
        }

        /// <summary>A leaf's path steps, distinct features and table (2^FeatureCount rows of FeatureCount values).</summary>
        private readonly record struct LeafEntry(int StepStart, int StepCount, int FeatureStart, int FeatureCount, int TableStart);

        /// <summary>A split on a leaf's path: the node (relative to the root), 1 if the path goes left, and the mask bit
        /// of the node's feature.</summary>
        private readonly record struct PathStep(int Node, int Left, int Bit);

        private sealed class Leaf(double value)
        {
            public double Value { get; } = value;
            public List<int> Features { get; } = [];
            public List<double> Zero { get; } = [];
            public List<(int Node, bool Left, int Slot)> Steps { get; } = [];
        }
    }
}
