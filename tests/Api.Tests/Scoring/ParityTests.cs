using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LeadML.Api.Scoring;
using LeadML.Api.Tests.Fixtures;
using LeadML.Features.Bundles;
using LeadML.Features.Engine;
using LeadML.Features.History;
using LeadML.Features.Snapshots;

namespace LeadML.Api.Tests.Scoring;

/// <summary>
/// Training and serving compute the very same features: for test-period snapshots of the sample history, the Api
/// (given the lead's attributes as text and its raw events) builds the identical vector the trainer built, and
/// answers the probability the trainer's booster and calibration give for it.
/// </summary>
[Collection(BundleCollection.Name)]
public sealed class ParityTests(TrainedBundle bundle)
{
    [Fact]
    public async Task TrainerAndApi_GiveIdenticalVectorsAndProbabilities()
    {
        var history = HistoryReader.Read(bundle.History);
        var snapshots = SnapshotBuilder.Build(history);
        var model = ScoringModel.Load("sample", bundle.Directory);
        Assert.Equal(snapshots.Spec.Features.Select(f => f.Name), model.Spec.Features.Select(f => f.Name));

        var events = history.Events!.ReadEvents(new ReadReport()).ToLookup(e => e.LeadIndex);
        var rows = Enumerable.Range(0, snapshots.Rows).Where(i => snapshots.Period[i] == Period.Test).Where((_, k) => k % 97 == 0).Take(40).ToList();
        Assert.True(rows.Count >= 20);
        var bundleFiles = ModelBundle.Load(bundle.Directory);
        using var booster = bundleFiles.Trees is null ? null : Booster.Load(bundleFiles.Trees);
        using var api = ApiFactory.For(bundle.Directory, ("LeadML:WatchBundles", "false"));
        var client = api.Client();

        foreach (var i in rows)
        {
            var lead = history.Leads.Leads[snapshots.Lead[i]];
            var input = new LeadInput
            {
                LeadId = lead.Id,
                Attributes = AttributesAsText(history.Leads, lead),
                Events = [.. events[snapshots.Lead[i]].Select(e => new LeadEventInput(e.Timestamp, e.Type, e.Detail))],
                CreatedAt = lead.CreatedAt,
                AsOf = snapshots.Cutoff[i],
            };
            var expected = snapshots.Row(i).ToArray();
            var actual = LeadScorer.Vector(model, input, null, null, null, out _);
            for (var j = 0; j < expected.Length; j++)
            {
                Assert.True(expected[j].Equals(actual[j]), $"lead {lead.Id} at {snapshots.Cutoff[i]:yyyy-MM-dd}: {model.Spec.Features[j].Name} trainer {expected[j]} Api {actual[j]}");
            }

            // Over HTTP, with the events as JSON: the probability the trainer's own booster gives.
            var body = new
            {
                leadId = lead.Id,
                attributes = input.Attributes,
                createdAt = lead.CreatedAt,
                asOf = snapshots.Cutoff[i],
                events = input.Events.Select(e => new { type = e.Type, detail = e.Detail, timestamp = e.Timestamp }),
            };
            var answer = JsonNode.Parse(await (await client.PostAsJsonAsync("/score", body)).Content.ReadAsStringAsync())!;
            // The trainer's own engine: the native booster for trees, the fitted weights for the logistic regression.
            var margin = booster is not null ? booster.PredictMargin(expected, 1)[0] : bundleFiles.Linear!.Margin(expected);
            var expectedP = bundleFiles.Calibration.Apply(margin);
            var actualP = answer["modelProbability"]!.GetValue<double>();
            Assert.True(Math.Abs(expectedP - actualP) <= 1.5e-6, $"lead {lead.Id}: trainer {expectedP} Api {actualP}");
        }
    }

    /// <summary>A lead's attributes as an application would send them: text, numbers in invariant culture.</summary>
    internal static Dictionary<string, string?> AttributesAsText(LeadTable table, Lead lead)
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (var c = 0; c < table.Columns.Count; c++)
        {
            var col = table.Columns[c];
            result[col.Name] = col.Type switch
            {
                ColumnType.Category or ColumnType.Flag => lead.Categories[c],
                ColumnType.Number => double.IsNaN(lead.Numbers[c]) ? null : lead.Numbers[c].ToString("R", CultureInfo.InvariantCulture),
                ColumnType.Date => double.IsNaN(lead.Numbers[c]) ? null : DateTime.UnixEpoch.AddDays(lead.Numbers[c]).ToString("O", CultureInfo.InvariantCulture),
                _ => null,
            };
        }
        return result;
    }
}
