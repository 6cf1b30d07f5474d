using LeadML.Features.Monitoring;

namespace LeadML.Api.Monitoring;

/// <summary>PSI of one feature (or of the probability) over the live traffic seen so far.</summary>
public sealed record FeatureDrift(string Feature, double? Psi, string? Band, long Observed);

/// <summary>
/// The live distribution of every feature and of the model's probability for one bundle, counted into the bins of
/// the bundle's training-time reference (<see cref="DriftReference"/>). Lock-free counting; one instance per loaded
/// bundle, so a new bundle starts counting afresh while a new rule set keeps counting.
/// </summary>
public sealed class LiveDrift
{
    private readonly DriftReference _reference;
    private readonly long[][] _counts;
    private readonly long[] _probability;
    private long _observed;

    public LiveDrift(DriftReference reference)
    {
        _reference = reference;
        _counts = [.. reference.Bins.Select(b => new long[b.Count])];
        _probability = new long[reference.Probability.Count];
    }

    public long Observed => Interlocked.Read(ref _observed);

    /// <summary>Counts one scored feature vector and its probability.</summary>
    public void Observe(ReadOnlySpan<float> x, double probability)
    {
        for (var j = 0; j < _counts.Length && j < x.Length; j++)
        {
            Interlocked.Increment(ref _counts[j][_reference.Bins[j].BinOf(x[j])]);
        }
        Interlocked.Increment(ref _probability[_reference.Probability.BinOf((float)probability)]);
        Interlocked.Increment(ref _observed);
    }

    /// <summary>PSI per feature, largest first (null until something was observed).</summary>
    public IReadOnlyList<FeatureDrift> Features()
    {
        var result = new List<FeatureDrift>(_counts.Length);
        for (var j = 0; j < _counts.Length; j++) result.Add(Of(_reference.Features[j], _reference.Bins[j], _counts[j]));
        return [.. result.OrderByDescending(f => f.Psi ?? -1)];
    }

    /// <summary>PSI of the model's probability.</summary>
    public FeatureDrift Probability() => Of("probability", _reference.Probability, _probability);

    private static FeatureDrift Of(string name, PsiBins bins, long[] counts)
    {
        var c = new double[counts.Length];
        long total = 0;
        for (var k = 0; k < counts.Length; k++)
        {
            var n = Interlocked.Read(ref counts[k]);
            c[k] = n;
            total += n;
        }
        if (total == 0) return new FeatureDrift(name, null, null, 0);
        var psi = bins.Psi(c);
        return new FeatureDrift(name, Math.Round(psi, 6), PsiBins.Band(psi), total);
    }
}
