namespace LeadML.Features.Trees;

/// <summary>One element of a TreeSHAP decision path: a feature with the fraction of training rows (zero) and of the
/// explained row (one, 0 or 1) that flow through its splits, and the permutation weight of the subsets of that size.</summary>
internal struct PathElement
{
    public int Feature;
    public double Zero;
    public double One;
    public double Weight;
}
