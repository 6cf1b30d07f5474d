using System.Collections.Concurrent;
using LeadML.Features.Randomness;
using static LeadML.Trainer.Sample.SampleModel;

namespace LeadML.Trainer.Sample;

/// <summary>What a model can see of a lead's activity at a cut-off: the day (since the start of the history) and the
/// channel (<see cref="SampleModel.Channels"/>) of each event before it.</summary>
internal sealed record ObservedHistory(int[] Days, int[] Channels)
{
    private static readonly Dictionary<(string Type, string? Detail), int> ChannelOf = BuildChannelOf();

    /// <summary>The pre-conversion <paramref name="events"/> of a lead, all before the cut-off.</summary>
    public static ObservedHistory From(List<SampleEvent> events)
    {
        var days = new int[events.Count];
        var channels = new int[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            days[i] = (int)(events[i].Second / 86_400);
            channels[i] = ChannelOf[(events[i].Type, events[i].Detail)];
        }
        return new ObservedHistory(days, channels);
    }

    private static Dictionary<(string, string?), int> BuildChannelOf()
    {
        var map = new Dictionary<(string, string?), int>();
        for (var c = 0; c < SampleModel.Channels.Length; c++)
        {
            var ch = SampleModel.Channels[c];
            if (ch.Details.Length == 0) map[(ch.Type, null)] = c;
            foreach (var d in ch.Details) map[(ch.Type, d)] = c;
        }
        return map;
    }
}

/// <summary>
/// The probability of converting within the horizon given only what a model can observe at the cut-off: the lead's
/// attributes and its events so far. The generator's hidden quantities — the engagement multiplier
/// (e<sup>0.8 z</sup>, z ~ N(0, 1)), the intent (z ~ N(0, 1)), the decay (20–150 days) and the day the lead went cold
/// (if it did) — are weighed by how well they explain the observed events (a Poisson stream per channel), and the next
/// days are simulated from draws of that posterior. Decay, cold day and intent are taken on a grid (10-day decay
/// cells, every day for the cold day, 16 intent points); the engagement is integrated numerically. The conversion
/// hazard depends on observable quantities only, so not having converted by the cut-off says nothing more about the
/// hidden ones. An e-mail dropped because an unsubscribe came earlier the same day is not modelled (rare).
/// <para>These probabilities are the fair ceiling for a model of the history; the ones of
/// <see cref="SampleTruth.Probability"/>, which start from the hidden state itself, are an oracle's.</para>
/// </summary>
internal static class SamplePosterior
{
    private const double SecondsPerDay = 86_400;
    private const double DecayCellDays = 10;
    private static readonly double[] DecayMid =
        [.. Enumerable.Range(0, (int)((MaxDecayDays - MinDecayDays) / DecayCellDays)).Select(c => MinDecayDays + DecayCellDays * (c + 0.5))];
    private const double IntentStep = 0.5;
    private static readonly double[] IntentZ = [.. Enumerable.Range(0, 16).Select(i => -3.75 + IntentStep * i)];
    private static readonly double[] IntentLogPrior = LogNormalWeights(IntentZ);
    private static readonly double LogCold = Math.Log(ColdFactor);
    private static readonly bool[] IsEmail = [.. SampleModel.Channels.Select(c => c.Email)];
    private static readonly bool[] EndsEmail = [.. SampleModel.Channels.Select(c => c.Signal is SampleSignal.Unsubscribe or SampleSignal.Bounce)];

    /// <summary>The probability that <paramref name="lead"/>, seen as <paramref name="seen"/> at the start of
    /// <paramref name="day"/> (its observable <paramref name="state"/>), converts within <paramref name="horizonDays"/>
    /// days: the mean over <paramref name="replicates"/> futures, each from its own draw of the hidden quantities.</summary>
    public static double Probability(
        SampleLead lead, SampleLeadState state, ObservedHistory seen, int day, int horizonDays, int replicates, Xoshiro256 rng)
    {
        var post = Posterior(lead, seen, day);
        var sum = 0.0;
        for (var r = 0; r < replicates; r++)
        {
            var (eventsPerDay, intent, decay, cold) = post.Draw(rng);
            var s = state;
            s.Cold = cold;
            sum += SampleTruth.Probability(lead.WithLatents(eventsPerDay, intent, decay), s, day, horizonDays, 1, rng);
        }
        return sum / replicates;
    }

