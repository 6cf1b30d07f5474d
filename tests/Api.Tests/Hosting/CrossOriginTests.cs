using System.Net;
using LeadML.Api.Tests.Fixtures;

namespace LeadML.Api.Tests.Hosting;

/// <summary>CORS is off unless origins are configured, and then allows exactly those origins.</summary>
[Collection(BundleCollection.Name)]
public sealed class CrossOriginTests(TrainedBundle bundle)
{
    private const string Allowed = "https://crm.example.com";

    [Fact]
    public async Task APreflightFromAConfiguredOrigin_IsAllowed_WithTheKeyHeader()
    {
        using var api = ApiFactory.For(bundle.Directory, ("LeadML:WatchBundles", "false"), ("LeadML:Cors:Origins:0", Allowed),
            ("LeadML:Cors:Origins:1", "http://localhost:3000"));

        using var response = await Preflight(api, Allowed);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(Allowed, Header(response, "Access-Control-Allow-Origin"));
        Assert.Contains("POST", Header(response, "Access-Control-Allow-Methods"));
        Assert.Contains("x-api-key", Header(response, "Access-Control-Allow-Headers")!.ToLowerInvariant());

        // The answer itself names the origin too, so the page may read it.
        using var score = new HttpRequestMessage(HttpMethod.Get, "/models");
        score.Headers.Add("Origin", Allowed);
        using var answer = await api.Client().SendAsync(score);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(Allowed, Header(answer, "Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task APreflightFromAnotherOrigin_GetsNoCorsHeaders()
    {
        using var api = ApiFactory.For(bundle.Directory, ("LeadML:WatchBundles", "false"), ("LeadML:Cors:Origins:0", Allowed));

        using var response = await Preflight(api, "https://evil.example.net");

        Assert.Null(Header(response, "Access-Control-Allow-Origin"));
        Assert.Null(Header(response, "Access-Control-Allow-Headers"));
    }

    [Fact]
    public async Task WithoutConfiguredOrigins_NoOriginGetsCorsHeaders()
    {
        using var api = ApiFactory.For(bundle.Directory, ("LeadML:WatchBundles", "false"));

        using var preflight = await Preflight(api, Allowed);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/models");
        request.Headers.Add("Origin", Allowed);
        using var answer = await api.Client().SendAsync(request);

        Assert.Null(Header(preflight, "Access-Control-Allow-Origin"));
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Null(Header(answer, "Access-Control-Allow-Origin"));
    }

    private static async Task<HttpResponseMessage> Preflight(ApiFactory api, string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "/score");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "content-type,x-api-key");
        return await api.Client(key: null).SendAsync(request);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;
}
