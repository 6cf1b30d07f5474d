using LeadML.Features.Featurization;

namespace LeadML.Trainer.Points;

/// <summary>
/// The model's contributions as <see cref="PointsBuilder"/> reads them: per row, the sum over each criterion family's
/// features (<see cref="Families.Of"/> order), and the bias's mean. Filled a chunk of rows at a time, so that the
/// contributions of every feature (rows × (features + 1) values) need not be held at once.
/// </summary>
internal sealed class FamilyContributions
{
    private readonly IReadOnlyList<Family> _families;
    private readonly int _width;
    private double _biasSum;

    public FamilyContributions(FeatureSpec spec, int rows)
    {
        _families = Families.Of(spec);
        _width = spec.Features.Count;
        Phi = [.. _families.Select(_ => new double[rows])];
    }

    /// <summary>Per family, each row's summed contribution.</summary>
    public double[][] Phi { get; }

    public int Rows => Phi.Length == 0 ? 0 : Phi[0].Length;

    /// <summary>The bias column's mean over the rows.</summary>
    public double BiasMean => Rows == 0 ? 0 : _biasSum / Rows;

    /// <summary>Adds the contributions of rows <paramref name="start"/> on (row-major, one column per feature plus the
    /// bias); chunks come in row order.</summary>
    public void Add(int start, ReadOnlyMemory<double> contributions)
    {
        var c = contributions.Span;
        var rows = c.Length / (_width + 1);
        for (var f = 0; f < _families.Count; f++)
        {
            var p = Phi[f];
            foreach (var j in _families[f].Features)
            {
                for (var i = 0; i < rows; i++) p[start + i] += c[i * (_width + 1) + j];
            }
        }
        for (var i = 0; i < rows; i++) _biasSum += c[i * (_width + 1) + _width];
    }

    /// <summary>Sums a whole matrix of contributions.</summary>
    public static FamilyContributions Of(FeatureSpec spec, int rows, double[] contributions)
    {
        var sums = new FamilyContributions(spec, rows);
        sums.Add(0, contributions);
        return sums;
    }
}
