using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace LeadML.Api.Tests.Leads;

/// <summary>What the lead store's body tests send and check: a lead that scores high, one that scores low, a raw JSON body, and a refusal
/// (400 problem+json in plain words, its one error).</summary>
internal static class LeadBodies
{
    public static readonly Dictionary<string, object?> HotLead = new()
    {
        ["industry"] = "Software", ["company_size"] = 500, ["country"] = "United States", ["job_title"] = "CEO", ["lead_source"] = "web", ["budget_known"] = true,
    };

    public static readonly Dictionary<string, object?> ColdLead = new()
    {
        ["industry"] = "Education", ["company_size"] = 5, ["country"] = "Other", ["job_title"] = "Student", ["lead_source"] = "event", ["budget_known"] = false,
    };

    public static StringContent Body(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>The one error of a 400 problem, after checking that it names no .NET type.</summary>
    public static async Task<KeyValuePair<string, JsonNode?>> Refused(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("System.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("DateTimeOffset", text, StringComparison.Ordinal);
        return Assert.Single(JsonNode.Parse(text)!["errors"]!.AsObject());
    }
}
