using LeadML.Features.Featurization;
using LeadML.Features.History;
using LeadML.Features.Randomness;
using LeadML.Features.Rules;
using LeadML.Trainer.Points;

namespace LeadML.Trainer.Tests.Points;

/// <summary>
/// Planted rates, one snapshot per lead, base rate about 20 %: students never convert (a knock-out by the rate rule),
/// Retail converts at half the base rate (a weaker signal: not a knock-out), unsubscribed leads (a negative event type)
/// at 5 % (the negative-event rule), a rare level that never converts has too few leads, and e-mail bounces (negative
/// too) convert as often as any lead.
/// </summary>
public sealed class KnockOutSuggesterTests
{
    private static readonly FeatureSpec Spec = BuildSpec();

    private static FeatureSpec BuildSpec()
    {
        var attributes = new List<AttributeEncoding>
        {
            new("job_title", ColumnType.Category, ["CEO", "Student", "Other"], false, false, ["Student"]),
            new("industry", ColumnType.Category, ["Software", "Retail", "Mining"], false, false, []),
        };
        var channels = new List<EventChannel> { new("page_view", "/pricing"), new("unsubscribe", null), new("email_bounce", null) };
        var negative = new List<string> { "unsubscribe", "email_bounce" };
        var (defs, _) = FeatureLayout.Build(HistoryKind.Events, attributes, channels, negative);
        return new FeatureSpec { Kind = HistoryKind.Events, Attributes = attributes, Channels = channels, NegativeEventTypes = negative, Features = defs };
    }

    private static (float[] X, float[] Y, int[] Lead) Generate(int rows, ulong seed)
    {
        var w = Spec.Features.Count;
        var rng = new Xoshiro256(seed);
        var x = new float[rows * w];
        var y = new float[rows];
        int I(string n) => Spec.IndexOf(n);
        for (var i = 0; i < rows; i++)
        {
            var r = x.AsSpan(i * w, w);
            for (var j = 0; j < w; j++) r[j] = Spec.Features[j].Kind == FeatureKind.Recency ? float.NaN : 0;
            var title = rng.NextDouble() switch { < 0.15 => "Student", < 0.4 => "CEO", _ => "Other" };
            var industry = rng.NextDouble() switch { < 0.004 => "Mining", < 0.3 => "Retail", _ => "Software" };
            r[I($"attr.job_title={title}")] = 1;
            r[I($"attr.industry={industry}")] = 1;
            var unsubscribed = rng.NextDouble() < 0.15;
            var bounced = rng.NextDouble() < 0.1;
            r[I("evt.unsubscribe.ever")] = unsubscribed ? 1 : 0;
            r[I("evt.email_bounce.ever")] = bounced ? 1 : 0;
            var rate = title == "Student" || industry == "Mining" ? 0 : unsubscribed ? 0.05 : industry == "Retail" ? 0.13 : 0.3;
            y[i] = rng.NextDouble() < rate ? 1 : 0;
        }
        return (x, y, [.. Enumerable.Range(0, rows)]);
    }

    [Fact]
    public void Suggest_KnocksOutWhatAlmostNeverConverts_AndNegativeEventsTheDataConfirms_NothingWeaker()
    {
        var (x, y, lead) = Generate(6000, 7);

        var knockOuts = KnockOutSuggester.Suggest(Spec, x, y, lead);

        var byFeature = knockOuts.ToDictionary(k => k.Condition.Feature);
        Assert.Equal(["attr.job_title=Student", "evt.unsubscribe.ever"], byFeature.Keys.Order(StringComparer.Ordinal));
        var student = byFeature["attr.job_title=Student"];
        Assert.Equal("Job title: Student", student.Label);
        Assert.Equal(KnockOutSuggester.RateRule, student.Evidence!.Rule);
        Assert.Equal(0, student.Evidence.Conversions);
        Assert.True(student.Evidence.RateUpper < 0.2 * student.Evidence.BaseRate);
        Assert.Contains("“Job title: Student”", student.Description);
        var unsubscribed = byFeature["evt.unsubscribe.ever"];
        Assert.Equal(KnockOutSuggester.NegativeEventRule, unsubscribed.Evidence!.Rule);
        Assert.Equal(new Condition("evt.unsubscribe.ever", ConditionOp.Eq, 1), unsubscribed.Condition);
        Assert.Equal("Unsubscribed at some time", unsubscribed.Label);
    }

    [Fact]
    public void Suggest_CountsEachLeadOnce_SoRepeatedSnapshotsDoNotMakeSupport()
    {
        var (x, y, _) = Generate(6000, 7);
        // The same 30 leads (under 40) seen 200 times each: no support, whatever their rows say.
        var lead = Enumerable.Range(0, 6000).Select(i => i % 30).ToArray();

        Assert.Empty(KnockOutSuggester.Suggest(Spec, x, y, lead));
    }

    [Theory]
    [InlineData(0, 100, 0.0263)]
    [InlineData(5, 100, 0.0992)]
    [InlineData(50, 100, 0.5812)]
    public void WilsonUpper_MatchesTheClosedForm(int k, int n, double expected)
    {
        Assert.Equal(expected, KnockOutSuggester.WilsonUpper(k, n, 1.6448536269514722), 3);
    }
}
