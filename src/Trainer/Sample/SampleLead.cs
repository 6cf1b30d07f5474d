using LeadML.Features.Randomness;
using static LeadML.Trainer.Sample.SampleModel;

namespace LeadML.Trainer.Sample;

/// <summary>One generated event: seconds since the start of the history, type and detail.</summary>
internal readonly record struct SampleEvent(long Second, string Type, string? Detail);

/// <summary>What a lead's conversion hazard and activity depend on at a given moment, besides its fixed profile.
/// A value type, so that copying it forks the lead's future (the true probabilities re-simulate from a copy).</summary>
internal struct SampleLeadState
{
    public bool Cold, Unsubscribed, Bounced;
    /// <summary>Days of the latest three pricing-page views, latest first (the effect is capped at three).</summary>
    public int Pricing0, Pricing1, Pricing2;
    public int LastDemo, LastContact, LastQuote, LastWebinar, LastCareers;
    /// <summary>Second of the latest activity, or of the creation when none yet.</summary>
    public long LastActivity;

    public static SampleLeadState Initial(long created) => new()
    {
        Pricing0 = Never, Pricing1 = Never, Pricing2 = Never,
        LastDemo = Never, LastContact = Never, LastQuote = Never, LastWebinar = Never, LastCareers = Never,
        LastActivity = created,
    };

    private const int Never = int.MinValue / 2;
}

/// <summary>A generated lead: its attributes, its latent engagement and intent, and the simulation of its days.
/// Every draw comes from the lead's own generator, so a lead's history does not depend on any other lead.</summary>
internal sealed class SampleLead
{
    private const long SecondsPerDay = 86_400;

    private readonly double[] _weights = new double[Channels.Length];
    private readonly double[] _weightsNoEmail = new double[Channels.Length];
    private double _sumNoEmail;

    private SampleLead(Xoshiro256 rng, Xoshiro256? truthRng)
    {
        Rng = rng;
        TruthRng = truthRng;
    }

    /// <summary>The lead's generator for its history.</summary>
    public Xoshiro256 Rng { get; }

    /// <summary>A separate generator for the true probabilities, so that the history is the same with or without them.</summary>
    public Xoshiro256? TruthRng { get; }

    public long Created { get; private init; }
    public string? Industry { get; private init; }
    public int? CompanySize { get; private init; }
    public string? Country { get; private init; }
    public string? JobTitle { get; private init; }
    public string LeadSource { get; private init; } = "";
    public bool? BudgetKnown { get; private init; }

    /// <summary>Base log hazard plus the effects of the attributes.</summary>
    public double FitLogHazard { get; private init; }

    /// <summary>Events per day when new (before decay), activity scale included.</summary>
    public double EventsPerDay { get; private init; }

    public double DecayDays { get; private init; }

    /// <summary>Latent buying intent: tilts the activity towards pricing, demo, contact and quotes.</summary>
    public double Intent { get; private init; }

    public long? Converted { get; set; }

    /// <summary>The multiplier of every event rate the lead was drawn with.</summary>
    public double ActivityScale { get; private init; } = 1;

    /// <summary>The same lead (attributes, creation, generators) with other latent engagement, intent and decay: a
    /// draw from what its observable history says about them (<see cref="SamplePosterior"/>).</summary>
    public SampleLead WithLatents(double eventsPerDay, double intent, double decayDays)
    {
        var lead = new SampleLead(Rng, TruthRng)
        {
            Created = Created, Industry = Industry, CompanySize = CompanySize, Country = Country, JobTitle = JobTitle,
            LeadSource = LeadSource, BudgetKnown = BudgetKnown, FitLogHazard = FitLogHazard, ActivityScale = ActivityScale,
            EventsPerDay = eventsPerDay, Intent = intent, DecayDays = decayDays,
        };
        lead.SetWeights();
        return lead;
    }

    /// <summary>The share of each channel in the activity of a lead with <paramref name="intent"/> (summing to 1),
    /// as <see cref="SetWeights"/> computes it.</summary>
    public double[] ChannelShares(double intent)
    {
        var w = new double[Channels.Length];
        var sum = 0.0;
        for (var c = 0; c < Channels.Length; c++)
        {
            var ch = Channels[c];
            var boost = ch.BoostedJobTitle is not null && ch.BoostedJobTitle == JobTitle ? ch.Boost : 1;
            w[c] = ch.Weight * Math.Exp(ch.IntentPower * intent) * boost;
            sum += w[c];
        }
        for (var c = 0; c < w.Length; c++) w[c] /= sum;
        return w;
    }

