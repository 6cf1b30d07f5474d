using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using LeadML.Api.Tests.Fixtures;
using LeadML.Features.Bundles;
using LeadML.Features.Rules;

namespace LeadML.Api.Tests.Scoring;

/// <summary>Several models side by side, a refused start, and bundle swaps under concurrent load.</summary>
[Collection(BundleCollection.Name)]
public sealed class SwapTests(TrainedBundle bundle)
{
    /// <summary>Rewrites a bundle folder as a new version: another model version and base points moved by <paramref name="shift"/>.</summary>
    private static void Republish(string folder, string version, double shift)
    {
        var b = ModelBundle.Load(folder);
        var rules = b.ReadOptional<RuleSet>(ModelBundle.SuggestedRuleSetFile)!;
        var extra = Directory.GetFiles(folder).Where(f => Path.GetFileName(f) is ModelBundle.SuggestedRuleSetFile or EvaluationSample.FileName or "report.html")
            .ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);
        extra[ModelBundle.SuggestedRuleSetFile] = JsonSerializer.SerializeToUtf8Bytes(rules with { BasePoints = rules.BasePoints + shift, ModelVersion = version }, BundleJson.Options);
        var next = new ModelBundle { Manifest = b.Manifest with { ModelVersion = version }, Spec = b.Spec, Trees = b.Trees, Linear = b.Linear, Calibration = b.Calibration, Metrics = b.Metrics };
        next.Save(folder, extra);
    }

    private static double BasePoints(string folder) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(folder, ModelBundle.SuggestedRuleSetFile)))!["basePoints"]!.GetValue<double>();

    [Fact]
    public async Task TwoModels_AreChosenByName_AndTheAnswerSaysWhich()
    {
        var a = bundle.CopyTo("a");
        var b = bundle.CopyTo("b");
        Republish(b, "b-v1", 7);
        using var api = new ApiFactory(new Dictionary<string, string?>
        {
            ["LeadML:Models:a:Bundle"] = a, ["LeadML:Models:b:Bundle"] = b, ["LeadML:DefaultModel"] = "a", ["LeadML:WatchBundles"] = "false",
        });
        var c = api.CreateClient();
        var byDefault = JsonNode.Parse(await (await c.PostAsJsonAsync("/score", ScoringTests.Lead())).Content.ReadAsStringAsync())!;
        var lead = JsonSerializer.SerializeToNode(ScoringTests.Lead())!.AsObject();
        lead["model"] = "b";
        var named = JsonNode.Parse(await (await c.PostAsJsonAsync("/score", lead)).Content.ReadAsStringAsync())!;
        Assert.Equal("a", byDefault["model"]!.GetValue<string>());
        Assert.Equal("b", named["model"]!.GetValue<string>());
        Assert.Equal("b-v1", named["modelVersion"]!.GetValue<string>());
        Assert.Equal(byDefault["rulePoints"]!["basePoints"]!.GetValue<double>() + 7, named["rulePoints"]!["basePoints"]!.GetValue<double>());
        var models = JsonNode.Parse(await c.GetStringAsync("/models"))!.AsArray();
        Assert.Equal(["a", "b"], models.Select(m => m!["name"]!.GetValue<string>()));
    }

    [Fact]
    public void Start_WithAMissingBundle_StopsWithAClearMessage()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"leadml-missing-{Guid.NewGuid():N}");
        using var api = ApiFactory.For(missing);
        var e = Assert.ThrowsAny<Exception>(() => api.CreateClient());
        var all = string.Join(" | ", Flatten(e).Select(x => x.Message));
        Assert.Contains(missing, all, StringComparison.Ordinal);
        Assert.Contains("does not exist", all, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reload_OfABrokenBundle_IsRefusedAndTheOldOneKeepsServing()
    {
        var folder = bundle.CopyTo();
        using var api = ApiFactory.For(folder, ("LeadML:WatchBundles", "false"));
        var before = JsonNode.Parse(await (await api.Client().PostAsJsonAsync("/score", ScoringTests.Lead())).Content.ReadAsStringAsync())!;
        File.WriteAllText(Path.Combine(folder, ModelBundle.ManifestFile), "{ not json");
        var r = await api.Client(ApiFactory.AdminKey).PostAsync("/admin/models/sample/reload", null);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, r.StatusCode);
        Assert.Contains("manifest.json", await r.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var after = JsonNode.Parse(await (await api.Client().PostAsJsonAsync("/score", ScoringTests.Lead())).Content.ReadAsStringAsync())!;
        Assert.Equal(before["modelVersion"]!.GetValue<string>(), after["modelVersion"]!.GetValue<string>());
    }

    [Fact]
    public async Task NewBundle_IsPickedUpWithoutRestart_WithNoFailedOrMixedRequestUnderLoad()
    {
        var folder = bundle.CopyTo();
        var oldBase = BasePoints(folder);
        using var api = ApiFactory.For(folder);
        var client = api.Client();
        var oldVersion = JsonNode.Parse(await (await client.PostAsJsonAsync("/score", ScoringTests.Lead())).Content.ReadAsStringAsync())!["modelVersion"]!.GetValue<string>();

        var seen = new ConcurrentBag<(HttpStatusCode Status, string? Version, double Base)>();
        using var stop = new CancellationTokenSource();
        var load = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var r = await client.PostAsJsonAsync("/score", ScoringTests.Lead());
                var text = await r.Content.ReadAsStringAsync();
                var node = r.IsSuccessStatusCode ? JsonNode.Parse(text) : null;
                seen.Add((r.StatusCode, node?["modelVersion"]?.GetValue<string>(), node?["rulePoints"]?["basePoints"]?.GetValue<double>() ?? double.NaN));
            }
        })).ToArray();

        await Task.Delay(500);
        Republish(folder, "sample-v2", 5);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline && !seen.Any(s => s.Version == "sample-v2")) await Task.Delay(100);
        await Task.Delay(500);
        await stop.CancelAsync();
        await Task.WhenAll(load);

        Assert.All(seen, s => Assert.Equal(HttpStatusCode.OK, s.Status));
        Assert.Contains(seen, s => s.Version == oldVersion);
        Assert.Contains(seen, s => s.Version == "sample-v2");
        // Each answer is wholly one version: the new model version always comes with the new rule set.
        Assert.All(seen, s => Assert.Equal(s.Version == "sample-v2" ? oldBase + 5 : oldBase, s.Base));
        Assert.True(seen.Count > 50, $"only {seen.Count} requests");
    }

    private static IEnumerable<Exception> Flatten(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException) yield return x;
    }
}
