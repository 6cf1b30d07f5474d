namespace LeadML.Features.Trees;

/// <summary>
/// The path bookkeeping of exact path-dependent TreeSHAP (Lundberg, Erion and Lee 2018, Algorithm 2), ported from
/// XGBoost 1.7's <c>tree_model.cc</c> (<c>ExtendPath</c>, <c>UnwindPath</c>, <c>UnwoundPathSum</c>) in double
/// precision. Both the recursive evaluator and the per-leaf tables of <see cref="TreeEnsemble"/> are built on it, so
/// they agree with the native <c>pred_contribs</c> (approx = false) up to float rounding.
/// </summary>
internal static class TreeShap
{
    /// <summary>The path buffer one recursion needs for trees of <paramref name="maxDepth"/>: each level copies the
    /// path of its parent, which is at most depth + 2 long (the root's dummy element included).</summary>
    public static int PathBufferLength(int maxDepth) => (maxDepth + 2) * (maxDepth + 3) / 2;

    public static void Extend(Span<PathElement> path, int depth, double zero, double one, int feature)
    {
        path[depth] = new PathElement { Feature = feature, Zero = zero, One = one, Weight = depth == 0 ? 1 : 0 };
        for (var i = depth - 1; i >= 0; i--)
        {
            path[i + 1].Weight += one * path[i].Weight * (i + 1) / (depth + 1);
            path[i].Weight = zero * path[i].Weight * (depth - i) / (depth + 1);
        }
    }

    public static void Unwind(Span<PathElement> path, int depth, int index)
    {
        var one = path[index].One;
        var zero = path[index].Zero;
        var nextOnePortion = path[depth].Weight;
        for (var i = depth - 1; i >= 0; i--)
        {
            if (one != 0)
            {
                var tmp = path[i].Weight;
                path[i].Weight = nextOnePortion * (depth + 1) / ((i + 1) * one);
                nextOnePortion = tmp - path[i].Weight * zero * (depth - i) / (depth + 1);
            }
            else
            {
                path[i].Weight = path[i].Weight * (depth + 1) / (zero * (depth - i));
            }
        }
        for (var i = index; i < depth; i++)
        {
            path[i].Feature = path[i + 1].Feature;
            path[i].Zero = path[i + 1].Zero;
            path[i].One = path[i + 1].One;
        }
    }

    public static double UnwoundSum(ReadOnlySpan<PathElement> path, int depth, int index)
    {
        var one = path[index].One;
        var zero = path[index].Zero;
        var nextOnePortion = path[depth].Weight;
        var total = 0.0;
        for (var i = depth - 1; i >= 0; i--)
        {
            if (one != 0)
            {
                var tmp = nextOnePortion * (depth + 1) / ((i + 1) * one);
                total += tmp;
                nextOnePortion = path[i].Weight - tmp * zero * ((depth - i) / (double)(depth + 1));
            }
            else if (zero != 0)
            {
                total += path[i].Weight / zero / ((depth - i) / (double)(depth + 1));
            }
        }
        return total;
    }
}
