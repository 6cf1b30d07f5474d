using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LeadML.Api.Tests.Fixtures;
using LeadML.Api.Tests.Outcomes;
using LeadML.Api.Tests.Scoring;
using LeadML.Features.Bundles;
using LeadML.Features.History;

namespace LeadML.Api.Tests.Promotion;

/// <summary><c>POST /admin/models/{name}/recalibrate</c> on a store holding the history the bundle in force was trained
/// on: a new bundle version with the same trees and a calibration refitted on the latest complete outcomes, which
/// promote puts in force like any other; its errors as problem details.</summary>
[Collection(BundleCollection.Name)]
public sealed class RecalibrationTests(TrainedBundle bundle)
{
    private static readonly DateTimeOffset HistoryEnd = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Recalibrate_WritesANewVersionWithTheSameTrees_NotInForceUntilPromoted()
    {
        var inForce = bundle.CopyTo();
        using var api = new SqliteApi(inForce, HistoryEnd, ("LeadML:Store:Synchronous", "NORMAL"), ("LeadML:Rescoring:Interval", "3650.00:00:00"),
            ("LeadML:WatchBundles", "false"));
        await api.Load(HistoryReader.Read(bundle.History));
        var before = ModelBundle.Load(inForce);
        var output = Path.Combine(Path.GetDirectoryName(inForce)!, "sample-recalibrated");

        var answer = await SqliteApi.Json(await api.Admin.PostAsJsonAsync("/admin/models/sample/recalibrate", new { @out = output }));
        Assert.Equal(before.Manifest.ModelVersion, answer["recalibratedFrom"]!.GetValue<string>());
        var version = answer["modelVersion"]!.GetValue<string>();
        Assert.NotEqual(before.Manifest.ModelVersion, version);
        Assert.True(answer["positives"]!.GetValue<int>() >= 20 && answer["rows"]!.GetValue<int>() > answer["positives"]!.GetValue<int>());
        Assert.True(answer["outcomesFrom"]!.GetValue<DateTimeOffset>().UtcDateTime > before.Manifest.Window.LearntUntil,
            "the calibration must be refitted on outcomes after the bundle's training window");

        var written = ModelBundle.Load(answer["bundle"]!.GetValue<string>());
        Assert.Equal(before.Trees, written.Trees);
        Assert.Equal(File.ReadAllBytes(Path.Combine(inForce, ModelBundle.SuggestedRuleSetFile)), File.ReadAllBytes(Path.Combine(output, ModelBundle.SuggestedRuleSetFile)));
        Assert.Equal(version, written.Manifest.ModelVersion);
        Assert.Equal("recentOutcomes", written.Metrics.CalibrationFit!.Method);

        // Written, not in force: the model in force answers until a promotion.
        var models = (await SqliteApi.Json(await api.Client.GetAsync("/models"))).ToJsonString();
        Assert.Contains(before.Manifest.ModelVersion, models, StringComparison.Ordinal);
        Assert.DoesNotContain(version, models, StringComparison.Ordinal);

        // The same folder again: nothing already written is replaced.
        var again = await SqliteApi.Json(await api.Admin.PostAsJsonAsync("/admin/models/sample/recalibrate", new { @out = output }), HttpStatusCode.Conflict);
        Assert.Contains("already exists", again["errors"]!["$.out"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(version, ModelBundle.Load(output).Manifest.ModelVersion);

        // Its calibration learnt from the latest outcomes: there is no later month to compare on yet, and compare says so.
        var compare = await SqliteApi.Json(await api.Admin.PostAsJsonAsync("/admin/models/sample/compare", new { bundle = output }), (HttpStatusCode)422);
        Assert.Contains("no cut-off after", compare["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        var promoted = await SqliteApi.Json(await api.Admin.PostAsJsonAsync("/admin/models/sample/promote", new { bundle = output, force = true }));
        Assert.Equal(version, promoted["modelVersion"]!.GetValue<string>());
        var score = await SqliteApi.Json(await api.Client.PostAsJsonAsync("/score", new { attributes = new { industry = "Software" } }));
        Assert.Equal(version, score["modelVersion"]!.GetValue<string>());
    }

    [Fact]
    public async Task BadRecalibrations_AnswerProblemsNamingTheField()
    {
        using var api = new SqliteApi(bundle.CopyTo(), HistoryEnd, ("LeadML:WatchBundles", "false"));
        var learnt = ModelBundle.Load(bundle.Directory).Manifest.Window.LearntUntil;

        Assert.Equal(HttpStatusCode.Forbidden, (await api.Client.PostAsJsonAsync("/admin/models/sample/recalibrate", new { })).StatusCode);
        var early = await SqliteApi.Json(await api.Admin.PostAsJsonAsync("/admin/models/sample/recalibrate", new { from = learnt.AddDays(-30) }), HttpStatusCode.BadRequest);
        Assert.Contains("training window", early["errors"]!["$.from"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        var date = await SqliteApi.Json(await api.Admin.PostAsJsonAsync("/admin/models/sample/recalibrate", new JsonObject { ["from"] = "2025-13-01" }), HttpStatusCode.BadRequest);
        Assert.NotNull(date["errors"]!["$.from"]);

        // An empty store has no outcomes to fit on.
        var empty = await SqliteApi.Json(await api.Admin.PostAsJsonAsync("/admin/models/sample/recalibrate", new { }), (HttpStatusCode)422);
        Assert.False(string.IsNullOrWhiteSpace(empty["detail"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.NotFound, (await api.Admin.PostAsJsonAsync("/admin/models/nope/recalibrate", new { })).StatusCode);
    }
}
