namespace LeadML.Features.Monitoring;

/// <summary>The training-time distribution of every feature and of the model's probability, saved in the bundle
/// (<c>drift-reference.json</c>) so that the Api can measure drift of live traffic against it.</summary>
public sealed record DriftReference(IReadOnlyList<string> Features, IReadOnlyList<PsiBins> Bins, PsiBins Probability, int Rows)
{
    public const string FileName = "drift-reference.json";

    /// <summary>Bins of every column of row-major <paramref name="x"/> and of the probabilities.</summary>
    public static DriftReference Build(IReadOnlyList<string> features, ReadOnlySpan<float> x, int rows, double[] probabilities)
    {
        var width = features.Count;
        var column = new float[rows];
        var bins = new List<PsiBins>(width);
        for (var j = 0; j < width; j++)
        {
            for (var i = 0; i < rows; i++) column[i] = x[i * width + j];
            bins.Add(PsiBins.From(column));
        }
        var p = probabilities.Select(v => (float)v).ToArray();
        return new DriftReference(features, bins, PsiBins.From(p), rows);
    }
}
