using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LeadML.Api.Tests.Fixtures;
using LeadML.Api.Tests.Scoring;
using LeadML.Features.History;
using LeadML.Features.Snapshots;

namespace LeadML.Api.Tests.Monitoring;

/// <summary>Live drift: traffic like the training data stays stable; a deliberately shifted attribute is flagged
/// while the others are not.</summary>
[Collection(BundleCollection.Name)]
public sealed class DriftTests(TrainedBundle bundle)
{
    /// <summary>Leads of the sample history at test-period cut-offs, as requests; company size multiplied by <paramref name="sizeFactor"/>.</summary>
    private List<object> Leads(double sizeFactor)
    {
        var history = HistoryReader.Read(bundle.History);
        var s = SnapshotBuilder.Build(history);
        var events = history.Events!.ReadEvents(new ReadReport()).ToLookup(e => e.LeadIndex);
        var rows = Enumerable.Range(0, s.Rows).Where(i => s.Period[i] == Period.Test).Where((_, k) => k % 7 == 0).Take(600);
        return [.. rows.Select(i =>
        {
            var lead = history.Leads.Leads[s.Lead[i]];
            var attributes = ParityTests.AttributesAsText(history.Leads, lead);
            if (attributes.TryGetValue("company_size", out var size) && size is not null)
            {
                attributes["company_size"] = (double.Parse(size, CultureInfo.InvariantCulture) * sizeFactor).ToString(CultureInfo.InvariantCulture);
            }
            return (object)new
            {
                leadId = lead.Id, attributes, createdAt = lead.CreatedAt, asOf = s.Cutoff[i],
                events = events[s.Lead[i]].Select(e => new { type = e.Type, detail = e.Detail, timestamp = e.Timestamp }),
            };
        })];
    }

    private static async Task<JsonObject> Drift(ApiFactory api, IReadOnlyList<object> leads)
    {
        var c = api.Client();
        Assert.Equal(HttpStatusCode.OK, (await c.PostAsJsonAsync("/score/batch?explain=false", new { leads })).StatusCode);
        return JsonNode.Parse(await c.GetStringAsync("/drift"))!.AsObject();
    }

    private static double Psi(JsonObject drift, string feature) =>
        drift["features"]!.AsArray().Single(f => f!["feature"]!.GetValue<string>() == feature)!["psi"]!.GetValue<double>();

    [Fact]
    public async Task ShiftedFeature_RaisesTheDriftSignal_UnchangedOnesDoNot()
    {
        using var same = ApiFactory.For(bundle.Directory, ("LeadML:WatchBundles", "false"));
        var baseline = await Drift(same, Leads(1));
        Assert.Equal(600, baseline["observed"]!.GetValue<long>());
        Assert.True(Psi(baseline, "attr.company_size") < 0.1, $"unshifted company size PSI {Psi(baseline, "attr.company_size")}");

        using var shifted = ApiFactory.For(bundle.Directory, ("LeadML:WatchBundles", "false"));
        var drift = await Drift(shifted, Leads(50));
        var size = drift["features"]!.AsArray().Single(f => f!["feature"]!.GetValue<string>() == "attr.company_size")!;
        Assert.True(size["psi"]!.GetValue<double>() >= 0.25, $"shifted company size PSI {size["psi"]}");
        Assert.Equal("significant", size["band"]!.GetValue<string>());
        Assert.True(Psi(drift, "attr.industry=Software") < 0.1);
        Assert.True(Psi(drift, "attr.job_title=CEO") < 0.1);

        var metrics = await shifted.Client(key: null).GetStringAsync("/metrics");
        Assert.Contains("leadml_feature_psi{model=\"sample\",feature=\"attr.company_size\"}", metrics, StringComparison.Ordinal);
    }
}