    /// <summary>The posterior over the hidden quantities of <paramref name="lead"/> at the start of
    /// <paramref name="day"/>, given its events before it.</summary>
    internal static LatentPosterior Posterior(SampleLead lead, ObservedHistory seen, int day)
    {
        var firstDay = (int)(lead.Created / SecondsPerDay);
        var days = day - firstDay;
        var fit = lead.FitLogHazard - BaseLogHazard;
        var baseRate = lead.ActivityScale * BaseEventsPerDay * Math.Exp(EngagementFitSlope * fit);

        // Exposure (share of each day the lead existed), age at the day's start, reachability by e-mail at its start.
        var exposure = new double[days];
        var age = new double[days];
        exposure[0] = Math.Max(0, (firstDay + 1) * SecondsPerDay - lead.Created - 1) / SecondsPerDay;
        for (var d = 1; d < days; d++)
        {
            exposure[d] = 1;
            age[d] = ((firstDay + d) * SecondsPerDay - lead.Created) / SecondsPerDay;
        }
        var unreachableFrom = days;
        var counts = new int[SampleModel.Channels.Length];
        var eventsFrom = new int[days + 1]; // events on day offsets ≥ d
        foreach (var (d, c) in seen.Days.Zip(seen.Channels))
        {
            var offset = d - firstDay;
            if (EndsEmail[c]) unreachableFrom = Math.Min(unreachableFrom, offset + 1);
            counts[c]++;
            eventsFrom[offset]++;
        }
        for (var d = days - 1; d >= 0; d--) eventsFrom[d] += eventsFrom[d + 1];
        var n = seen.Days.Length;

        // Intent: the channel mix of the events, and the share of the activity left once e-mail is unreachable.
        var intentLog = new double[IntentZ.Length];
        var noEmailShare = new double[IntentZ.Length];
        for (var i = 0; i < IntentZ.Length; i++)
        {
            var w = lead.ChannelShares(IntentFitSlope * fit + IntentSd * IntentZ[i]);
            intentLog[i] = IntentLogPrior[i];
            for (var c = 0; c < w.Length; c++)
            {
                if (counts[c] > 0) intentLog[i] += counts[c] * Math.Log(w[c]);
                if (!IsEmail[c]) noEmailShare[i] += w[c];
            }
        }

        // Cold from day offset k (1 … days − 1: the whole days before the cut-off) or not by the cut-off (k = days).
        var coldLogPrior = new double[days + 1];
        for (var k = 1; k < days; k++) coldLogPrior[k] = (k - 1) * Math.Log(1 - ColdPerDay) + Math.Log(ColdPerDay);
        coldLogPrior[days] = Math.Max(0, days - 1) * Math.Log(1 - ColdPerDay);

        var separable = unreachableFrom >= days;
        var cells = new List<LatentCell>();
        var reach = new double[days + 1];
        var unreach = new double[days + 1];
        var decayLogPrior = -Math.Log(DecayMid.Length);
        for (var t = 0; t < DecayMid.Length; t++)
        {
            var tau = DecayMid[t];
            var eventLog = 0.0;
            foreach (var d in seen.Days) eventLog += Math.Log(Decay(age[d - firstDay], tau));
            for (var d = 0; d < days; d++)
            {
                var g = Decay(age[d], tau) * exposure[d];
                reach[d + 1] = reach[d] + (d < unreachableFrom ? g : 0);
                unreach[d + 1] = unreach[d] + (d < unreachableFrom ? 0 : g);
            }
            var k0 = days > 1 ? 1 : days;
            for (var k = k0; k <= days; k++)
            {
                // Expected events per unit of the engagement rate: full rate before day k, ColdFactor × after.
                var r = reach[k] + ColdFactor * (reach[days] - reach[k]);
                var u = unreach[k] + ColdFactor * (unreach[days] - unreach[k]);
                var logPrior = decayLogPrior + coldLogPrior[k] + eventLog + eventsFrom[k] * LogCold;
                if (separable)
                {
                    var logRate = Math.Log(baseRate * r);
                    cells.Add(new LatentCell(t, k, -1, logPrior + EngagementIntegral.Log(n, logRate), logRate));
                }
                else
                {
                    for (var i = 0; i < IntentZ.Length; i++)
                    {
                        var logRate = Math.Log(baseRate * (r + noEmailShare[i] * u));
                        cells.Add(new LatentCell(t, k, i, logPrior + intentLog[i] + EngagementIntegral.Log(n, logRate), logRate));
                    }
                }
            }
        }
        return new LatentPosterior(cells, separable ? intentLog : null, n, days, baseRate, fit);
    }

