using LeadML.Features.Featurization;
using LeadML.Features.History;
using LeadML.Features.Randomness;
using static LeadML.Features.Tests.Featurization.FeatureFixtures;

namespace LeadML.Features.Tests.Featurization;

public sealed class FeaturizerTests
{
    private static readonly DateTime Cutoff = Utc(2025, 6, 1);

    [Fact]
    public void Write_EventAtOrAfterCutoff_NeverReachesFeatures()
    {
        var f = new Featurizer(Spec());
        var events = new[]
        {
            new LeadEvent(0, Cutoff, "page_view", "/pricing"),
            new LeadEvent(0, Cutoff.AddDays(3), "page_view", "/pricing"),
            new LeadEvent(0, Cutoff.AddDays(1), "unsubscribe", null),
        };
        var v = OneLead(f, NoAttributes(f.Spec), Utc(2025, 1, 1), Cutoff, events);

        Assert.Equal(0f, Feature(f, v, "evt.page_view.count_365d"));
        Assert.Equal(0f, Feature(f, v, "evt.page_view[/pricing].count_30d"));
        Assert.Equal(0f, Feature(f, v, "evt.unsubscribe.ever"));
        Assert.True(float.IsNaN(Feature(f, v, "act.days_since_last")));
        Assert.Equal(0f, Feature(f, v, "act.active_days_30d"));
    }

    [Fact]
    public void Write_CountsEventsPerWindowAndRecency()
    {
        var f = new Featurizer(Spec());
        var events = new[]
        {
            new LeadEvent(0, Cutoff.AddDays(-1), "page_view", "/pricing"),   // 1 day
            new LeadEvent(0, Cutoff.AddDays(-7), "page_view", "/"),          // exactly 7 days: inside 7
            new LeadEvent(0, Cutoff.AddDays(-7.5), "page_view", "/pricing"), // outside 7
            new LeadEvent(0, Cutoff.AddDays(-45), "page_view", "/"),
            new LeadEvent(0, Cutoff.AddDays(-200), "page_view", "/"),
            new LeadEvent(0, Cutoff.AddDays(-400), "page_view", "/"),
            new LeadEvent(0, Cutoff.AddDays(-10), "unsubscribe", null),
        };
        var v = OneLead(f, NoAttributes(f.Spec), Utc(2024, 1, 1), Cutoff, events);

        Assert.Equal(2f, Feature(f, v, "evt.page_view.count_7d"));
        Assert.Equal(3f, Feature(f, v, "evt.page_view.count_30d"));
        Assert.Equal(4f, Feature(f, v, "evt.page_view.count_90d"));
        Assert.Equal(5f, Feature(f, v, "evt.page_view.count_365d"));
        Assert.Equal(2f, Feature(f, v, "evt.page_view[/pricing].count_30d"));
        Assert.Equal(1f, Feature(f, v, "evt.page_view.days_since_last"), 3);
        Assert.Equal(1f, Feature(f, v, "evt.page_view[/pricing].days_since_last"), 3);
        Assert.Equal(1f, Feature(f, v, "evt.unsubscribe.ever"));
        Assert.Equal(1f, Feature(f, v, "act.days_since_last"), 3);
        // trend: 3 in the last 30 days against (4 - 3) / 2 per month before.
        Assert.Equal(2.5f, Feature(f, v, "evt.page_view.trend"));
        Assert.Equal(Utc(2025, 6, 1).Subtract(Utc(2024, 1, 1)).Days, Feature(f, v, "lead.age_days"));
    }

