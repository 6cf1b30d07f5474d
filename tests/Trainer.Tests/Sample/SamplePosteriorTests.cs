using LeadML.Features.Randomness;
using LeadML.Trainer.Sample;

namespace LeadML.Trainer.Tests.Sample;

/// <summary>The probabilities given the observable history: the integral they rest on, and a posterior that finds a
/// simulated lead's hidden engagement and cold state again from its events.</summary>
public sealed class SamplePosteriorTests
{
    [Theory]
    [InlineData(0, -3.0)]
    [InlineData(0, 2.0)]
    [InlineData(3, 0.5)]
    [InlineData(40, 3.5)]
    [InlineData(400, 6.2)]
    [InlineData(400, -1.0)]
    public void EngagementIntegral_MatchesABruteForceIntegral(int n, double u)
    {
        // ∫ exp(s n z − e^(u + s z)) φ(z) dz on a wide, fine grid, in logs to avoid overflow.
        const double s = SampleModel.EngagementSd, step = 1e-4;
        var terms = new List<double>();
        for (var z = -12.0; z <= 12; z += step) terms.Add(s * n * z - Math.Exp(u + s * z) - 0.5 * z * z);
        var top = terms.Max();
        var expected = top + Math.Log(terms.Sum(t => Math.Exp(t - top)) * step / Math.Sqrt(2 * Math.PI));

        Assert.Equal(expected, EngagementIntegral.Direct(n, u), 6);
        // The table, between its grid points, agrees with the direct computation.
        Assert.Equal(EngagementIntegral.Direct(n, u + 0.0137), EngagementIntegral.Log(n, u + 0.0137), 1e-3);
    }

    [Fact]
    public void Posterior_FindsTheEngagementOfAnActiveLead_AndThatItIsNotCold()
    {
        var (lead, _, seen, day) = Simulate(seed: 11, eventsPerDay: 2.0, cold: false);
        var post = SamplePosterior.Posterior(lead, seen, day);
        var rng = new Xoshiro256(5);
        var draws = Enumerable.Range(0, 2000).Select(_ => post.Draw(rng)).ToList();
        var logRate = draws.Average(d => Math.Log(d.EventsPerDay));
        Assert.InRange(logRate, Math.Log(2.0) - 0.25, Math.Log(2.0) + 0.25);
        // Going cold in the last few days would hardly show yet, so some doubt remains.
        var cold = ColdProbability(post, lead, day);
        Assert.True(cold < 0.15, $"cold probability {cold:F3}");
        Assert.InRange(draws.Count(d => d.Cold) / 2000.0, cold - 0.03, cold + 0.03);
    }

    [Fact]
    public void Posterior_SeesThatALeadSilentForMonthsWentCold()
    {
        var (lead, _, seen, day) = Simulate(seed: 12, eventsPerDay: 2.0, cold: true);
        var cold = ColdProbability(SamplePosterior.Posterior(lead, seen, day), lead, day);
        Assert.True(cold > 0.9, $"cold probability {cold:F3}");
    }

    [Fact]
    public void ObservableProbability_IsLowerForTheColdLead()
    {
        var (active, activeState, activeSeen, day) = Simulate(seed: 13, eventsPerDay: 2.0, cold: false);
        var (cold, coldState, coldSeen, _) = Simulate(seed: 13, eventsPerDay: 2.0, cold: true);
        var p = SamplePosterior.Probability(active, activeState, activeSeen, day, 90, 64, new Xoshiro256(1));
        var q = SamplePosterior.Probability(cold, coldState, coldSeen, day, 90, 64, new Xoshiro256(1));
        Assert.InRange(p, 0, 1);
        Assert.InRange(q, 0, 1);
        Assert.True(q < p, $"cold {q:F4} vs active {p:F4}");
    }

    /// <summary>The posterior probability that the lead is cold at the start of <paramref name="day"/>: the normalised
    /// weight of the cells whose cold day comes before it.</summary>
    private static double ColdProbability(SamplePosterior.LatentPosterior post, SampleLead lead, int day)
    {
        var days = day - (int)(lead.Created / 86_400);
        var top = post.Cells.Max(c => c.LogWeight);
        var all = post.Cells.Sum(c => Math.Exp(c.LogWeight - top));
        return post.Cells.Where(c => c.Cold < days).Sum(c => Math.Exp(c.LogWeight - top)) / all;
    }

    /// <summary>A lead created at the start of the history with the given engagement and a slow decay, simulated for
    /// 240 days without converting; a cold one goes cold on day 60 and stays cold.</summary>
    private static (SampleLead Lead, SampleLeadState State, ObservedHistory Seen, int Day) Simulate(ulong seed, double eventsPerDay, bool cold)
    {
        var rng = new Xoshiro256(seed);
        // A history of one second: the lead is created at second 0.
        var lead = SampleLead.Draw(rng.Fork(1), null, 1, 1.0).WithLatents(eventsPerDay, intent: 0, decayDays: 150);
        var state = SampleLeadState.Initial(lead.Created);
        var events = new List<SampleEvent>();
        var sim = rng.Fork(2);
        lead.SimulateDay(ref state, 0, lead.Created + 1, 86_400, sim, wholeDay: false, events);
        const int day = 240;
        for (var d = 1; d < day; d++)
        {
            // The cold state is set here rather than drawn (wholeDay: false skips the draw).
            state.Cold = cold && d >= 60;
            lead.SimulateDay(ref state, d, d * 86_400L, (d + 1) * 86_400L, sim, wholeDay: false, events);
        }
        return (lead, state, ObservedHistory.From(events), day);
    }
}
