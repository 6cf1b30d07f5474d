using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using LeadML.Api.Hosting;
using LeadML.Api.Tests.Fixtures;
using LeadML.Api.Tests.Store;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;

namespace LeadML.Api.Tests.Scoring;

/// <summary>Kestrel reading sockets in large blocks (<c>LeadML:ReceiveBlockBytes</c>): the pool, and a batch body of
/// many blocks over a real socket.</summary>
[Collection(BundleCollection.Name)]
public sealed class SocketReadingTests(TrainedBundle bundle)
{
    [Fact]
    public void Pool_HandsOutWholeBlocks_AndReusesWhatIsReturned()
    {
        using var pool = new LargeBlockMemoryPool(16 * 1024);
        var first = pool.Rent(4096);
        Assert.Equal(16 * 1024, first.Memory.Length);
        first.Memory.Span.Fill(7);
        first.Dispose();
        first.Dispose();
        Assert.Equal(1, pool.Kept);
        using var second = pool.Rent();
        Assert.Equal(0, pool.Kept);
        Assert.Equal(7, second.Memory.Span[^1]);
        Assert.Throws<ObjectDisposedException>(() => first.Memory);
        Assert.Throws<ArgumentOutOfRangeException>(() => pool.Rent(16 * 1024 + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LargeBlockMemoryPool(2048));
        Assert.Equal(2, pool.Rented);
    }

    [Fact]
    public void Pool_KeepsNoMoreThanItsLimit()
    {
        using var pool = new LargeBlockMemoryPool(4096);
        var owners = Enumerable.Range(0, LargeBlockMemoryPool.MaxKept + 10).Select(_ => pool.Rent()).ToList();
        owners.ForEach(o => o.Dispose());
        Assert.Equal(LargeBlockMemoryPool.MaxKept, pool.Kept);
    }

    [Fact]
    public async Task Batch_OverARealSocket_IsReadThroughTheLargeBlocks_AndScoresAsEachLeadAlone()
    {
        // The Api as an operator runs it (its own process, configured by environment), so that Kestrel is set up as in
        // production, not by the test host.
        var dir = Directory.CreateTempSubdirectory("leadml-socket-").FullName;
        try
        {
            using var api = new ApiProcess(new Dictionary<string, string>
            {
                ["LeadML__Models__sample__Bundle"] = bundle.Directory,
                ["LeadML__DefaultModel"] = "sample",
                ["LeadML__WatchBundles"] = "false",
                ["LeadML__Store__Provider"] = "none",
                ["LeadML__ReceiveBlockBytes"] = "8192",
            }, dir);
            await api.StartAsync();
            using var http = new HttpClient { BaseAddress = api.BaseAddress };
            var leads = Enumerable.Range(0, 1500).Select(i => ScoringTests.Lead(industry: i % 3 == 0 ? "Retail" : "Software", pricingViews: i % 5, id: $"L{i}")).ToList();
            var body = JsonContent.Create(new { leads });
            await body.LoadIntoBufferAsync();
            Assert.True(body.Headers.ContentLength > 40 * 8192, $"{body.Headers.ContentLength} bytes: the body must span many blocks");

            var r = await http.PostAsync("/score/batch?explain=false", body);
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            var answer = JsonNode.Parse(await r.Content.ReadAsStringAsync())!;
            Assert.Equal(1500, answer["scored"]!.GetValue<int>());
            var items = answer["items"]!.AsArray();
            foreach (var i in new[] { 0, 1, 2, 3, 4, 777, 1499 })
            {
                var alone = JsonNode.Parse(await (await http.PostAsJsonAsync("/score?explain=false", leads[i])).Content.ReadAsStringAsync())!;
                Assert.Equal(alone.ToJsonString(), items[i]!["result"]!.ToJsonString());
            }

            var metrics = await http.GetStringAsync("/metrics");
            var line = metrics.Split('\n').SingleOrDefault(l => l.StartsWith("leadml_receive_blocks_total{bytes=\"8192\"}", StringComparison.Ordinal));
            Assert.True(line is not null, $"no 8 KB blocks counted:\n{string.Join('\n', metrics.Split('\n').Where(l => l.Contains("receive_blocks", StringComparison.Ordinal)))}");
            Assert.True(double.Parse(line!.Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture) > 0, line);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void ReceiveBlockBytes_DefaultsTo32K_ZeroKeepsKestrelsPool_AndTooSmallStopsTheStart()
    {
        using (var api = ApiFactory.For(bundle.Directory, ("LeadML:WatchBundles", "false")))
        {
            api.CreateClient();
            var pools = Assert.IsType<LargeBlockMemoryPool.Factory>(api.Services.GetService<IMemoryPoolFactory<byte>>());
            Assert.Equal(32 * 1024, pools.Create().MaxBufferSize);
        }
        using (var api = ApiFactory.For(bundle.Directory, ("LeadML:WatchBundles", "false"), ("LeadML:ReceiveBlockBytes", "0")))
        {
            api.CreateClient();
            Assert.IsNotType<LargeBlockMemoryPool.Factory>(api.Services.GetService<IMemoryPoolFactory<byte>>());
        }
        using var small = ApiFactory.For(bundle.Directory, ("LeadML:WatchBundles", "false"), ("LeadML:ReceiveBlockBytes", "1000"));
        var e = Assert.ThrowsAny<Exception>(() => small.CreateClient());
        Assert.Contains("LeadML:ReceiveBlockBytes is 1000", e.ToString(), StringComparison.Ordinal);
    }
}
