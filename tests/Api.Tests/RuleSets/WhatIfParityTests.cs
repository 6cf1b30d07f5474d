using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LeadML.Api.RuleSets;
using LeadML.Api.Scoring;
using LeadML.Api.Tests.Fixtures;
using LeadML.Api.Tests.Scoring;
using LeadML.Features.Bundles;
using LeadML.Features.History;
using LeadML.Features.Snapshots;
using Microsoft.Extensions.DependencyInjection;

namespace LeadML.Api.Tests.RuleSets;

/// <summary>
/// The what-if is production: on test-period leads of the sample history, the what-if's answer for each lead (and so its
/// figures) is what <c>POST /score</c> answers for the same lead under the same rule set — the hybrid score with the blend
/// weight, the grade, sales-ready and the rule points — before a draft is approved (the rule set in force) and after it
/// (the draft's).
/// </summary>
[Collection(BundleCollection.Name)]
public sealed class WhatIfParityTests(TrainedBundle bundle)
{
    private const double BlendWeight = 0.35;

    [Fact]
    public async Task WhatIfPerLeadAndFigures_EqualWhatScoreAnswers_ForTheSameLeadsAndRuleSet()
    {
        // The bundle's evaluation sample is replaced by the trainer's own vectors of known test-period leads, so that each
        // row of the what-if has a lead that /score can be sent.
        var history = HistoryReader.Read(bundle.History);
        var snapshots = SnapshotBuilder.Build(history);
        var events = history.Events!.ReadEvents(new ReadReport()).ToLookup(e => e.LeadIndex);
        var rows = Enumerable.Range(0, snapshots.Rows).Where(i => snapshots.Period[i] == Period.Test).Where((_, k) => k % 11 == 0).Take(200).ToList();
        Assert.True(rows.Count >= 150, $"{rows.Count} test-period rows");
        var folder = bundle.CopyTo();
        var sample = new EvaluationSample
        {
            Width = snapshots.Width,
            X = [.. rows.SelectMany(i => snapshots.Row(i).ToArray())],
            Converted = [.. rows.Select(i => snapshots.Y[i] > 0.5f)],
            Cutoff = [.. rows.Select(i => snapshots.Cutoff[i])],
        };
        File.WriteAllBytes(Path.Combine(folder, EvaluationSample.FileName), sample.ToBytes());
        var bodies = rows.Select(i =>
        {
            var lead = history.Leads.Leads[snapshots.Lead[i]];
            return new
            {
                leadId = lead.Id,
                attributes = ParityTests.AttributesAsText(history.Leads, lead),
                createdAt = lead.CreatedAt,
                asOf = snapshots.Cutoff[i],
                events = events[snapshots.Lead[i]].Select(e => new { type = e.Type, detail = e.Detail, timestamp = e.Timestamp }),
            };
        }).ToArray();

        using var api = ApiFactory.For(folder, ("LeadML:WatchBundles", "false"), ("LeadML:BlendWeight", BlendWeight.ToString(CultureInfo.InvariantCulture)));
        var admin = api.Client(ApiFactory.AdminKey);
        var client = api.Client();

        // A draft that moves points as a marketer would: the widest positive criterion down, the strongest negative one further down, the base up.
        var draft = await RuleSetEndpointsTests.Send(admin, HttpMethod.Post, "/rulesets/sample/drafts", new { from = 0, createdBy = "Ann" }, System.Net.HttpStatusCode.Created);
        var criteria = draft["rules"]!["criteria"]!.AsArray();
        var widest = criteria.Where(c => (int)c!["points"]! > 0 && c["support"] is not null).MaxBy(c => (int)c!["support"]!["leads"]!)!;
        var negative = criteria.Where(c => (int)c!["points"]! < 0).MinBy(c => (int)c!["points"]!)!;
        var patch = new JsonObject
        {
            ["basePoints"] = (double)draft["rules"]!["basePoints"]! + 4,
            ["criteria"] = new JsonObject
            {
                [(string)widest["id"]!] = new JsonObject { ["points"] = (int)widest["points"]! / 2 },
                [(string)negative["id"]!] = new JsonObject { ["points"] = Math.Max(-100, (int)negative["points"]! - 12) },
            },
        };
        await RuleSetEndpointsTests.Send(admin, HttpMethod.Patch, "/rulesets/sample/1", patch);

        var whatIf = await RuleSetEndpointsTests.Send(admin, HttpMethod.Post, "/rulesets/sample/whatif", new { version = 1 });
        Assert.Equal(rows.Count, (int)whatIf["rows"]!);
        Assert.Equal(BlendWeight, (double)whatIf["blendWeight"]!);
        Assert.Equal("score = 0.65 × rule points + 0.35 × model points", (string?)whatIf["formula"]);
        var registry = api.Services.GetRequiredService<ModelRegistry>();
        var repository = api.Services.GetRequiredService<IRuleSetRepository>();
        var draftRules = (await repository.GetAsync("sample", 1, CancellationToken.None))!.Rules;

        // Before approval, /score scores with the suggestion: the what-if's "in force" side.
        var suggested = registry.Get("sample");
        var before = await ScoreAll(client, bodies);
        Same(WhatIf.Score(suggested, suggested.Rules, sample, BlendWeight), before, "suggestion in force");
        Figures(whatIf["inForce"]!, before, suggested.Rules.Thresholds.SalesReady);

        await RuleSetEndpointsTests.Send(admin, HttpMethod.Post, "/rulesets/sample/1/approve", new { approvedBy = "Ann" });
        var after = await ScoreAll(client, bodies);
        Assert.All(after, a => Assert.Equal("v1", (string?)a["ruleSetVersion"]));
        Same(WhatIf.Score(registry.Get("sample"), draftRules, sample, BlendWeight), after, "draft v1");
        Figures(whatIf["candidate"]!, after, draftRules.Thresholds.SalesReady);
        // The edit moved the answers: the comparison is not between two copies of one thing.
        Assert.True(before.Zip(after).Count(p => (double)p.First["score"]! != (double)p.Second["score"]!) > rows.Count / 2);
    }

