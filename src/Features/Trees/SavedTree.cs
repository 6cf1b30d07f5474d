namespace LeadML.Features.Trees;

/// <summary>One tree as XGBoost's JSON model stores it: parallel arrays indexed by node id, node 0 the root, a child
/// of -1 marking a leaf, whose value sits in <see cref="Conditions"/>.</summary>
internal sealed record SavedTree(int[] Left, int[] Right, int[] Features, float[] Conditions, bool[] DefaultLeft, float[] Cover);
