using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LeadML.Api.Tests.Outcomes;
using LeadML.Api.Tests.Scoring;
using LeadML.Features.History;
using LeadML.Features.Randomness;
using LeadML.Trainer.Sample;
using LeadML.Features.Store;
using LeadML.Trainer.Training;

namespace LeadML.Api.Tests.Loop;

/// <summary>
/// The continuous-refinement loop end to end: a sample history → train → serve on a SQLite store → the history and
/// then new events and conversions through the Api → outcomes per grade → retrain from the store (export + training)
/// → compare through the Api → promote → scores and drift answer the new model version → rollback.
/// </summary>
public sealed class RefinementLoopTests : IDisposable
{
    private static readonly DateTimeOffset HistoryEnd = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly string _root = Directory.CreateTempSubdirectory("leadml-loop-").FullName;

    /// <summary>One small tree candidate: the loop is under test here, not the model search.</summary>
    private static readonly LeadML.Trainer.Modeling.SearchOptions Fast = new() { Depths = [2], MinChildWeights = [1], TreesOnly = true };

    [Fact]
    public async Task Loop_RetrainFromTheStore_CompareAndPromote_ScoresChangeVersion()
    {
        // 1. History and the champion trained on its files.
        var historyFolder = Path.Combine(_root, "history");
        SampleGenerator.Write(historyFolder, new SampleOptions { Leads = 2500, TruthProbabilities = false });
        var champion = TrainingRun.Run(new TrainOptions { History = historyFolder, Out = Path.Combine(_root, "models", "champion"), Search = Fast });

        // 2. Served on a SQLite store; the history goes in through the Api as a CRM and a tracker would send it.
        using var api = new SqliteApi(champion.BundleDirectory, HistoryEnd, ("LeadML:Store:Synchronous", "NORMAL"),
            ("LeadML:Rescoring:Interval", "3650.00:00:00"), ("LeadML:WatchBundles", "false"), ("LeadML:Promotion:Auto", "true"));
        var history = HistoryReader.Read(historyFolder);
        var leads = history.Leads.Leads;
        var stored = await api.Load(history);

        // 3. Three months later: new activity and conversions through the Api, mostly for leads graded A or B.
        api.Clock.Advance(TimeSpan.FromDays(90));
        var rng = new Xoshiro256(7);
        var open = leads.Where(l => l.ConvertedAt is null).ToList();
        var graded = new List<(string Id, string Grade)>();
        foreach (var lead in open)
        {
            var g = (await SqliteApi.Json(await api.Client.GetAsync($"/leads/{lead.Id}?explain=false")))["stored"]!["grade"]!.GetValue<string>();
            graded.Add((lead.Id, g));
        }
        var converting = graded.Where(l => (l.Grade is "A" or "B" && rng.NextDouble() < 0.5) || rng.NextDouble() < 0.03).Select(l => l.Id).ToList();
        var active = graded.Where(_ => rng.NextDouble() < 0.3).Select(l => l.Id).Union(converting).ToList();
        var newEvents = active.SelectMany((id, k) => Enumerable.Range(0, 3).Select(j => new
        {
            leadId = id, eventId = $"n{k}-{j}", type = converting.Contains(id) && j == 0 ? "quote_request" : "page_view",
            detail = j == 1 ? "/pricing" : (string?)null, timestamp = HistoryEnd.AddDays(5 + 10 * j + k % 7),
        })).ToList();
        foreach (var chunk in newEvents.Chunk(5000))
        {
            stored += (await SqliteApi.Json(await api.Client.PostAsJsonAsync("/events", new { events = chunk })))["accepted"]!.GetValue<int>();
        }
        foreach (var (id, k) in converting.Select((id, k) => (id, k)))
        {
            var c = await SqliteApi.Json(await api.Client.PostAsJsonAsync($"/leads/{id}/conversion", new { at = HistoryEnd.AddDays(40 + k % 40), value = 1000 + k, source = "crm" }));
            Assert.Equal("recorded", c["status"]!.GetValue<string>());
        }

        // 4. Outcomes per grade of the model in force at the cut-off a horizon ago (when the history went in): every new
        // conversion counted once, in the grade its lead had then, beside the report's promise.
        var outcomes = await SqliteApi.Json(await api.Client.GetAsync("/outcomes?model=sample"));
        Assert.True(outcomes["horizonComplete"]!.GetValue<bool>());
        Assert.Equal(champion.Manifest.ModelVersion, outcomes["modelVersion"]!.GetValue<string>());
        var grades = outcomes["grades"]!.AsArray();
        Assert.Equal(converting.Count, grades.Sum(g => g!["conversions"]!.GetValue<int>()));
        Assert.Equal(open.Count, grades.Sum(g => g!["leads"]!.GetValue<int>()));
        var a = grades.Single(g => g!["grade"]!.GetValue<string>() == "A")!;
        Assert.True(a["promisedRate"] is not null && a["observedRate"] is not null, outcomes.ToJsonString());
        var overall = (double)converting.Count / open.Count;
        Assert.True(a["observedRate"]!.GetValue<double>() > overall, $"A leads converted less than all leads ({overall:0.000}): {outcomes.ToJsonString()}");

        // 5. Retrain from the store: export (the standard files) and train with the same point-in-time rules.
        var exported = Path.Combine(_root, "exported");
        var export = StoreHistory.Export($"sqlite:{api.DatabasePath}", "sample", exported);
        Assert.Equal((leads.Count, leads.Count(l => l.ConvertedAt is not null) + converting.Count, (long)stored), (export.Leads, export.Conversions, export.Events));
        Assert.Equal("lead_id,created_at,converted_at,budget_known,company_size,country,industry,job_title,lead_source", File.ReadLines(Path.Combine(exported, "leads.csv")).First());
        var challenger = TrainingRun.Run(new TrainOptions { History = exported, Out = Path.Combine(_root, "models", "challenger"), Search = Fast });
        Assert.True(challenger.Manifest.Window.Test.To > champion.Manifest.Window.Test.To, "the store's newer months move the training window on");

        // 6. Compare through the Api on the store's history. Automatic promotion is on: the challenger goes in force
        // exactly when the comparison finds it not worse on any metric; otherwise promotion is refused unless forced.
        var compared = await SqliteApi.Json(await api.Admin.PostAsJsonAsync("/admin/models/sample/compare", new { bundle = challenger.BundleDirectory }));
        Assert.Equal(champion.Manifest.ModelVersion, compared["comparison"]!["current"]!["modelVersion"]!.GetValue<string>());
        Assert.InRange(compared["comparison"]!["new"]!["rocAuc"]!.GetValue<double>(), 0.6, 1.0);
        var notWorse = compared["notWorse"]!.GetValue<bool>();
        Assert.Equal(notWorse, compared["promoted"]!.GetValue<bool>());
        string action;
        if (notWorse)
        {
            action = "auto";
        }
        else
        {
            var refused = await SqliteApi.Json(await api.Admin.PostAsJsonAsync("/admin/models/sample/promote", new { bundle = challenger.BundleDirectory }), HttpStatusCode.Conflict);
            Assert.NotNull(refused["errors"]!["$.force"]);
            var promoted = await SqliteApi.Json(await api.Admin.PostAsJsonAsync("/admin/models/sample/promote", new { bundle = challenger.BundleDirectory, force = true }));
            Assert.Equal(champion.Manifest.ModelVersion, promoted["previousModelVersion"]!.GetValue<string>());
            action = "promote";
        }
        var inForce = (await SqliteApi.Json(await api.Client.GetAsync("/models"))).AsArray().Single()!;
        Assert.Equal(challenger.Manifest.ModelVersion, inForce["modelVersion"]!.GetValue<string>());

        // 7. Scores change version: now, and in the store once rescoring reaches the leads.
        var someLead = open[0].Id;
        var now = await SqliteApi.Json(await api.Client.GetAsync($"/leads/{someLead}"));
        Assert.Equal(challenger.Manifest.ModelVersion, now["current"]!["modelVersion"]!.GetValue<string>());
        var until = DateTime.UtcNow.AddSeconds(60);
        while ((await SqliteApi.Json(await api.Client.GetAsync($"/leads/{someLead}?explain=false")))["stored"]!["modelVersion"]!.GetValue<string>() != challenger.Manifest.ModelVersion)
        {
            Assert.True(DateTime.UtcNow < until, "stored scores did not move to the new model version within 60 s");
            await Task.Delay(100);
        }
        var reasons = (await SqliteApi.Json(await api.Client.GetAsync($"/leads/{someLead}/history")))["changes"]!.AsArray().Select(h => h!["reason"]!.GetValue<string>());
        Assert.Contains("new model", reasons);

        // Live drift is measured against the new bundle's own training distributions.
        var drift = await SqliteApi.Json(await api.Client.GetAsync("/drift?model=sample"));
        Assert.Equal(challenger.Manifest.ModelVersion, drift["modelVersion"]!.GetValue<string>());
        Assert.True(drift["observed"]!.GetValue<long>() > 0);

        // 8. Rollback puts the champion back.
        var back = await SqliteApi.Json(await api.Admin.PostAsync("/admin/models/sample/rollback", null));
        Assert.Equal(champion.Manifest.ModelVersion, back["modelVersion"]!.GetValue<string>());
        var score = await SqliteApi.Json(await api.Client.PostAsJsonAsync("/score", new { attributes = new { industry = "Software" } }));
        Assert.Equal(champion.Manifest.ModelVersion, score["modelVersion"]!.GetValue<string>());
        var list = (await SqliteApi.Json(await api.Admin.GetAsync("/admin/models/sample/promotions"))).AsArray();
        Assert.Equal(["rollback", action], list.Select(p => p!["action"]!.GetValue<string>()).ToArray());
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_root, true);
    }
}
