using LeadML.Features.Monitoring;

namespace LeadML.Api.Monitoring;

/// <summary>
/// The live distribution of every feature and of the model's probability for one bundle, counted into the bins of
/// the bundle's training-time reference (<see cref="DriftReference"/>). One instance per loaded bundle, so a new bundle
/// starts counting afresh while a new rule set keeps counting.
/// </summary>
/// <remarks>
/// Every scored lead touches one counter per feature, so the counters are kept per thread and summed when read: shared
/// counters incremented with <see cref="Interlocked"/> by both cores took more CPU than scoring itself (the cache lines
/// of the busiest bins moving between cores on every lead).
/// </remarks>
public sealed class LiveDrift
{
    private readonly DriftReference _reference;
    private readonly PsiBins[] _bins;
    private readonly ThreadLocal<Shard> _shards;

    public LiveDrift(DriftReference reference)
    {
        _reference = reference;
        _bins = [.. reference.Bins];
        _shards = new ThreadLocal<Shard>(() => new Shard(reference), trackAllValues: true);
    }

    public long Observed
    {
        get
        {
            long total = 0;
            foreach (var shard in _shards.Values) total += Volatile.Read(ref shard.Observed);
            return total;
        }
    }

    /// <summary>Counts one scored feature vector and its probability.</summary>
    public void Observe(ReadOnlySpan<float> x, double probability)
    {
        var shard = _shards.Value!;
        var counts = shard.Counts;
        var bins = _bins;
        for (var j = 0; j < counts.Length && j < x.Length; j++)
        {
            var c = counts[j];
            var k = bins[j].BinOf(x[j]);
            Volatile.Write(ref c[k], c[k] + 1);
        }
        var p = _reference.Probability.BinOf((float)probability);
        Volatile.Write(ref shard.Probability[p], shard.Probability[p] + 1);
        Volatile.Write(ref shard.Observed, shard.Observed + 1);
    }

    /// <summary>One thread's counters: only that thread writes them, any thread may read them.</summary>
    private sealed class Shard(DriftReference reference)
    {
        public readonly long[][] Counts = [.. reference.Bins.Select(b => new long[b.Count])];
        public readonly long[] Probability = new long[reference.Probability.Count];
        public long Observed;
    }

    /// <summary>PSI per feature, largest first (null until something was observed).</summary>
    public IReadOnlyList<FeatureDrift> Features()
    {
        var shards = _shards.Values;
        var result = new List<FeatureDrift>(_bins.Length);
        for (var j = 0; j < _bins.Length; j++) result.Add(Of(_reference.Features[j], _bins[j], shards.Select(s => s.Counts[j])));
        return [.. result.OrderByDescending(f => f.Psi ?? -1)];
    }

    /// <summary>PSI of the model's probability.</summary>
    public FeatureDrift Probability() => Of("probability", _reference.Probability, _shards.Values.Select(s => s.Probability));

    private static FeatureDrift Of(string name, PsiBins bins, IEnumerable<long[]> shards)
    {
        var c = new double[bins.Count];
        long total = 0;
        foreach (var counts in shards)
        {
            for (var k = 0; k < c.Length; k++)
            {
                var n = Volatile.Read(ref counts[k]);
                c[k] += n;
                total += n;
            }
        }
        if (total == 0) return new FeatureDrift(name, null, null, 0);
        var psi = bins.Psi(c);
        return new FeatureDrift(name, Math.Round(psi, 6), PsiBins.Band(psi), total);
    }
}
