using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LeadML.Api.Tests.Fixtures;
using LeadML.Api.Tests.Outcomes;

namespace LeadML.Api.Tests.Loop;

/// <summary>The promotion endpoints' gates and durability (the full compare → promote path is in <see cref="RefinementLoopTests"/>).</summary>
[Collection(BundleCollection.Name)]
public sealed class PromotionTests(TrainedBundle bundle)
{
    /// <summary>A copy of the bundle under another model version.</summary>
    private string Candidate(string suffix)
    {
        var copy = bundle.CopyTo($"sample-{suffix}");
        var path = Path.Combine(copy, "manifest.json");
        var manifest = JsonNode.Parse(File.ReadAllText(path))!;
        manifest["modelVersion"] = manifest["modelVersion"]!.GetValue<string>() + "-" + suffix;
        File.WriteAllText(path, manifest.ToJsonString());
        return copy;
    }

    [Fact]
    public async Task Promote_WithoutAComparison_IsRefused_ForcedItHolds_AcrossARestart_AndRollsBack()
    {
        var candidate = Candidate("next");
        string database;
        string version;
        using (var api = new SqliteApi(bundle.CopyTo(), DateTimeOffset.UtcNow, ("LeadML:WatchBundles", "false")))
        {
            database = api.DatabasePath;
            var refused = await SqliteApi.Json(await api.Admin.PostAsJsonAsync("/admin/models/sample/promote", new { bundle = candidate }), HttpStatusCode.Conflict);
            Assert.Contains("never compared", refused["errors"]!["$.force"]![0]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.Forbidden, (await api.Client.PostAsJsonAsync("/admin/models/sample/promote", new { bundle = candidate, force = true })).StatusCode);

            var promoted = await SqliteApi.Json(await api.Admin.PostAsJsonAsync("/admin/models/sample/promote", new { bundle = candidate, force = true }));
            version = promoted["modelVersion"]!.GetValue<string>();
            Assert.EndsWith("-next", version, StringComparison.Ordinal);
            Assert.True(promoted["forced"]!.GetValue<bool>());
            var score = await SqliteApi.Json(await api.Client.PostAsJsonAsync("/score", new { attributes = new { industry = "Software" } }));
            Assert.Equal(version, score["modelVersion"]!.GetValue<string>());

            // The database outlives this Api: copy it before the folder goes. VACUUM INTO reads the database as a
            // connection sees it, write-ahead log included; a file copy can miss what is not yet checkpointed.
            api.Factory.Dispose();
            database = Path.Combine(Directory.CreateTempSubdirectory("leadml-promotion-").FullName, "leadml.db");
            using (var source = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={api.DatabasePath}"))
            {
                source.Open();
                using var copy = source.CreateCommand();
                copy.CommandText = "VACUUM INTO $target";
                copy.Parameters.AddWithValue("$target", database);
                copy.ExecuteNonQuery();
            }
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }

        // A restart with the settings still naming the first bundle: the stored promotion is put back in force.
        using var restarted = new SqliteApi(bundle.CopyTo(), DateTimeOffset.UtcNow, ("LeadML:WatchBundles", "false"), ("LeadML:Store:Path", database));
        var until = DateTime.UtcNow.AddSeconds(20);
        while ((await SqliteApi.Json(await restarted.Client.GetAsync("/models"))).ToJsonString().Contains(version, StringComparison.Ordinal) is false)
        {
            Assert.True(DateTime.UtcNow < until, "the stored promotion was not adopted after the restart");
            await Task.Delay(100);
        }
        var back = await SqliteApi.Json(await restarted.Admin.PostAsync("/admin/models/sample/rollback", null));
        Assert.DoesNotContain("-next", back["modelVersion"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(version, back["previousModelVersion"]!.GetValue<string>());
        Directory.Delete(Path.GetDirectoryName(database)!, true);
    }

    [Fact]
    public async Task BadPromotionsAndComparisons_AnswerProblems()
    {
        using var api = new SqliteApi(bundle.CopyTo(), DateTimeOffset.UtcNow, ("LeadML:WatchBundles", "false"));
        var none = await SqliteApi.Json(await api.Admin.PostAsync("/admin/models/sample/rollback", null), HttpStatusCode.Conflict);
        Assert.Contains("no promotion", none["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        var missing = await SqliteApi.Json(await api.Admin.PostAsJsonAsync("/admin/models/sample/promote", new { bundle = "no/such/bundle" }), HttpStatusCode.BadRequest);
        Assert.Contains("not a folder", missing["errors"]!["$.bundle"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        var empty = Directory.CreateTempSubdirectory("leadml-empty-bundle-").FullName;
        var broken = await SqliteApi.Json(await api.Admin.PostAsJsonAsync("/admin/models/sample/promote", new { bundle = empty, force = true }), HttpStatusCode.BadRequest);
        Assert.NotNull(broken["errors"]!["$.bundle"]);
        Directory.Delete(empty);

        // An empty store has no history to compare on.
        var compare = await SqliteApi.Json(await api.Admin.PostAsJsonAsync("/admin/models/sample/compare", new { bundle = Candidate("other") }), (HttpStatusCode)422);
        Assert.Contains("no leads", compare["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await api.Admin.PostAsJsonAsync("/admin/models/nope/promote", new { bundle = empty })).StatusCode);
    }
}
