using System.ComponentModel.DataAnnotations;

namespace LeadML.Trainer.Sample;

/// <summary>Settings of the synthetic history written by <see cref="SampleGenerator"/>.</summary>
internal sealed record SampleOptions
{
    /// <summary>Number of leads created over the history (default 20,000: about 2,000 conversions in the year, enough
    /// history for the trainer to recover every true effect; with 8,000 the rarer behaviours, such as e-mail bounces,
    /// rest on too few leads, see BENCHMARKS.md).</summary>
    [Range(1, 10_000_000)]
    public int Leads { get; init; } = 20_000;

    /// <summary>Length of the history in calendar months from <see cref="Start"/> (default 12). Must leave room
    /// for at least one 90-day horizon after the first month.</summary>
    [Range(5, 120)]
    public int Months { get; init; } = 12;

    /// <summary>First instant of the history: a UTC midnight (default 2025-01-01).</summary>
    public DateTime Start { get; init; } = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Random seed: the same seed and options give byte-identical files (default 42).</summary>
    public ulong Seed { get; init; } = 42;

    /// <summary>Multiplies every pre- and post-conversion event rate (default 1: about 45 events per lead).</summary>
    [Range(0.01, 1000)]
    public double ActivityScale { get; init; } = 1.0;

    /// <summary>Whether to write <c>truth-probabilities.csv</c> (Monte Carlo true probabilities; default true).</summary>
    public bool TruthProbabilities { get; init; } = true;

    /// <summary>Simulated futures per lead and cut-off for the true probabilities (default 64).</summary>
    [Range(1, 100_000)]
    public int TruthReplicates { get; init; } = 64;

    /// <summary>Most leads whose true probabilities are estimated (default 50,000): with more leads, every k-th lead
    /// (in creation order) is, so that a million-lead history is written in minutes. The Monte Carlo costs about
    /// 100 times a lead's own simulation.</summary>
    [Range(1, 10_000_000)]
    public int TruthLeads { get; init; } = 50_000;

    /// <summary>Number of month-start cut-offs, the latest whose 90-day horizon ends by the end of the history,
    /// at which true probabilities are estimated (default 5).</summary>
    [Range(1, 120)]
    public int TruthCutoffs { get; init; } = 5;
}
