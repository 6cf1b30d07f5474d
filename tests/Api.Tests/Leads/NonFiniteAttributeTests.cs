using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LeadML.Api.Tests.Fixtures;
using LeadML.Api.Tests.Outcomes;

namespace LeadML.Api.Tests.Leads;

/// <summary>A stored lead's attribute that is no finite number (<c>1e400</c>, <c>"Infinity"</c>, <c>"NaN"</c>) is an
/// invalid value: scored as missing, listed in the warnings of the lead's current score, never scored as ±∞.</summary>
[Collection(BundleCollection.Name)]
public sealed class NonFiniteAttributeTests(TrainedBundle bundle)
{
    private const string Others = """
        "industry":"Software","country":"United States","job_title":"CEO","lead_source":"web","budget_known":true
        """;

    private static StringContent Body(string attributes, DateTimeOffset createdAt) =>
        new($$"""{"attributes":{{{attributes}}},"createdAt":"{{createdAt:O}}"}""", Encoding.UTF8, "application/json");

    [Theory]
    [InlineData("1e400")]
    [InlineData("\"-Infinity\"")]
    [InlineData("\"NaN\"")]
    public async Task PutLead_NonFiniteNumber_IsScoredAsMissing_AndListedAsInvalid(string value)
    {
        using var api = new SqliteApi(bundle.CopyTo(), DateTimeOffset.UtcNow);
        var created = api.Now.AddDays(-20);
        var missing = await SqliteApi.Json(await api.Client.PutAsync("/leads/without", Body(Others, created)));

        var put = await api.Client.PutAsync("/leads/odd", Body($"{Others},\"company_size\":{value}", created));

        var answer = await SqliteApi.Json(put);
        Assert.DoesNotContain("Infinity", await put.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(missing["score"]!.GetValue<double>(), answer["score"]!.GetValue<double>());
        var got = await api.Client.GetAsync("/leads/odd");
        var lead = await SqliteApi.Json(got);
        Assert.Equal(missing["score"]!.GetValue<double>(), lead["current"]!["score"]!.GetValue<double>());
        Assert.Contains("company_size", Assert.Single(lead["current"]!["warnings"]!["invalidValues"]!.AsArray())!.GetValue<string>(), StringComparison.Ordinal);
    }
}
