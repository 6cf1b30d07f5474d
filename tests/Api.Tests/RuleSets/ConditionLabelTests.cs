using System.Net;
using System.Net.Http.Json;
using LeadML.Api.Tests.Fixtures;
using LeadML.Features.Bundles;
using LeadML.Features.Featurization;
using LeadML.Features.Rules;

namespace LeadML.Api.Tests.RuleSets;

/// <summary><c>POST /rulesets/{model}/label</c>: a condition in a marketer's words, the same sentence the trainer's labels,
/// the report and the Api's explanations read (the review page's default label for a new criterion comes from here).</summary>
[Collection(BundleCollection.Name)]
public sealed class ConditionLabelTests(TrainedBundle bundle) : IDisposable
{
    private readonly ApiFactory _factory = ApiFactory.For(bundle.CopyTo());

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task AConditionReadsAsTheSentenceCriteriaReadAs()
    {
        var admin = _factory.Client(ApiFactory.AdminKey);
        var spec = ModelBundle.Load(bundle.Directory).Spec;
        var pricing = FeatureNames.Count("page_view", "/pricing", 30);
        Assert.True(spec.IndexOf(pricing) >= 0, $"the sample model has {pricing}");

        Assert.Equal("Viewed /pricing 3 or more times in the last 30 days",
            await Label(admin, new { feature = pricing, op = "gte", value = 3 }));
        Assert.Equal("Viewed /pricing 3–4 times in the last 30 days",
            await Label(admin, new { feature = pricing, op = "between", value = 3, upper = 5 }));
        Assert.Equal("Job title: Student", await Label(admin, new { feature = FeatureNames.Category("job_title", "Student"), op = "eq", value = 1 }));
        Assert.Equal("Unsubscribed at some time", await Label(admin, new { feature = FeatureNames.Ever("unsubscribe"), op = "eq", value = 1 }));

        // Every feature of the model, as the page starts a condition on it: the Api says what CriterionText says, never an id.
        foreach (var f in spec.Features)
        {
            var condition = new Condition(f.Name, ConditionOp.Gte, 1);
            var label = await Label(admin, new { feature = f.Name, op = "gte", value = 1 });
            Assert.Equal(CriterionText.Label(spec, condition), label);
            Assert.DoesNotContain(f.Name, label, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("""{"feature": "attr.nope", "op": "eq", "value": 1}""", "$.feature", "is not a feature of this model")]
    [InlineData("""{"feature": "evt.page_view[/pricing].count_30d", "op": "between", "value": 5, "upper": 2}""", "$.upper", "must be a number above value (5)")]
    [InlineData("""{"feature": "evt.page_view[/pricing].count_30d", "value": 1}""", "$.op", "is required")]
    [InlineData("""{"op": "eq", "value": 1}""", "$.feature", "is required")]
    [InlineData("null", "$", "is required: a condition")]
    public async Task AConditionThatCannotBeWorded_Answers400AtItsJsonPath(string body, string path, string message)
    {
        using var response = await _factory.Client(ApiFactory.AdminKey).PostAsync("/rulesets/sample/label",
            new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
        var errors = System.Text.Json.Nodes.JsonNode.Parse(text)!["errors"]!.AsObject();
        Assert.Contains(message, (string)errors[path]![0]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownModelAnswers404_AndAScoringKeyIsNotEnough()
    {
        var body = new { feature = FeatureNames.Ever("unsubscribe"), op = "eq", value = 1 };
        await RuleSetEndpointsTests.Send(_factory.Client(ApiFactory.AdminKey), HttpMethod.Post, "/rulesets/nope/label", body, HttpStatusCode.NotFound);
        using var scoring = await _factory.Client(ApiFactory.ScoringKey).PostAsJsonAsync("/rulesets/sample/label", body);
        Assert.Equal(HttpStatusCode.Forbidden, scoring.StatusCode);
    }

    private static async Task<string> Label(HttpClient client, object condition) =>
        (string)(await RuleSetEndpointsTests.Send(client, HttpMethod.Post, "/rulesets/sample/label", condition))["label"]!;
}