    private static double Decay(double age, double tau) => DecayFloor + (1 - DecayFloor) * Math.Exp(-age / tau);

    private static double[] LogNormalWeights(double[] z)
    {
        var log = z.Select(v => -0.5 * v * v).ToArray();
        var norm = Math.Log(log.Sum(Math.Exp));
        return [.. log.Select(v => v - norm)];
    }

    /// <summary>One cell of the grid: decay cell, cold day offset (the number of days before the cut-off when not
    /// cold), intent point (−1 when the intent is drawn on its own), log posterior weight, and the log of the expected
    /// event count at the engagement multiplier 1.</summary>
    internal readonly record struct LatentCell(int Decay, int Cold, int Intent, double LogWeight, double LogRate);

    /// <summary>Grid cells of (decay, cold day, intent) with their log posterior weights; the engagement is drawn
    /// given the cell.</summary>
    internal sealed class LatentPosterior
    {
        private readonly double[] _cumulative;
        private readonly double[]? _intentCumulative;
        private readonly int _events, _days;
        private readonly double _baseRate, _fit;

        /// <summary>The grid's cells with their log posterior weights (not normalised).</summary>
        public IReadOnlyList<LatentCell> Cells { get; }

        public LatentPosterior(List<LatentCell> cells, double[]? intentLog, int events, int days, double baseRate, double fit)
        {
            Cells = cells;
            _cumulative = Cumulative([.. cells.Select(c => c.LogWeight)]);
            _intentCumulative = intentLog is null ? null : Cumulative(intentLog);
            _events = events;
            _days = days;
            _baseRate = baseRate;
            _fit = fit;
        }

        private static double[] Cumulative(double[] logWeights)
        {
            var max = logWeights.Max();
            var c = new double[logWeights.Length];
            var sum = 0.0;
            for (var i = 0; i < c.Length; i++) c[i] = sum += Math.Exp(logWeights[i] - max);
            for (var i = 0; i < c.Length; i++) c[i] /= sum;
            return c;
        }

        private static int Pick(double[] cumulative, Xoshiro256 rng)
        {
            var i = Array.BinarySearch(cumulative, rng.NextDouble());
            return Math.Min(i < 0 ? ~i : i, cumulative.Length - 1);
        }

        /// <summary>One draw: events a day when new, intent, decay days, cold at the cut-off.</summary>
        public (double EventsPerDay, double Intent, double DecayDays, bool Cold) Draw(Xoshiro256 rng)
        {
            var cell = Cells[Pick(_cumulative, rng)];
            var intentIndex = cell.Intent >= 0 ? cell.Intent : Pick(_intentCumulative!, rng);
            var z = EngagementIntegral.Draw(_events, cell.LogRate, rng);
            var intentZ = IntentZ[intentIndex] + IntentStep * (rng.NextDouble() - 0.5);
            var decay = DecayMid[cell.Decay] + DecayCellDays * (rng.NextDouble() - 0.5);
            return (_baseRate * Math.Exp(EngagementSd * z), IntentFitSlope * _fit + IntentSd * intentZ, decay, cell.Cold < _days);
        }
    }
}

