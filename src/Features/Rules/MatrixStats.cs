namespace LeadML.Features.Rules;

/// <summary>One cell of the fit × engagement matrix on a set of scored leads.</summary>
/// <param name="Cell">The cell, e.g. "A2".</param>
/// <param name="Leads">Leads in the cell.</param>
/// <param name="Share">Their share of all leads (0–1).</param>
/// <param name="Conversions">How many of them converted.</param>
/// <param name="ConversionRate">Conversions per lead in the cell (0–1; 0 for an empty cell).</param>
public sealed record MatrixCell(string Cell, int Leads, double Share, int Conversions, double ConversionRate);

/// <summary>How scored leads fall into the cells of a rule set's fit × engagement matrix.</summary>
public static class MatrixStats
{
    /// <summary>The fit and engagement parts (0–100) of a sample's rows, by the rule set's criteria alone.</summary>
    /// <param name="evaluator">The compiled rule set.</param>
    /// <param name="x">Feature vectors, row after row (<paramref name="rows"/> × <paramref name="width"/>).</param>
    /// <param name="rows">How many rows.</param>
    /// <param name="width">Features per row.</param>
    public static (double[] Fit, double[] Engagement) Parts(RuleEvaluator evaluator, ReadOnlySpan<float> x, int rows, int width)
    {
        ArgumentNullException.ThrowIfNull(evaluator);
        var fit = new double[rows];
        var engagement = new double[rows];
        for (var i = 0; i < rows; i++)
        {
            var s = evaluator.Evaluate(x.Slice(i * width, width), explain: false);
            fit[i] = s.Fit;
            engagement[i] = s.Engagement;
        }
        return (fit, engagement);
    }

    /// <summary>Every cell of <paramref name="matrix"/> (A1 … D4), with its leads and conversion rate.</summary>
    /// <param name="matrix">The cut-offs.</param>
    /// <param name="fit">Fit parts, one per lead snapshot.</param>
    /// <param name="engagement">Engagement parts, one per lead snapshot.</param>
    /// <param name="y">Outcomes (1 converted, 0 not).</param>
    public static IReadOnlyList<MatrixCell> Of(FitEngagementMatrix matrix, double[] fit, double[] engagement, float[] y)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var leads = new Dictionary<string, (int Leads, int Conversions)>(StringComparer.Ordinal);
        for (var i = 0; i < y.Length; i++)
        {
            var cell = matrix.Cell(fit[i], engagement[i]);
            var (n, c) = leads.GetValueOrDefault(cell);
            leads[cell] = (n + 1, c + (y[i] > 0.5f ? 1 : 0));
        }
        return [.. matrix.Cells().Select(cell =>
        {
            var (n, c) = leads.GetValueOrDefault(cell);
            return new MatrixCell(cell, n, y.Length == 0 ? 0 : Math.Round((double)n / y.Length, 6), c, n == 0 ? 0 : Math.Round((double)c / n, 6));
        })];
    }

    /// <summary>
    /// Cut-offs suggested from the data: on each axis the lowest part reached by the top 20 % of leads (A, or 1), the
    /// top 50 % (B, 2) and the top 80 % (C, 3), rounded down to whole points; an axis without criteria has none.
    /// </summary>
    /// <param name="fit">Fit parts of the leads the cut-offs are chosen on (the validation period).</param>
    /// <param name="engagement">Their engagement parts.</param>
    /// <param name="hasFit">Whether the rule set has fit criteria.</param>
    /// <param name="hasEngagement">Whether it has engagement criteria.</param>
    public static FitEngagementMatrix Suggest(double[] fit, double[] engagement, bool hasFit, bool hasEngagement) =>
        new(hasFit ? Cuts(fit) : [], hasEngagement ? Cuts(engagement) : []);

    /// <summary>Shares of leads at or above the A/1, B/2 and C/3 cut-offs.</summary>
    public static readonly IReadOnlyList<double> TopShares = [0.2, 0.5, 0.8];

    private static List<double> Cuts(double[] parts)
    {
        if (parts.Length == 0) return [75, 50, 25];
        var sorted = parts.OrderDescending().ToArray();
        return [.. TopShares.Select(share => Math.Floor(sorted[Math.Clamp((int)Math.Ceiling(share * sorted.Length) - 1, 0, sorted.Length - 1)]))];
    }
}
