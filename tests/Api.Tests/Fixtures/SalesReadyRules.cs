using System.Net;
using System.Net.Http.Json;
using static LeadML.Api.Tests.Fixtures.Answers;

namespace LeadML.Api.Tests.Fixtures;

/// <summary>A rule set that puts the sales-ready line between two leads, for tests of what makes a lead sales-ready.</summary>
internal static class SalesReadyRules
{
    /// <summary>Approves a rule set whose sales-ready threshold lies halfway between the scores of a cold and a hot lead
    /// (scored by <c>POST /score</c> as created at <paramref name="createdAt"/>, as of <paramref name="now"/>), with no
    /// hysteresis, so a test of what makes a lead sales-ready does not depend on where the trained suggestion puts its
    /// threshold.</summary>
    public static async Task Between(HttpClient client, HttpClient admin, object cold, object hot, DateTimeOffset createdAt, DateTimeOffset now)
    {
        async Task<double> Score(object attributes) =>
            (await Json(await client.PostAsJsonAsync("/score?explain=false", new { attributes, createdAt, asOf = now })))["score"]!.GetValue<double>();
        var (low, high) = (await Score(cold), await Score(hot));
        Assert.True(high - low >= 2, $"the hot lead ({high}) must score above the cold one ({low})");
        var draft = await Json(await admin.PostAsJsonAsync("/rulesets/sample/drafts", new { }), HttpStatusCode.Created);
        var version = draft["summary"]!["version"]!.GetValue<int>();
        // The top grade starts at the threshold; the lower grades move down as far as needed to stay below it.
        var threshold = Math.Round((low + high) / 2);
        var floor = threshold + 1;
        var grades = draft["rules"]!["grades"]!.AsArray().Select((g, i) =>
        {
            floor = i == 0 ? threshold : Math.Max(0, Math.Min(g!["minScore"]!.GetValue<double>(), floor - 1));
            return new { grade = (string)g!["grade"]!, minScore = floor, label = (string?)g["label"] };
        }).ToArray();
        var patch = new HttpRequestMessage(HttpMethod.Patch, $"/rulesets/sample/{version}")
        {
            Content = JsonContent.Create(new { thresholds = new { salesReady = threshold, hysteresis = 0 }, grades }),
        };
        await Json(await admin.SendAsync(patch));
        await Json(await admin.PostAsJsonAsync($"/rulesets/sample/{version}/approve", new { approvedBy = "test" }));
    }
}
