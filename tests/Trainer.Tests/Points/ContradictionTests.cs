using LeadML.Features.Featurization;
using LeadML.Features.History;
using LeadML.Features.Randomness;
using LeadML.Features.Rules;
using LeadML.Trainer.Points;

namespace LeadML.Trainer.Tests.Points;

/// <summary>
/// A criterion whose points go against its own conversion rate. Leads who viewed /careers lately mostly also view
/// /pricing a lot (which the model rewards), so they convert more often than all leads; the model takes 0.4 log-odds
/// from them with pricing held fixed. Their criterion gets negative points at an above-average rate, and its
/// description must say why, naming the family's reference band; criteria whose points agree with their rate say
/// nothing of the kind.
/// </summary>
public sealed class ContradictionTests
{
    private static readonly FeatureSpec Spec = KnownEffects.Spec([new("page_view", "/pricing"), new("page_view", "/careers")], []);
    private static readonly string Careers = FeatureNames.DaysSinceLast("page_view", "/careers");

    private static KnownEffects.Data Generate(int rows, ulong seed) => KnownEffects.Generate(Spec, rows, seed, (r, p, views, rng) =>
    {
        int I(string n) => Spec.IndexOf(n);
        r[I("evt.page_view[/pricing].count_90d")] = views;
        p[I("evt.page_view[/pricing].count_30d")] = 0.35 * Math.Min(views, 4);
        // Careers visitors are mostly the keen pricing viewers; recent careers views cost 0.4 log-odds.
        var recent = rng.NextDouble() < (views >= 3 ? 0.7 : 0.1);
        var days = recent ? rng.NextInt(60) : rng.NextDouble() < 0.2 ? 60 + rng.NextInt(120) : double.NaN;
        r[I(Careers)] = (float)days;
        r[I("evt.page_view[/careers].count_90d")] = double.IsNaN(days) || days >= 90 ? 0 : 1;
        r[I("evt.page_view[/careers].count_30d")] = double.IsNaN(days) || days >= 30 ? 0 : 1;
        p[I(Careers)] = recent ? -0.4 : 0;
        p[^1] = -2.8;
    });

    [Theory]
    [InlineData(-4, 0.070, 0.052, true)]
    [InlineData(6, 0.024, 0.060, true)]
    [InlineData(-5, 0.057, 0.067, false)]
    [InlineData(9, 0.102, 0.067, false)]
    [InlineData(6, 0.0672, 0.0668, false)]
    [InlineData(0, 0.2, 0.05, false)]
    public void Contradicts_WhenPointsAndTheRateAsShownDisagree(int points, double rate, double baseRate, bool expected) =>
        Assert.Equal(expected, Contradiction.Contradicts(points, rate, baseRate));

    [Fact]
    public void Build_NegativePointsAtAnAboveAverageRate_SayWhyNamingTheReferenceBand()
    {
        var d = Generate(8000, 11);
        var s = PointsBuilder.Build(Spec, d.X, d.Y, d.Phi);
        var overall = d.Y.Average();

        var careers = s.Criteria.Where(c => c.Condition.Feature.StartsWith("evt.page_view[/careers]", StringComparison.Ordinal) && c.Points < 0
            && c.Support!.ConversionRate > overall + 0.005).ToList();
        Assert.NotEmpty(careers);
        var reference = CriterionText.Label(Spec, new Condition(Careers, ConditionOp.Missing));
        foreach (var c in careers)
        {
            // The explanation leads the description: it is what a reader would stumble on first.
            Assert.StartsWith($"Why {c.Points} points when these leads convert more often than all leads", c.Description, StringComparison.Ordinal);
            Assert.Contains($"points are relative to the family's reference band, “{reference}”", c.Description, StringComparison.Ordinal);
            Assert.Contains("with the other criteria held fixed", c.Description, StringComparison.Ordinal);
        }
        AgreeingCriteriaSayNothing(s.Criteria, overall);
    }

    [Fact]
    public void Compact_NegativePointsAtAnAboveAverageRate_SayWhyNamingTheReferenceBand()
    {
        var d = Generate(8000, 12);
        var test = Generate(3000, 13);
        var full = PointsBuilder.Build(Spec, d.X, d.Y, d.Phi);
        // Room for every criterion: the careers criterion (one band, "at some time", against pricing's four) is the first a
        // shorter table leaves out; refit together, its points and description are the compact table's own.
        var compact = Compaction.Run(Spec, full, (d.X, d.Y), (d.X, d.Y), (test.X, test.Y), null,
            new PointsOptions { MaxCriteria = full.Criteria.Count, MinGainPerCriterion = 0 });
        var overall = d.Y.Average();

        var careers = compact.Criteria.Single(c => c.Condition.Feature.StartsWith("evt.page_view[/careers]", StringComparison.Ordinal));
        Assert.True(careers.Points < 0 && careers.Support!.ConversionRate > overall + 0.005, $"{careers.Points} points at {careers.Support!.ConversionRate:P1}, all {overall:P1}");
        Assert.StartsWith($"Why {careers.Points} points when these leads convert more often than all leads", careers.Description, StringComparison.Ordinal);
        Assert.Contains("points are relative to the family's reference band, ", careers.Description, StringComparison.Ordinal);
        Assert.Contains($"“{CriterionText.Label(Spec, new Condition(Careers, ConditionOp.Missing))}”", careers.Description, StringComparison.Ordinal);
        Assert.Contains("converted), with the other criteria held fixed", careers.Description, StringComparison.Ordinal);
        AgreeingCriteriaSayNothing(compact.Criteria, overall);
    }

    private static void AgreeingCriteriaSayNothing(IReadOnlyList<Criterion> criteria, double overall)
    {
        var agreeing = criteria.Where(c => c.Support is { Leads: > 0 } sup && !Contradiction.Contradicts(c.Points, sup.ConversionRate, overall)).ToList();
        Assert.Contains(agreeing, c => c.Condition.Feature == "attr.industry=Software");
        Assert.All(agreeing, c => Assert.DoesNotContain("reference band", c.Description, StringComparison.Ordinal));
    }
}