    /// <summary>Draws a lead created within the first <paramref name="historySeconds"/> seconds, arrivals growing
    /// by <see cref="ArrivalGrowth"/> from the first month to the last.</summary>
    public static SampleLead Draw(Xoshiro256 rng, Xoshiro256? truthRng, long historySeconds, double activityScale)
    {
        var g = Math.Log(ArrivalGrowth);
        var u = rng.NextDouble();
        var created = (long)(historySeconds * Math.Log(1 + u * (ArrivalGrowth - 1)) / g);
        created = Math.Clamp(created, 0, historySeconds - 1);

        var industry = Pick(rng, Industries, MissingIndustry);
        var country = Pick(rng, Countries, MissingCountry);
        var job = Pick(rng, JobTitles, MissingJobTitle);
        var source = Pick(rng, LeadSources, 0)!;
        int? size = rng.NextBool(MissingCompanySize)
            ? null
            : (int)Math.Clamp(Math.Round(Math.Exp(CompanySizeLogMedian + CompanySizeLogSd * rng.NextGaussian())), 1, 100_000);
        bool? budget = rng.NextBool(MissingBudget) ? null : rng.NextBool(BudgetKnownShare);

        var fit = (industry?.Effect ?? 0) + (country?.Effect ?? 0) + (job?.Effect ?? 0) + source.Effect
            + (size >= LargeCompany ? LargeCompanyEffect : 0) + (size < SmallCompany ? SmallCompanyEffect : 0)
            + (budget == true ? BudgetKnownEffect : 0);
        var intent = IntentFitSlope * fit + IntentSd * rng.NextGaussian();
        var lead = new SampleLead(rng, truthRng)
        {
            Created = created,
            Industry = industry?.Value,
            Country = country?.Value,
            JobTitle = job?.Value,
            LeadSource = source.Value,
            CompanySize = size,
            BudgetKnown = budget,
            FitLogHazard = BaseLogHazard + fit,
            ActivityScale = activityScale,
            EventsPerDay = activityScale * BaseEventsPerDay * Math.Exp(EngagementFitSlope * fit + EngagementSd * rng.NextGaussian()),
            DecayDays = MinDecayDays + (MaxDecayDays - MinDecayDays) * rng.NextDouble(),
            Intent = intent,
        };
        lead.SetWeights();
        return lead;
    }

    private static SampleLevel? Pick(Xoshiro256 rng, SampleLevel[] levels, double missing)
    {
        if (missing > 0 && rng.NextBool(missing)) return null;
        Span<double> w = stackalloc double[levels.Length];
        for (var i = 0; i < levels.Length; i++) w[i] = levels[i].Weight;
        return levels[rng.NextWeighted(w)];
    }

    private void SetWeights()
    {
        // Normalised so that EventsPerDay is the rate of all events while e-mail is reachable.
        ChannelShares(Intent).CopyTo(_weights, 0);
        for (var c = 0; c < Channels.Length; c++)
        {
            _weightsNoEmail[c] = Channels[c].Email ? 0 : _weights[c];
            _sumNoEmail += _weightsNoEmail[c];
        }
    }

    /// <summary>Conversion hazard per day during <paramref name="day"/>, from the state at its start.</summary>
    public double Hazard(in SampleLeadState s, int day)
    {
        var h = FitLogHazard;
        var pricingFrom = day - PricingWindowDays;
        var pricing = (s.Pricing0 >= pricingFrom ? 1 : 0) + (s.Pricing1 >= pricingFrom ? 1 : 0) + (s.Pricing2 >= pricingFrom ? 1 : 0);
        h += PricingPerVisit * Math.Min(pricing, PricingCap);
        var recentFrom = day - RecentWindowDays;
        if (s.LastDemo >= recentFrom) h += DemoEffect;
        if (s.LastContact >= recentFrom) h += ContactEffect;
        if (s.LastQuote >= recentFrom) h += QuoteEffect;
        if (s.LastWebinar >= recentFrom) h += WebinarEffect;
        if (s.LastCareers >= recentFrom) h += CareersEffect;
        if (s.Unsubscribed) h += UnsubscribeEffect;
        if (s.Bounced) h += BounceEffect;
        var idle = Math.Min((day * SecondsPerDay - s.LastActivity) / (double)SecondsPerDay, InactivityCapDays);
        h += InactivityPer30Days * idle / 30;
        return Math.Exp(h);
    }

