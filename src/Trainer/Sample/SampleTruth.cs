using LeadML.Features.Featurization;
using LeadML.Features.Randomness;
using static LeadML.Trainer.Sample.SampleModel;

namespace LeadML.Trainer.Sample;

/// <summary>One true effect on the conversion hazard, named by the feature that measures it.</summary>
internal sealed record TruthEffect
{
    /// <summary>The feature name (<see cref="FeatureNames"/>), e.g. <c>attr.job_title=Student</c>.</summary>
    public required string Feature { get; init; }

    /// <summary><c>level</c> (a category level, against the zero-effect levels), <c>flag</c> (value 1),
    /// <c>atLeast</c> / <c>below</c> (the feature compared with <see cref="Threshold"/>), or <c>perUnit</c>
    /// (<see cref="LogOdds"/> for every <see cref="Per"/> units of the feature, up to <see cref="Cap"/> units).</summary>
    public required string Kind { get; init; }

    /// <summary>Change of the log hazard (for a rare outcome, of the log-odds of converting within the horizon).</summary>
    public required double LogOdds { get; init; }

    /// <summary><c>positive</c> or <c>negative</c>.</summary>
    public string Sign => LogOdds > 0 ? "positive" : "negative";

    public double? Threshold { get; init; }
    public double? Per { get; init; }
    public double? Cap { get; init; }

    /// <summary>The feature whose value stands for this one when it is missing: for days without activity, the
    /// lead's age when it never had any (the generator counts idle days from the creation then).</summary>
    public string? MissingAs { get; init; }

    /// <summary>The effect in a marketer's words.</summary>
    public required string Description { get; init; }
}

/// <summary>Summary of <c>truth-probabilities.csv</c>.</summary>
/// <param name="File">Its file name.</param>
/// <param name="Cutoffs">The cut-offs (UTC month starts).</param>
/// <param name="HorizonDays">Conversion within this many days after a cut-off counts.</param>
/// <param name="Replicates">Simulated futures per lead and cut-off.</param>
/// <param name="Rows">Lead × cut-off rows.</param>
/// <param name="MeanProbability">Mean true probability.</param>
/// <param name="RealisedRate">Share of the rows whose lead did convert within the horizon.</param>
/// <param name="RocAuc">ROC-AUC of the true probabilities against the realised outcomes: an oracle's, which knows each
/// lead's hidden engagement, intent, decay and cold state.</param>
internal sealed record TruthProbabilitySummary(
    string File, IReadOnlyList<DateTime> Cutoffs, int HorizonDays, int Replicates, int Rows,
    double MeanProbability, double RealisedRate, double RocAuc)
{
    /// <summary>Mean of the probabilities given only the observable history (<see cref="SamplePosterior"/>).</summary>
    public double ObservableMeanProbability { get; init; }

    /// <summary>Their ROC-AUC against the realised outcomes: the best a model of the history can hope for.</summary>
    public double ObservableRocAuc { get; init; }
}

/// <summary>The content of <c>truth.json</c>.</summary>
internal sealed record TruthFile
{
    public required string Description { get; init; }
    public required ulong Seed { get; init; }
    public required DateTime HistoryStart { get; init; }
    public required DateTime HistoryEnd { get; init; }
    /// <summary>Log conversion hazard per day with no effect at all.</summary>
    public required double BaseLogHazardPerDay { get; init; }
    public required IReadOnlyList<TruthEffect> Effects { get; init; }
    /// <summary>Features (or, without a statistic suffix, every feature of a channel) that are generated but have no
    /// effect and are not driven by the latent intent.</summary>
    public required IReadOnlyList<string> ZeroEffectFeatures { get; init; }
    /// <summary>Features with no term in the hazard that are driven by the latent intent, so they predict
    /// conversion through the behaviour they come with.</summary>
    public required IReadOnlyList<string> NoDirectEffectFeatures { get; init; }
    /// <summary>Event types that occur only after a conversion: a model must never learn from them.</summary>
    public required IReadOnlyList<string> PostConversionOnlyEventTypes { get; init; }
    public TruthProbabilitySummary? TruthProbabilities { get; init; }
}

/// <summary>Builds <c>truth.json</c> from <see cref="SampleModel"/> and estimates true probabilities.</summary>
internal static class SampleTruth
{
    public const string Description =
        "True effects of the generator on the daily conversion hazard: hazard = exp(baseLogHazardPerDay + sum of effects), "
        + "the behavioural effects taken at the start of each day from the events of the days before it. "
        + "logOdds is the log hazard ratio, close to the change in log-odds of converting within the horizon.";