    [Fact]
    public void Write_ActiveDaysCountDistinctDates()
    {
        var f = new Featurizer(Spec());
        var events = new[]
        {
            new LeadEvent(0, Cutoff.AddHours(-1), "page_view", "/"),
            new LeadEvent(0, Cutoff.AddHours(-2), "email_open", "c1"),
            new LeadEvent(0, Cutoff.AddDays(-3), "page_view", "/"),
            new LeadEvent(0, Cutoff.AddDays(-29.5), "page_view", "/"),
            new LeadEvent(0, Cutoff.AddDays(-31), "page_view", "/"),
            new LeadEvent(0, Cutoff.AddDays(-89.5), "page_view", "/"),
        };
        var v = OneLead(f, NoAttributes(f.Spec), Utc(2024, 1, 1), Cutoff, events);

        Assert.Equal(3f, Feature(f, v, "act.active_days_30d"));
        Assert.Equal(5f, Feature(f, v, "act.active_days_90d"));
    }

    [Fact]
    public void Write_ClickRateIsClicksPerOpen_MissingWithoutOpens()
    {
        var f = new Featurizer(Spec());
        var opens = Enumerable.Range(1, 4).Select(d => new LeadEvent(0, Cutoff.AddDays(-d), "email_open", "c"));
        var click = new LeadEvent(0, Cutoff.AddDays(-2), "email_click", "c");

        var v = OneLead(f, NoAttributes(f.Spec), Utc(2024, 1, 1), Cutoff, opens.Append(click));
        var none = OneLead(f, NoAttributes(f.Spec), Utc(2024, 1, 1), Cutoff, [click]);

        Assert.Equal(0.25f, Feature(f, v, "act.email_click_rate_90d"));
        Assert.True(float.IsNaN(Feature(f, none, "act.email_click_rate_90d")));
    }

    [Fact]
    public void Write_EncodesAttributes()
    {
        var f = new Featurizer(Spec());
        var aligner = new AttributeAligner(f.Spec);
        var unknown = new List<string>();
        var invalid = new List<string>();
        var attrs = aligner.FromText(new Dictionary<string, string?>
        {
            ["industry"] = "Mining",
            ["employees"] = "250",
            ["newsletter"] = "Yes",
            ["first_contact"] = "2025-05-22",
            ["favourite_colour"] = "blue",
        }, unknown, invalid);
        var v = OneLead(f, attrs, Utc(2025, 1, 1), Cutoff, []);

        Assert.Equal(0f, Feature(f, v, "attr.industry=Software"));
        Assert.Equal(1f, Feature(f, v, "attr.industry=(other)"));
        Assert.Equal(0f, Feature(f, v, "attr.industry=(missing)"));
        Assert.Equal(250f, Feature(f, v, "attr.employees"));
        Assert.Equal(1f, Feature(f, v, "attr.newsletter"));
        Assert.Equal(10f, Feature(f, v, "attr.first_contact"));
        Assert.Equal(["favourite_colour"], unknown);
        Assert.Empty(invalid);
    }

    [Fact]
    public void FromText_BadValues_AreReportedAndMissing()
    {
        var f = new Featurizer(Spec());
        var invalid = new List<string>();
        var attrs = new AttributeAligner(f.Spec).FromText(new Dictionary<string, string?>
        {
            ["employees"] = "lots",
            ["newsletter"] = "maybe",
            ["industry"] = "",
        }, null, invalid);
        var v = OneLead(f, attrs, Utc(2025, 1, 1), Cutoff, []);

        Assert.True(float.IsNaN(Feature(f, v, "attr.employees")));
        Assert.True(float.IsNaN(Feature(f, v, "attr.newsletter")));
        Assert.Equal(1f, Feature(f, v, "attr.industry=(missing)"));
        Assert.Equal(2, invalid.Count);
        Assert.Contains(invalid, m => m.Contains("employees") && m.Contains("lots"));
    }