/// <summary>
/// log ∫ exp(s·n·z − e^(u + s·z)) φ(z) dz with s = <see cref="SampleModel.EngagementSd"/>: the likelihood of
/// <c>n</c> events when their expected number is e^(u + s·z) and z ~ N(0, 1) (up to a factor that does not depend on
/// the hidden quantities). Computed around the integrand's mode (log-concave) on a fine grid, tabulated per n.
/// </summary>
internal static class EngagementIntegral
{
    private const double S = EngagementSd;
    private const double UMin = -25, UMax = 12, UStep = 0.02;
    private const double TStep = 0.25, TMax = 8;
    private static readonly ConcurrentDictionary<int, double[]> Table = new();

    /// <summary>The integral's log, interpolated in u from the table of n.</summary>
    public static double Log(int n, double u)
    {
        if (!(u > UMin && u < UMax - UStep)) return Direct(n, u);
        var row = Table.GetOrAdd(n, Row);
        var x = (u - UMin) / UStep;
        var i = (int)x;
        var f = x - i;
        return row[i] + f * (row[i + 1] - row[i]);
    }

    private static double[] Row(int n)
    {
        var row = new double[(int)((UMax - UMin) / UStep) + 1];
        for (var i = 0; i < row.Length; i++) row[i] = Direct(n, UMin + i * UStep);
        return row;
    }

    private static double H(int n, double u, double z) => S * n * z - Math.Exp(u + S * z) - 0.5 * z * z;

    /// <summary>The mode of the integrand and the scale of its curvature there.</summary>
    internal static (double Mode, double Scale) Mode(int n, double u)
    {
        // h'(z) = s n − s e^(u + s z) − z falls from +∞ to −∞: Newton inside a bracket.
        // Start where the expected count meets the observed one (the prior's pull aside): from far above the mode,
        // Newton steps on the exponential would be short.
        double lo = -10 - Math.Abs(u) / S, hi = S * n + 1;
        var z = Math.Clamp((Math.Log(n + 0.5) - u) / S, lo + 1e-9, hi - 1e-9);
        for (var iteration = 0; iteration < 200; iteration++)
        {
            var e = Math.Exp(u + S * z);
            var d1 = S * n - S * e - z;
            if (d1 > 0) lo = z; else hi = z;
            var d2 = -S * S * e - 1;
            var next = z - d1 / d2;
            if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
            if (Math.Abs(next - z) < 1e-12) { z = next; break; }
            z = next;
        }
        return (z, 1 / Math.Sqrt(S * S * Math.Exp(u + S * z) + 1));
    }

    internal static double Direct(int n, double u)
    {
        var (mode, scale) = Mode(n, u);
        var top = H(n, u, mode);
        var sum = 0.0;
        for (var t = -TMax; t <= TMax + 1e-9; t += TStep) sum += Math.Exp(H(n, u, mode + scale * t) - top);
        return top + Math.Log(sum * TStep * scale / Math.Sqrt(2 * Math.PI));
    }

    /// <summary>A draw of z from the normalised integrand (grid point plus a uniform jitter within its step).</summary>
    public static double Draw(int n, double u, Xoshiro256 rng)
    {
        var (mode, scale) = Mode(n, u);
        var top = H(n, u, mode);
        var steps = (int)Math.Round(2 * TMax / TStep) + 1;
        Span<double> cumulative = stackalloc double[steps];
        var sum = 0.0;
        for (var i = 0; i < steps; i++) cumulative[i] = sum += Math.Exp(H(n, u, mode + scale * (-TMax + i * TStep)) - top);
        var target = rng.NextDouble() * sum;
        var k = 0;
        while (k < steps - 1 && cumulative[k] < target) k++;
        return mode + scale * (-TMax + (k + rng.NextDouble() - 0.5) * TStep);
    }
}
