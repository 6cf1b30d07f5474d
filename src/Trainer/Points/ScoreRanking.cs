namespace LeadML.Trainer.Points;

/// <summary>
/// The ROC-AUC of many scorings of the same rows, as the compact table's greedy selection needs for every candidate
/// step: the same figure as <see cref="LeadML.Features.Evaluation.Metrics.RocAuc(double[], float[])"/> (ties share
/// their mid-rank), with the scores ordered by a radix sort of their bits instead of a comparison sort, in arrays kept
/// from one call to the next. One instance per thread.
/// </summary>
internal sealed class ScoreRanking
{
    private const int DigitBits = 11;
    private const int Digits = 1 << DigitBits;
    private const int Passes = (64 + DigitBits - 1) / DigitBits;

    private readonly bool[] _positive;
    private readonly long _positives;
    private ulong[] _keys;
    private ulong[] _spareKeys;
    private bool[] _labels;
    private bool[] _spareLabels;
    private readonly int[] _counts = new int[Passes * Digits];

    /// <param name="y">The rows' labels (converted above 0.5), the same for every scoring.</param>
    public ScoreRanking(float[] y)
    {
        _positive = [.. y.Select(v => v > 0.5f)];
        _positives = _positive.Count(p => p);
        _keys = new ulong[y.Length];
        _spareKeys = new ulong[y.Length];
        _labels = new bool[y.Length];
        _spareLabels = new bool[y.Length];
    }

    /// <summary>Every row's scores in this instance's own buffer, for the caller to fill before <see cref="Auc"/>.</summary>
    public double[] Scores => _scores ??= new double[_positive.Length];
    private double[]? _scores;

    /// <summary>The ROC-AUC of <see cref="Scores"/>; NaN with a single class or a NaN score.</summary>
    public double Auc()
    {
        var scores = Scores;
        var n = scores.Length;
        var negatives = n - _positives;
        if (_positives == 0 || negatives == 0) return double.NaN;
        var counts = _counts;
        Array.Clear(counts);
        for (var i = 0; i < n; i++)
        {
            var s = scores[i];
            if (double.IsNaN(s)) return double.NaN;
            // Order-preserving bits: −0 is 0 first, then negatives have every bit flipped and positives the sign bit.
            var bits = (ulong)BitConverter.DoubleToInt64Bits(s + 0.0);
            var key = (bits & 0x8000_0000_0000_0000UL) != 0 ? ~bits : bits | 0x8000_0000_0000_0000UL;
            _keys[i] = key;
            _labels[i] = _positive[i];
            for (var pass = 0; pass < Passes; pass++) counts[pass * Digits + (int)((key >> (pass * DigitBits)) & (Digits - 1))]++;
        }
        for (var pass = 0; pass < Passes; pass++)
        {
            var shift = pass * DigitBits;
            var offset = pass * Digits;
            // A digit every key shares leaves the order as it is.
            if (counts[offset + (int)((_keys[0] >> shift) & (Digits - 1))] == n) continue;
            var at = 0;
            for (var d = 0; d < Digits; d++)
            {
                var c = counts[offset + d];
                counts[offset + d] = at;
                at += c;
            }
            for (var i = 0; i < n; i++)
            {
                var key = _keys[i];
                var to = counts[offset + (int)((key >> shift) & (Digits - 1))]++;
                _spareKeys[to] = key;
                _spareLabels[to] = _labels[i];
            }
            (_keys, _spareKeys) = (_spareKeys, _keys);
            (_labels, _spareLabels) = (_spareLabels, _labels);
        }
        // Ranks start + 1 … end of a group of equal scores share their average, as in Metrics.RocAuc.
        var positiveRankSum = 0.0;
        var start = 0;
        while (start < n)
        {
            var end = start;
            var groupPositives = 0;
            while (end < n && _keys[end] == _keys[start])
            {
                if (_labels[end]) groupPositives++;
                end++;
            }
            positiveRankSum += groupPositives * ((start + 1.0 + end) / 2.0);
            start = end;
        }
        return (positiveRankSum - _positives * (_positives + 1) / 2.0) / ((double)_positives * negatives);
    }
}