    private static async Task<List<JsonNode>> ScoreAll(HttpClient client, object[] bodies)
    {
        var response = await client.PostAsJsonAsync("/score/batch?explain=false", new { leads = bodies });
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(response.IsSuccessStatusCode, answer.ToJsonString());
        var items = answer["items"]!.AsArray();
        Assert.All(items, i => Assert.Null(i!["error"]));
        return [.. items.Select(i => i!["result"]!)];
    }

    /// <summary>Each lead's what-if answer is /score's: score, grade, sales-ready, rule points and model points.</summary>
    private static void Same(HybridScore[] whatIf, List<JsonNode> score, string what)
    {
        Assert.Equal(score.Count, whatIf.Length);
        for (var i = 0; i < whatIf.Length; i++)
        {
            var s = score[i];
            var at = $"{what}, lead {(string?)s["leadId"]}";
            Assert.True((double)s["score"]! == whatIf[i].Score, $"{at}: /score {s["score"]}, what-if {whatIf[i].Score}");
            Assert.True((string?)s["grade"] == whatIf[i].Grade, $"{at}: /score grade {s["grade"]}, what-if {whatIf[i].Grade}");
            Assert.True((bool)s["salesReady"]! == whatIf[i].SalesReady, $"{at}: /score sales-ready {s["salesReady"]}, what-if {whatIf[i].SalesReady}");
            Assert.True((double)s["rulePoints"]!["score"]! == Math.Round(whatIf[i].Rules.Score, 2), $"{at}: rule points {s["rulePoints"]!["score"]} vs {whatIf[i].Rules.Score}");
            Assert.True((double)s["modelPoints"]!["score"]! == whatIf[i].ModelPoints, $"{at}: model points {s["modelPoints"]!["score"]} vs {whatIf[i].ModelPoints}");
            Assert.True((bool)s["disqualified"]! == whatIf[i].Rules.Disqualified, $"{at}: /score disqualified {s["disqualified"]}, what-if {whatIf[i].Rules.Disqualified}");
        }
    }

    /// <summary>The what-if's figures are counts of /score's answers.</summary>
    private static void Figures(JsonNode figures, List<JsonNode> score, double threshold)
    {
        Assert.Equal(score.Count(s => (bool)s["salesReady"]!), (int)figures["salesReadyLeads"]!);
        Assert.Equal(Math.Round(score.Average(s => (double)s["score"]!), 2), (double)figures["meanScore"]!, 6);
        foreach (var g in figures["grades"]!.AsArray())
        {
            Assert.Equal(score.Count(s => (string?)s["grade"] == (string?)g!["grade"]), (int)g!["leads"]!);
        }
        Assert.Equal(score.Count(s => (bool)s["disqualified"]!), (int)figures["disqualified"]!["leads"]!);
        // The rule points alone as the score: a disqualified lead is not sales-ready there either.
        var alone = figures["rulePointsAlone"]!;
        Assert.Equal(score.Count(s => !(bool)s["disqualified"]! && (double)s["rulePoints"]!["score"]! >= threshold), (int)alone["salesReadyLeads"]!);
        Assert.Equal(Math.Round(score.Average(s => (double)s["rulePoints"]!["score"]!), 2), (double)alone["meanPoints"]!, 1);
    }
}
