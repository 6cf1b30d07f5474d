namespace LeadML.Features.Trees;

/// <summary>
/// Cover for trees whose learner keeps none (ML.NET's FastTree): the training rows routed through each tree, as
/// <see cref="TreeEnsemble"/> routes a row it scores, summing the rows' weights at every node they pass.
/// </summary>
public static class TreeCover
{
    /// <summary>The trees with <see cref="SavedTree.Cover"/> replaced by the summed weight of the rows reaching each
    /// node. Rows are row-major, <paramref name="width"/> values each, NaN = missing.</summary>
    /// <param name="weights">A weight per row, or null for all 1.</param>
    /// <exception cref="ArgumentException">The rows are not a whole number of <paramref name="width"/> values, or
    /// the weights do not match them.</exception>
    /// <exception cref="InvalidDataException">A reachable node receives no row: TreeSHAP would divide by its zero
    /// cover. The message names the tree and node.</exception>
    public static List<SavedTree> Route(IReadOnlyList<SavedTree> trees, ReadOnlySpan<float> rowMajor, int width, ReadOnlySpan<float> weights = default)
    {
        ArgumentNullException.ThrowIfNull(trees);
        if (width < 1 || rowMajor.Length % width != 0)
        {
            throw new ArgumentException($"{rowMajor.Length} values are not whole rows of {width} features", nameof(rowMajor));
        }
        var rows = rowMajor.Length / width;
        if (!weights.IsEmpty && weights.Length != rows)
        {
            throw new ArgumentException($"{weights.Length} weights for {rows} rows", nameof(weights));
        }
        var result = new List<SavedTree>(trees.Count);
        for (var t = 0; t < trees.Count; t++)
        {
            var tree = trees[t];
            var cover = new double[tree.Left.Length];
            for (var r = 0; r < rows; r++)
            {
                var row = rowMajor.Slice(r * width, width);
                var w = weights.IsEmpty ? 1.0 : weights[r];
                var node = 0;
                cover[0] += w;
                while (!tree.IsLeaf(node))
                {
                    node = tree.Next(node, row);
                    cover[node] += w;
                }
            }
            for (var node = 0; node < cover.Length; node++)
            {
                if (!(cover[node] > 0))
                {
                    throw new InvalidDataException($"tree {t} node {node}: no training row reaches it, so it has no cover for TreeSHAP");
                }
            }
            result.Add(tree with { Cover = [.. cover.Select(c => (float)c)] });
        }
        return result;
    }
}