    public static IReadOnlyList<TruthEffect> Effects()
    {
        var effects = new List<TruthEffect>();
        void Levels(string column, SampleLevel[] levels)
        {
            foreach (var l in levels.Where(l => l.Effect != 0))
            {
                effects.Add(new TruthEffect
                {
                    Feature = FeatureNames.Category(column, l.Value), Kind = "level", LogOdds = l.Effect,
                    Description = $"{column} = {l.Value}",
                });
            }
        }
        Levels(Industry, Industries);
        Levels(Country, Countries);
        Levels(JobTitle, JobTitles);
        effects.Add(new TruthEffect
        {
            Feature = FeatureNames.Attribute(CompanySize), Kind = "atLeast", Threshold = LargeCompany, LogOdds = LargeCompanyEffect,
            Description = $"{LargeCompany} employees or more",
        });
        effects.Add(new TruthEffect
        {
            Feature = FeatureNames.Attribute(CompanySize), Kind = "below", Threshold = SmallCompany, LogOdds = SmallCompanyEffect,
            Description = $"fewer than {SmallCompany} employees",
        });
        effects.Add(new TruthEffect
        {
            Feature = FeatureNames.Attribute(BudgetKnown), Kind = "flag", LogOdds = BudgetKnownEffect, Description = "budget known",
        });
        effects.Add(new TruthEffect
        {
            Feature = FeatureNames.Count("page_view", "/pricing", PricingWindowDays), Kind = "perUnit", Per = 1, Cap = PricingCap,
            LogOdds = PricingPerVisit, Description = $"each pricing-page visit in the last {PricingWindowDays} days, up to {PricingCap}",
        });
        void Recent(string type, string? detail, double effect, string text) => effects.Add(new TruthEffect
        {
            Feature = FeatureNames.Count(type, detail, RecentWindowDays), Kind = "atLeast", Threshold = 1, LogOdds = effect,
            Description = $"{text} in the last {RecentWindowDays} days",
        });
        Recent("quote_request", null, QuoteEffect, "a quote request");
        Recent("form_submit", "/demo", DemoEffect, "a demo request");
        Recent("form_submit", "/contact", ContactEffect, "a contact form");
        Recent("webinar", null, WebinarEffect, "a webinar");
        Recent("page_view", "/careers", CareersEffect, "a careers-page visit");
        effects.Add(new TruthEffect
        {
            Feature = FeatureNames.Ever("unsubscribe"), Kind = "flag", LogOdds = UnsubscribeEffect, Description = "unsubscribed",
        });
        effects.Add(new TruthEffect
        {
            Feature = FeatureNames.Ever("email_bounce"), Kind = "flag", LogOdds = BounceEffect, Description = "an e-mail bounced",
        });
        effects.Add(new TruthEffect
        {
            Feature = FeatureNames.DaysSinceLastActivity, Kind = "perUnit", Per = 30, Cap = InactivityCapDays,
            LogOdds = InactivityPer30Days, MissingAs = FeatureNames.LeadAge,
            Description = $"every 30 days without activity (since creation when none), up to {InactivityCapDays} days",
        });
        return effects;
    }

    public static IReadOnlyList<string> ZeroEffectFeatures()
    {
        var zero = new List<string>();
        zero.AddRange(LeadSources.Select(l => FeatureNames.Category(LeadSource, l.Value)));
        zero.AddRange(Industries.Where(l => l.Effect == 0).Select(l => FeatureNames.Category(Industry, l.Value)));
        zero.AddRange(Countries.Where(l => l.Effect == 0).Select(l => FeatureNames.Category(Country, l.Value)));
        zero.AddRange(JobTitles.Where(l => l.Effect == 0).Select(l => FeatureNames.Category(JobTitle, l.Value)));
        zero.AddRange(Channels.Where(c => c.Signal == SampleSignal.None && c.IntentPower == 0)
            .SelectMany(ChannelNames));
        return zero;
    }

    public static IReadOnlyList<string> NoDirectEffectFeatures() =>
    [
        .. Channels.Where(c => c.Signal == SampleSignal.None && c.IntentPower != 0)
            .SelectMany(ChannelNames).Distinct(StringComparer.Ordinal),
    ];

    private static IEnumerable<string> ChannelNames(SampleChannel c) =>
        c.Details.Length == 0 ? [FeatureNames.Channel(c.Type, null)] : c.Details.Select(d => FeatureNames.Channel(c.Type, d));

    /// <summary>The probability that <paramref name="lead"/>, in <paramref name="state"/> at the start of
    /// <paramref name="day"/>, converts within <paramref name="horizonDays"/> days: the mean over
    /// <paramref name="replicates"/> simulated futures of 1 − Π exp(−hazard), which has the expectation of the
    /// conversion indicator and less variance than counting simulated conversions.</summary>
    public static double Probability(SampleLead lead, SampleLeadState state, int day, int horizonDays, int replicates, Xoshiro256 rng)
    {
        const long secondsPerDay = 86_400;
        var sum = 0.0;
        for (var r = 0; r < replicates; r++)
        {
            var s = state;
            var cumulative = 0.0;
            for (var d = day; d < day + horizonDays; d++)
            {
                cumulative += lead.Hazard(s, d);
                lead.SimulateDay(ref s, d, d * secondsPerDay, (d + 1) * secondsPerDay, rng, wholeDay: true, output: null);
            }
            sum += -double.ExpM1(-cumulative);
        }
        return sum / replicates;
    }

    /// <summary>ROC-AUC (ties count one half); NaN when either class is absent.</summary>
    public static double RocAuc(IReadOnlyList<double> scores, IReadOnlyList<bool> labels) =>
        Features.Evaluation.Metrics.RocAuc([.. scores], [.. labels.Select(l => l ? 1f : 0f)]);
}
