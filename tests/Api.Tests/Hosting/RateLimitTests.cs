using System.Net;
using System.Text.Json.Nodes;
using LeadML.Api.Tests.Fixtures;

namespace LeadML.Api.Tests.Hosting;

/// <summary>Per-key rate limits: off by default; when set, a key over its permits a minute gets 429 problem details
/// with Retry-After, while other keys and the health checks go on.</summary>
[Collection(BundleCollection.Name)]
public sealed class RateLimitTests(TrainedBundle bundle)
{
    [Fact]
    public async Task AKeyOverItsLimit_Gets429WithRetryAfter_AndAnotherKeyIsNotHeldBack()
    {
        using var api = ApiFactory.For(bundle.Directory, ("LeadML:WatchBundles", "false"), ("LeadML:RateLimit:PermitsPerMinute", "3"));
        var scoring = api.Client(ApiFactory.ScoringKey);

        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await scoring.GetAsync("/models")).StatusCode);
        using var refused = await scoring.GetAsync("/models");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var seconds = refused.Headers.RetryAfter?.Delta?.TotalSeconds;
        Assert.True(seconds is >= 1 and <= 60, $"Retry-After: {refused.Headers.RetryAfter}");
        var problem = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!;
        Assert.Equal(429, (int)problem["status"]!);
        Assert.Contains("3 requests a minute", (string?)problem["detail"]);

        Assert.Equal(HttpStatusCode.OK, (await api.Client(ApiFactory.AdminKey).GetAsync("/models")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.Client(key: null).GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task WithoutALimit_ManyRequestsOfOneKeyAreServed()
    {
        using var api = ApiFactory.For(bundle.Directory, ("LeadML:WatchBundles", "false"));
        var scoring = api.Client(ApiFactory.ScoringKey);

        for (var i = 0; i < 100; i++) Assert.Equal(HttpStatusCode.OK, (await scoring.GetAsync("/models")).StatusCode);
    }
}
