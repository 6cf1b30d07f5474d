using LeadML.Features.Featurization;
using LeadML.Features.Rules;
using LeadML.Features.Tests.Featurization;
using LeadML.Tests.Shared;

namespace LeadML.Features.Tests.Rules;

/// <summary>Criteria read as a marketer would say them, from the feature's definition and the band alone.</summary>
public sealed class CriterionTextTests
{
    private static readonly FeatureSpec Spec = FeatureFixtures.Spec();

    private static string L(string feature, ConditionOp op, double value = 0, double? upper = null, bool orMissing = false) =>
        CriterionText.Label(Spec, new Condition(feature, op, value, upper, orMissing));

    [Theory]
    [InlineData("evt.page_view[/pricing].count_30d", ConditionOp.Between, 3, 5.0, "Viewed /pricing 3–4 times in the last 30 days")]
    [InlineData("evt.page_view[/pricing].count_30d", ConditionOp.Between, 1, 2.0, "Viewed /pricing once in the last 30 days")]
    [InlineData("evt.page_view[/pricing].count_30d", ConditionOp.Gte, 5, null, "Viewed /pricing 5 or more times in the last 30 days")]
    [InlineData("evt.page_view[/pricing].count_30d", ConditionOp.Gte, 1, null, "Viewed /pricing in the last 30 days")]
    [InlineData("evt.page_view[/pricing].count_30d", ConditionOp.Lt, 1, null, "Did not view /pricing in the last 30 days")]
    [InlineData("evt.email_open.count_90d", ConditionOp.Lt, 3, null, "Opened an e-mail at most twice in the last 90 days")]
    [InlineData("evt.page_view.days_since_last", ConditionOp.Lt, 7, null, "Viewed a page in the last 7 days")]
    [InlineData("evt.page_view.days_since_last", ConditionOp.Between, 30, 60.0, "Last viewed a page 30–60 days ago")]
    [InlineData("evt.email_open.days_since_last", ConditionOp.Missing, 0, null, "Never opened an e-mail")]
    [InlineData("act.days_since_last", ConditionOp.Between, 30, 60.0, "No activity for 30–60 days")]
    [InlineData("act.days_since_last", ConditionOp.Gte, 60, null, "No activity for 60 days or more")]
    [InlineData("act.days_since_last", ConditionOp.Missing, 0, null, "No activity ever")]
    [InlineData("attr.industry=Software", ConditionOp.Eq, 1, null, "Industry: Software")]
    [InlineData("attr.industry=(other)", ConditionOp.Eq, 1, null, "Industry: another value")]
    [InlineData("attr.industry=(missing)", ConditionOp.Eq, 1, null, "Industry not given")]
    [InlineData("attr.employees", ConditionOp.Gte, 200, null, "Employees 200 or more")]
    [InlineData("attr.employees", ConditionOp.Lt, 2.4835, null, "Employees under 2.48")]
    [InlineData("attr.employees", ConditionOp.Missing, 0, null, "Employees not given")]
    [InlineData("attr.newsletter", ConditionOp.Eq, 1, null, "Newsletter: yes")]
    [InlineData("attr.first_contact", ConditionOp.Between, 30, 90.0, "First contact 30–90 days ago")]
    [InlineData("evt.unsubscribe.ever", ConditionOp.Eq, 1, null, "Unsubscribed at some time")]
    [InlineData("evt.unsubscribe.ever", ConditionOp.Eq, 0, null, "Never unsubscribed")]
    [InlineData("act.active_days_30d", ConditionOp.Between, 3, 5.0, "Active on 3–4 days in the last 30 days")]
    [InlineData("act.email_click_rate_90d", ConditionOp.Gte, 0.25, null, "Clicked 25 % or more of the e-mails opened in the last 90 days")]
    [InlineData("lead.age_days", ConditionOp.Lt, 7, null, "Lead created in the last 7 days")]
    public void Label_ReadsAsASentence(string feature, ConditionOp op, double value, double? upper, string expected) =>
        Assert.Equal(expected, L(feature, op, value, upper));

    [Fact]
    public void Label_OrMissing_AddsNever() =>
        Assert.Equal("Last viewed a page 60 or more days ago, or never viewed a page", L("evt.page_view.days_since_last", ConditionOp.Gte, 60, orMissing: true));

    [Fact]
    public void Value_OfOneLead_IsRoundedAndSaysNeverForMissing()
    {
        Assert.Equal("Viewed /pricing 3 times in the last 30 days", CriterionText.Value(Spec, Spec.IndexOf("evt.page_view[/pricing].count_30d"), 3));
        Assert.Equal("Last viewed a page 12 days ago", CriterionText.Value(Spec, Spec.IndexOf("evt.page_view.days_since_last"), 12.73));
        Assert.Equal("Never viewed a page", CriterionText.Value(Spec, Spec.IndexOf("evt.page_view.days_since_last"), double.NaN));
        Assert.Equal("Employees 1,235", CriterionText.Value(Spec, Spec.IndexOf("attr.employees"), 1234.5678));
        Assert.Equal("Industry: not Software", CriterionText.Value(Spec, Spec.IndexOf("attr.industry=Software"), 0));
    }

    [Fact]
    public void EveryFeature_InEveryBand_HasNoIdNorLongDecimal()
    {
        var ops = new[]
        {
            new Condition("", ConditionOp.Missing), new Condition("", ConditionOp.Present), new Condition("", ConditionOp.Eq, 1),
            new Condition("", ConditionOp.Eq, 0), new Condition("", ConditionOp.Gte, 2.718281), new Condition("", ConditionOp.Lt, 0.3333333),
            new Condition("", ConditionOp.Between, 1.23456, 98.7654),
        };
        foreach (var f in Spec.Features)
        {
            foreach (var c in ops)
            {
                var text = CriterionText.Label(Spec, c with { Feature = f.Name });
                Assert.True(LabelRules.IsSentence(text, out var why), $"{f.Name} {c.Op}: '{text}' {why}");
            }
        }
    }

    [Theory]
    [InlineData("attr.industry=Software", "Industry: Software")]
    [InlineData("attr.employees", "Employees")]
    [InlineData("attr.newsletter", "Newsletter")]
    [InlineData("attr.first_contact", "Days since first contact")]
    public void Feature_NamesAnAttributeInWords(string feature, string expected) =>
        Assert.Equal(expected, CriterionText.Feature(Spec, Spec.IndexOf(feature)));

    [Fact]
    public void EveryFeature_IsNamedInWords_WithoutItsIdOrAnUnderscore()
    {
        for (var j = 0; j < Spec.Features.Count; j++)
        {
            var name = CriterionText.Feature(Spec, j);
            Assert.True(LabelRules.IsSentence(name, out var why), $"{Spec.Features[j].Name}: '{name}' {why}");
            // A column or event type's underscore is an id showing through; a page's path (/free_trial) may hold one.
            Assert.DoesNotMatch(@"(^|\s)[^/\s]*_", name);
        }
    }

    [Theory]
    [InlineData("page_view", "/pricing", "Viewed /pricing")]
    [InlineData("page_view", null, "Viewed a page")]
    [InlineData("demo_request", null, "Requested a demo")]
    [InlineData("email_open", "newsletter", "Opened a newsletter e-mail")]
    [InlineData("form_submit", "/demo", "Submitted the /demo form")]
    [InlineData("trial_start", null, "Had a trial start event")]
    [InlineData("quote_request", " ", "Requested a quote")]
    public void Event_ReadsAsAPastTensePhrase(string type, string? detail, string expected) => Assert.Equal(expected, CriterionText.Event(type, detail));
}
