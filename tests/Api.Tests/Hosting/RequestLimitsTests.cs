using System.Net;
using System.Text.Json.Nodes;
using LeadML.Api.Tests.Fixtures;

namespace LeadML.Api.Tests.Hosting;

/// <summary>A URL longer than <c>LeadML:MaxUrlBytes</c> is a 414 problem from the Api, also on a real socket, where the
/// server's own request-line limit sits above the Api's.</summary>
[Collection(BundleCollection.Name)]
public sealed class RequestLimitsTests(TrainedBundle bundle)
{
    private static async Task<JsonNode> UriTooLong(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.RequestUriTooLong, $"{(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(text)!;
    }

    [Fact]
    public async Task UrlOverTheSetLimit_Is414ProblemNamingTheLimit()
    {
        using var api = ApiFactory.For(bundle.Directory, ("LeadML:MaxUrlBytes", "1000"), ("LeadML:WatchBundles", "false"));
        var client = api.Client();
        var url = "/models?x=" + new string('a', 1000 - "/models?x=".Length);

        var fits = await client.GetAsync(url);
        var problem = await UriTooLong(await client.GetAsync(url + "a"));

        Assert.Equal(HttpStatusCode.OK, fits.StatusCode);
        Assert.Equal(414, (int)problem["status"]!);
        Assert.Equal("the URL has 1,001 bytes; the limit is 1,000 (LeadML:MaxUrlBytes); send long values in a JSON body", (string)problem["detail"]!);
    }

    [Fact]
    public async Task UrlOverTheDefaultLimit_OnARealSocket_IsTheApis414Problem_NotTheServersEmpty414()
    {
        using var api = ApiFactory.For(bundle.Directory, ("LeadML:WatchBundles", "false"));
        using var client = new HttpClient { BaseAddress = api.StartKestrel() };
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiFactory.ScoringKey);

        // 8 KB is the server's default request-line limit: 12 KB would be its empty 414 without the headroom.
        var fits = await client.GetAsync("/models?x=" + new string('a', 8000));
        var problem = await UriTooLong(await client.GetAsync("/models?x=" + new string('a', 12 * 1024)));

        Assert.Equal(HttpStatusCode.OK, fits.StatusCode);
        Assert.Contains("the limit is 8,192 (LeadML:MaxUrlBytes)", (string)problem["detail"]!, StringComparison.Ordinal);
    }
}
