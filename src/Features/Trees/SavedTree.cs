namespace LeadML.Features.Trees;

/// <summary>One tree as XGBoost's JSON model stores it: parallel arrays indexed by node id, node 0 the root, a child
/// of -1 marking a leaf, whose value sits in <see cref="Conditions"/>. A row goes left at a split when
/// <c>x &lt; Conditions[node]</c> (float32), and a missing value (NaN) goes left when <see cref="DefaultLeft"/> is set.
/// <see cref="Cover"/> is the (weighted) amount of training data that reached each node, which exact TreeSHAP needs.</summary>
/// <param name="Left">Left child of each node, -1 for a leaf.</param>
/// <param name="Right">Right child of each node, -1 for a leaf.</param>
/// <param name="Features">The feature index a split compares (ignored for a leaf).</param>
/// <param name="Conditions">A split's threshold, or a leaf's value on the margin (log-odds) scale.</param>
/// <param name="DefaultLeft">Whether a missing value goes left at a split.</param>
/// <param name="Cover">The training data reaching each node; positive at every reachable node.</param>
public sealed record SavedTree(int[] Left, int[] Right, int[] Features, float[] Conditions, bool[] DefaultLeft, float[] Cover)
{
    /// <summary>Whether <paramref name="node"/> is a leaf.</summary>
    public bool IsLeaf(int node) => Left[node] == -1;

    /// <summary>The child of split <paramref name="node"/> that <paramref name="row"/> goes to: left when
    /// <c>x &lt; condition</c>, or x missing and the default branch is left.</summary>
    public int Next(int node, ReadOnlySpan<float> row)
    {
        var x = row[Features[node]];
        return (float.IsNaN(x) ? DefaultLeft[node] : x < Conditions[node]) ? Left[node] : Right[node];
    }
}