    /// <summary>Simulates the pre-conversion events in [<paramref name="from"/>, <paramref name="to"/>) of
    /// <paramref name="day"/>, updating the state; adds them to <paramref name="output"/> in time order when given.
    /// The lead may go cold at the start of a whole day.</summary>
    public void SimulateDay(ref SampleLeadState s, int day, long from, long to, Xoshiro256 rng, bool wholeDay, List<SampleEvent>? output)
    {
        if (wholeDay && !s.Cold && rng.NextBool(ColdPerDay)) s.Cold = true;
        if (to <= from) return;
        var age = Math.Max(0, day * SecondsPerDay - Created) / (double)SecondsPerDay;
        var rate = EventsPerDay * (DecayFloor + (1 - DecayFloor) * Math.Exp(-age / DecayDays)) * (s.Cold ? ColdFactor : 1);
        var emailReachable = !s.Unsubscribed && !s.Bounced;
        var weights = emailReachable ? _weights : _weightsNoEmail;
        var share = emailReachable ? 1.0 : _sumNoEmail;
        var n = rng.NextPoisson(rate * share * (to - from) / SecondsPerDay);
        if (n == 0) return;

        Span<(long Second, int Channel)> events = n <= 32 ? stackalloc (long, int)[n] : new (long, int)[n];
        var span = (int)(to - from);
        for (var k = 0; k < n; k++)
        {
            events[k] = (from + rng.NextInt(span), rng.NextWeighted(weights));
        }
        events.Sort();
        foreach (var (second, c) in events)
        {
            var ch = Channels[c];
            // An unsubscribe or bounce earlier the same day stops the e-mails after it.
            if (ch.Email && (s.Unsubscribed || s.Bounced)) continue;
            Apply(ref s, ch.Signal, day);
            if (second > s.LastActivity) s.LastActivity = second;
            if (output is not null)
            {
                var detail = ch.Details.Length switch
                {
                    0 => null,
                    1 => ch.Details[0],
                    _ => ch.Details[rng.NextInt(ch.Details.Length)],
                };
                output.Add(new SampleEvent(second, ch.Type, detail));
            }
        }
    }

    private static void Apply(ref SampleLeadState s, SampleSignal signal, int day)
    {
        switch (signal)
        {
            case SampleSignal.Pricing:
                s.Pricing2 = s.Pricing1;
                s.Pricing1 = s.Pricing0;
                s.Pricing0 = day;
                break;
            case SampleSignal.Careers: s.LastCareers = day; break;
            case SampleSignal.Demo: s.LastDemo = day; break;
            case SampleSignal.Contact: s.LastContact = day; break;
            case SampleSignal.Quote: s.LastQuote = day; break;
            case SampleSignal.Webinar: s.LastWebinar = day; break;
            case SampleSignal.Unsubscribe: s.Unsubscribed = true; break;
            case SampleSignal.Bounce: s.Bounced = true; break;
            case SampleSignal.None: break;
        }
    }

    /// <summary>Logins (a Poisson stream) and monthly paid invoices, strictly after the conversion and before
    /// <paramref name="end"/>, in time order.</summary>
    public void SimulateCustomer(long converted, long end, double activityScale, List<SampleEvent> output)
    {
        var start = output.Count;
        var rate = LoginsPerDay * activityScale;
        var firstDay = (int)(converted / SecondsPerDay);
        var lastDay = (int)((end - 1) / SecondsPerDay);
        for (var day = firstDay; day <= lastDay; day++)
        {
            var from = Math.Max(day * SecondsPerDay, converted + 1);
            var to = Math.Min((day + 1) * SecondsPerDay, end);
            if (to <= from) continue;
            var n = Rng.NextPoisson(rate * (to - from) / SecondsPerDay);
            for (var k = 0; k < n; k++) output.Add(new SampleEvent(from + Rng.NextInt((int)(to - from)), "login", null));
        }
        for (var t = converted + InvoiceEveryDays * SecondsPerDay; t < end; t += InvoiceEveryDays * SecondsPerDay)
        {
            output.Add(new SampleEvent(t, "invoice_paid", null));
        }
        output.Sort(start, output.Count - start, SecondComparer.Instance);
    }

    private sealed class SecondComparer : IComparer<SampleEvent>
    {
        public static readonly SecondComparer Instance = new();
        public int Compare(SampleEvent x, SampleEvent y)
        {
            var c = x.Second.CompareTo(y.Second);
            return c != 0 ? c : string.CompareOrdinal(x.Type, y.Type);
        }
    }
}
