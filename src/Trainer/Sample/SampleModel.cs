namespace LeadML.Trainer.Sample;

/// <summary>A value of a generated attribute: how often it is drawn (relative weight) and its true effect on the
/// log conversion hazard.</summary>
internal sealed record SampleLevel(string Value, double Weight, double Effect);

/// <summary>What an event does to the conversion hazard; <see cref="None"/> for events without a direct effect.</summary>
internal enum SampleSignal { None, Pricing, Careers, Demo, Contact, Quote, Webinar, Unsubscribe, Bounce }

/// <summary>One kind of pre-conversion event: its type, its possible details (drawn uniformly; none for a null
/// detail), its share of the lead's activity, how strongly the lead's latent intent tilts that share
/// (weight × e^(power × intent), × boost for one job title), whether it needs a reachable e-mail address, and its hazard signal.</summary>
internal sealed record SampleChannel(
    string Type, string[] Details, double Weight, double IntentPower, bool Email, SampleSignal Signal,
    string? BoostedJobTitle = null, double Boost = 1)
{
    /// <summary>The channel's detail when it has exactly one, else null.</summary>
    public string? FixedDetail => Details.Length == 1 ? Details[0] : null;
}

/// <summary>
/// The constants of the generative model, in one place: the attribute tables with their true effects, the event
/// channels, and the sizes of the behavioural effects. <see cref="SampleLead"/> simulates with them and
/// <see cref="SampleTruth"/> writes them into <c>truth.json</c>, so the truth cannot drift from the simulation.
/// </summary>
internal static class SampleModel
{
    public const string Industry = "industry";
    public const string CompanySize = "company_size";
    public const string Country = "country";
    public const string JobTitle = "job_title";
    public const string LeadSource = "lead_source";
    public const string BudgetKnown = "budget_known";

    public static readonly string[] AttributeColumns = [Industry, CompanySize, Country, JobTitle, LeadSource, BudgetKnown];

    public static readonly SampleLevel[] Industries =
    [
        new("Software", 22, 0.5), new("Finance", 12, 0.3), new("Manufacturing", 14, 0.0), new("Healthcare", 10, 0.0),
        new("Retail", 12, -0.2), new("Education", 9, -0.4), new("Government", 7, -0.6), new("Other", 9, 0.0),
    ];

    public static readonly SampleLevel[] Countries =
    [
        new("United States", 35, 0.0), new("United Kingdom", 15, 0.0), new("Germany", 12, 0.0), new("France", 8, 0.0),
        new("Canada", 8, 0.0), new("India", 10, -0.6), new("Brazil", 7, -0.6), new("Other", 5, -0.6),
    ];

    public static readonly SampleLevel[] JobTitles =
    [
        new("CEO", 8, 0.6), new("VP Marketing", 10, 0.5), new("Marketing Manager", 22, 0.3), new("Developer", 18, 0.0),
        new("Consultant", 12, -0.2), new("Student", 12, -1.2), new("Other", 18, 0.0),
    ];

    /// <summary>Lead sources have no effect at all (neither on conversion nor on activity).</summary>
    public static readonly SampleLevel[] LeadSources =
    [
        new("web", 40, 0.0), new("referral", 15, 0.0), new("event", 12, 0.0), new("paid", 23, 0.0), new("partner", 10, 0.0),
    ];

    /// <summary>Share of empty values per column.</summary>
    public const double MissingIndustry = 0.05, MissingCountry = 0.03, MissingJobTitle = 0.06, MissingCompanySize = 0.08,
        MissingBudget = 0.10;

    /// <summary>Company size: log-normal employees (median 60), effects above and below thresholds.</summary>
    public const double CompanySizeLogMedian = 4.1, CompanySizeLogSd = 1.6;
    public const int LargeCompany = 200, SmallCompany = 10;
    public const double LargeCompanyEffect = 0.35, SmallCompanyEffect = -0.4;