    [Theory]
    [InlineData("1e400")]
    [InlineData("-1e400")]
    [InlineData("1e300")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    [InlineData("NaN")]
    public void FromText_NonFiniteOrPastSinglePrecision_IsAnInvalidValue_ScoredAsMissing(string text)
    {
        var f = new Featurizer(Spec());
        var invalid = new List<string>();
        var attrs = new AttributeAligner(f.Spec).FromText(new Dictionary<string, string?> { ["employees"] = text }, null, invalid);
        var v = OneLead(f, attrs, Utc(2025, 1, 1), Cutoff, []);

        Assert.True(float.IsNaN(Feature(f, v, "attr.employees")));
        Assert.Contains($"employees: '{text}'", Assert.Single(invalid), StringComparison.Ordinal);
        Assert.True(AttributeText.TryParseNumber("3.4e38", out var largest) && largest == 3.4e38, "the largest single-precision numbers stay numbers");
    }

    [Fact]
    public void FromText_NamesNotInTheSpec_AreReportedInOrder_AfterWhatTheListHeld()
    {
        var f = new Featurizer(Spec());
        var unknown = new List<string> { "earlier" };
        new AttributeAligner(f.Spec).FromText(new Dictionary<string, string?>
        {
            ["zone"] = "x",
            ["industry"] = "Software",
            ["Industry"] = "Software",
            ["age"] = "3",
        }, unknown);

        Assert.Equal(["earlier", "Industry", "age", "zone"], unknown);
    }
    [Fact]
    public void Accumulator_ManyLeadsAndCutoffs_EqualsOneLeadAtATime()
    {
        // The trainer's path (all leads, all cut-offs, events in any order) against the Api's (one lead, one cut-off).
        var f = new Featurizer(Spec());
        var rng = new Xoshiro256(7);
        var cutoffs = Enumerable.Range(0, 6).Select(m => Utc(2025, 1, 1).AddMonths(m)).ToArray();
        const int leads = 40;
        var created = Enumerable.Range(0, leads).Select(_ => Utc(2024, 6, 1).AddDays(rng.NextDouble() * 300)).ToArray();
        string[] types = ["page_view", "email_open", "email_click", "unsubscribe", "webinar"];
        string?[] details = ["/pricing", "/", "/blog", null];
        var events = new List<LeadEvent>();
        for (var i = 0; i < 3000; i++)
        {
            var lead = rng.NextInt(leads);
            events.Add(new LeadEvent(lead, created[lead].AddDays(rng.NextDouble() * 400), types[rng.NextInt(types.Length)], details[rng.NextInt(details.Length)]));
        }
        // An event exactly at a cut-off must fall on the right side in both paths.
        events.Add(new LeadEvent(3, cutoffs[2], "page_view", "/pricing"));

        var acc = new EventAccumulator(f, leads, cutoffs, (i, j) => created[i] < cutoffs[j]);
        foreach (var e in events.OrderBy(_ => rng.NextUInt64())) acc.Add(e);

        var checkedSlots = 0;
        for (var i = 0; i < leads; i++)
        {
            for (var j = 0; j < cutoffs.Length; j++)
            {
                var slot = acc.SlotOf(i, j);
                if (slot < 0) continue;
                var batch = new float[f.Width];
                f.Write(NoAttributes(f.Spec), created[i], cutoffs[j], acc, slot, batch);
                var lead = i;
                var single = OneLead(f, NoAttributes(f.Spec), created[i], cutoffs[j],
                    events.Where(e => e.LeadIndex == lead).Select(e => e with { LeadIndex = 0 }));
                Assert.Equal(single, batch);
                checkedSlots++;
            }
        }
        Assert.True(checkedSlots > 100);
    }

    [Fact]
    public void Constructor_SpecFromAnotherVersion_IsRefused()
    {
        var spec = Spec();
        var renamed = spec.Features.Select((d, i) => i == 3 ? d with { Name = "attr.industry=Somethingelse" } : d).ToList();
        var broken = new FeatureSpec
        {
            Kind = spec.Kind, Attributes = spec.Attributes, Channels = spec.Channels, NegativeEventTypes = spec.NegativeEventTypes, Features = renamed,
        };

        var ex = Assert.Throws<InvalidDataException>(() => new Featurizer(broken));
        Assert.Contains("incompatible", ex.Message);
    }
}
