using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using LeadML.Api.Tests.Fixtures;
using LeadML.Api.Tests.Store;

namespace LeadML.Api.Tests.Scoring;

/// <summary>A batch body of many socket reads, sent to the Api running as its own process.</summary>
[Collection(BundleCollection.Name)]
public sealed class BatchOverSocketTests(TrainedBundle bundle)
{
    [Fact]
    public async Task Batch_OverARealSocket_ScoresAsEachLeadAlone()
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
            }, dir);
            await api.StartAsync();
            using var http = new HttpClient { BaseAddress = api.BaseAddress };
            var leads = Enumerable.Range(0, 1500).Select(i => ScoringTests.Lead(industry: i % 3 == 0 ? "Retail" : "Software", pricingViews: i % 5, id: $"L{i}")).ToList();
            var body = JsonContent.Create(new { leads });
            await body.LoadIntoBufferAsync();
            Assert.True(body.Headers.ContentLength > 40 * 8192, $"{body.Headers.ContentLength} bytes: the body must span many socket reads");

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

        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
