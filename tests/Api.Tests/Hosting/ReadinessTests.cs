using System.Net;
using LeadML.Api.Tests.Fixtures;
using LeadML.Api.Tests.Outcomes;
using Microsoft.Data.Sqlite;

namespace LeadML.Api.Tests.Hosting;

/// <summary>Readiness includes the lead store; liveness does not; a request failing on a broken store is counted in
/// the request metrics with the 500 it answered.</summary>
[Collection(BundleCollection.Name)]
public sealed class ReadinessTests(TrainedBundle bundle)
{
    [Fact]
    public async Task AStoreThatNoLongerAnswers_MakesTheApiNotReady_ButStillLive_AndItsFailuresAreCountedAs500()
    {
        using var api = new SqliteApi(bundle.CopyTo(), DateTimeOffset.UtcNow, ("LeadML:Rescoring:PollInterval", "01:00:00"),
            ("LeadML:Alerts:PollInterval", "01:00:00"));
        var probe = api.Factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await probe.GetAsync("/health/ready")).StatusCode);

        // The database file is replaced by a folder: every new connection fails, as with a lost disk or volume.
        SqliteConnection.ClearAllPools();
        foreach (var file in Directory.GetFiles(api.Folder)) File.Delete(file);
        Directory.CreateDirectory(api.DatabasePath);
        var before = await Served500(probe, "/leads/{id}");

        using var ready = await probe.GetAsync("/health/ready");
        using var live = await probe.GetAsync("/health/live");
        using var lead = await api.Client.GetAsync("/leads/anyone");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("Unhealthy", await ready.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.InternalServerError, lead.StatusCode);
        Assert.Equal("application/problem+json", lead.Content.Headers.ContentType?.MediaType);
        var counted = await Served500(probe, "/leads/{id}");
        Assert.True(counted == before + 1, $"500s counted for GET /leads/{{id}}: {before} before, {counted} after; "
            + string.Join(" | ", (await probe.GetStringAsync("/metrics")).Split('\n').Where(l => l.StartsWith("http_requests_received_total{", StringComparison.Ordinal))));
    }

    [Fact]
    public async Task WithoutAStore_ReadinessIsTheBundlesAlone()
    {
        using var api = ApiFactory.For(bundle.Directory, ("LeadML:WatchBundles", "false"));

        Assert.Equal(HttpStatusCode.OK, (await api.Client(key: null).GetAsync("/health/ready")).StatusCode);
    }

    /// <summary>GET requests to <paramref name="endpoint"/> answered 500, as <c>/metrics</c> counts them.</summary>
    private static async Task<double> Served500(HttpClient client, string endpoint)
    {
        var text = await client.GetStringAsync("/metrics");
        return text.Split('\n')
            .Where(l => l.StartsWith("http_requests_received_total{", StringComparison.Ordinal) && l.Contains("code=\"500\"", StringComparison.Ordinal)
                && l.Contains("method=\"GET\"", StringComparison.Ordinal) && l.Contains($"endpoint=\"{endpoint}\"", StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }
}