    public const double BudgetKnownShare = 0.3, BudgetKnownEffect = 0.4;

    /// <summary>Blog posts: page views without any effect.</summary>
    public static readonly string[] BlogPosts =
        ["/blog/lead-scoring-101", "/blog/email-benchmarks", "/blog/crm-checklist", "/blog/customer-stories", "/blog/ai-in-marketing"];

    /// <summary>E-mail campaigns by theme (not by date, so the details do not drift).</summary>
    public static readonly string[] Campaigns = ["newsletter", "product-update", "webinar-invite", "case-study", "pricing-offer"];

    public static readonly SampleChannel[] Channels =
    [
        new("page_view", ["/pricing"], 0.07, 1.0, false, SampleSignal.Pricing),
        new("page_view", ["/product"], 0.14, 0.5, false, SampleSignal.None),
        new("page_view", BlogPosts, 0.20, 0.0, false, SampleSignal.None),
        new("page_view", ["/careers"], 0.03, 0.0, false, SampleSignal.Careers, "Student", 5),
        new("page_view", ["/docs"], 0.07, 0.0, false, SampleSignal.None, "Developer", 3),
        new("page_view", ["/case-studies"], 0.05, 0.5, false, SampleSignal.None),
        new("email_open", Campaigns, 0.24, 0.0, true, SampleSignal.None),
        new("email_click", Campaigns, 0.07, 0.4, true, SampleSignal.None),
        new("form_submit", ["/newsletter"], 0.02, 0.0, false, SampleSignal.None),
        new("form_submit", ["/contact"], 0.008, 1.0, false, SampleSignal.Contact),
        new("form_submit", ["/demo"], 0.006, 1.2, false, SampleSignal.Demo),
        new("quote_request", [], 0.004, 1.4, false, SampleSignal.Quote),
        new("webinar", [], 0.012, 0.5, false, SampleSignal.Webinar),
        new("social_share", [], 0.02, 0.0, false, SampleSignal.None),
        new("unsubscribe", [], 0.005, -0.5, true, SampleSignal.Unsubscribe),
        new("email_bounce", [], 0.002, 0.0, true, SampleSignal.Bounce),
    ];

    public static readonly string[] PostConversionTypes = ["login", "invoice_paid"];

    /// <summary>Log conversion hazard per day of a lead without effects (all zero-effect levels, fully active).</summary>
    public const double BaseLogHazard = -8.1;

    // Behaviour, as of the start of a day, counting the events of the days before it.
    public const double PricingPerVisit = 0.3;
    public const int PricingCap = 3;
    public const int PricingWindowDays = 30;
    public const int RecentWindowDays = 90;
    public const double DemoEffect = 0.8, ContactEffect = 0.5, QuoteEffect = 1.2, WebinarEffect = 0.4, CareersEffect = -0.4;
    public const double UnsubscribeEffect = -1.0, BounceEffect = -0.5;
    public const double InactivityPer30Days = -0.3;
    public const double InactivityCapDays = 180;

    // Engagement: events per day = rate × (floor + (1 − floor) e^(−age/τ)), × ColdFactor once the lead went cold.
    public const double BaseEventsPerDay = 0.66;
    public const double EngagementFitSlope = 0.3, EngagementSd = 0.8;
    public const double IntentFitSlope = 0.6, IntentSd = 0.6;
    public const double DecayFloor = 0.25, MinDecayDays = 20, MaxDecayDays = 150;
    public const double ColdPerDay = 1.0 / 150, ColdFactor = 0.05;

    // After conversion.
    public const double LoginsPerDay = 0.12;
    public const int InvoiceEveryDays = 30;

    /// <summary>Leads per month grow by this factor from the first month to the last.</summary>
    public const double ArrivalGrowth = 1.8;

    public static readonly string[] NonTargetCountries = [.. Countries.Where(c => c.Effect < 0).Select(c => c.Value)];
}
