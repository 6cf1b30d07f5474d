using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LeadML.Api.RuleSets;
using LeadML.Api.Scoring;
using LeadML.Api.Tests.Fixtures;
using LeadML.Features.Rules;

namespace LeadML.Api.Tests.Outcomes;

/// <summary><c>POST /leads/{id}/conversion</c> and its undo through the real Api on a SQLite file.</summary>
[Collection(BundleCollection.Name)]
public sealed class ConversionTests(TrainedBundle bundle)
{
    private static readonly Dictionary<string, object?> ColdLead = new()
    {
        ["industry"] = "Education", ["company_size"] = 5, ["country"] = "Other", ["job_title"] = "Student", ["lead_source"] = "event", ["budget_known"] = false,
    };

    private static async Task<string[]> Reasons(SqliteApi api, string lead) =>
        [.. (await SqliteApi.Json(await api.Client.GetAsync($"/leads/{lead}/history")))["changes"]!.AsArray().Select(h => h!["reason"]!.GetValue<string>())];

    [Fact]
    public async Task Conversion_IsStoredOnce_ARepeatChangesNothing()
    {
        using var api = new SqliteApi(bundle.CopyTo(), DateTimeOffset.UtcNow);
        await api.PutLead("c1", ColdLead, api.Now.AddDays(-30));
        var at = api.Now.AddDays(-2);
        var first = await SqliteApi.Json(await api.Client.PostAsJsonAsync("/leads/c1/conversion", new { at, value = 1200.5, source = "crm:deal-7" }));
        Assert.Equal("recorded", first["status"]!.GetValue<string>());
        Assert.Equal(1200.5, first["value"]!.GetValue<double>());

        var repeat = await SqliteApi.Json(await api.Client.PostAsJsonAsync("/leads/c1/conversion", new { at, value = 1200.5, source = "crm:deal-7" }));
        Assert.Equal("unchanged", repeat["status"]!.GetValue<string>());
        Assert.Equal(first["at"]!.GetValue<DateTimeOffset>(), repeat["at"]!.GetValue<DateTimeOffset>());
        Assert.Equal(["attributes", "conversion"], await Reasons(api, "c1"));

        var lead = await SqliteApi.Json(await api.Client.GetAsync("/leads/c1"));
        Assert.Equal(at.ToUnixTimeMilliseconds(), lead["convertedAt"]!.GetValue<DateTimeOffset>().ToUnixTimeMilliseconds());
        Assert.Null(lead["stored"]!["nextRescoreAt"]);

        // Resending the attributes without convertedAt (a CRM sync) keeps the conversion.
        await api.PutLead("c1", ColdLead, api.Now.AddDays(-30));
        Assert.NotNull((await SqliteApi.Json(await api.Client.GetAsync("/leads/c1")))["convertedAt"]);

        // The value arriving later, at the same time, updates it without a new history entry.
        var updated = await SqliteApi.Json(await api.Client.PostAsJsonAsync("/leads/c1/conversion", new { at, value = 1500.0, source = "crm:deal-7" }));
        Assert.Equal("updated", updated["status"]!.GetValue<string>());
        Assert.Equal(1500.0, updated["value"]!.GetValue<double>());
    }

    [Fact]
    public async Task Conversion_AtAnotherTime_IsAConflict_UnlessTheKeyIsAdmin()
    {
        using var api = new SqliteApi(bundle.CopyTo(), DateTimeOffset.UtcNow);
        await api.PutLead("c2", ColdLead, api.Now.AddDays(-30));
        await SqliteApi.Json(await api.Client.PostAsJsonAsync("/leads/c2/conversion", new { at = api.Now.AddDays(-3) }));

        var conflict = await SqliteApi.Json(await api.Client.PostAsJsonAsync("/leads/c2/conversion", new { at = api.Now.AddDays(-1) }), HttpStatusCode.Conflict);
        Assert.Contains("already converted", conflict["errors"]!["$.at"]![0]!.GetValue<string>(), StringComparison.Ordinal);

        var replaced = await SqliteApi.Json(await api.Admin.PostAsJsonAsync("/leads/c2/conversion", new { at = api.Now.AddDays(-1) }));
        Assert.Equal("replaced", replaced["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Conversion_Undo_NeedsAnAdminKey_AndPutsTheLeadBackOnSchedule()
    {
        using var api = new SqliteApi(bundle.CopyTo(), DateTimeOffset.UtcNow);
        await api.PutLead("c3", ColdLead, api.Now.AddDays(-30));
        await SqliteApi.Json(await api.Client.PostAsJsonAsync("/leads/c3/conversion", new { }));

        Assert.Equal(HttpStatusCode.Forbidden, (await api.Client.DeleteAsync("/leads/c3/conversion")).StatusCode);
        var undone = await SqliteApi.Json(await api.Admin.DeleteAsync("/leads/c3/conversion"));
        Assert.Equal("undone", undone["status"]!.GetValue<string>());
        Assert.Null((await SqliteApi.Json(await api.Client.GetAsync("/leads/c3")))["convertedAt"]);
        Assert.Equal(["attributes", "conversion", "conversion undone"], await Reasons(api, "c3"));

        var again = await SqliteApi.Json(await api.Admin.DeleteAsync("/leads/c3/conversion"), HttpStatusCode.NotFound);
        Assert.NotNull(again["errors"]!["$.leadId"]);
    }

    [Fact]
    public async Task ConvertedLead_RaisesNoSalesReadyAlert_WhereAnUnconvertedOneDoes()
    {
        using var api = new SqliteApi(bundle.CopyTo(), DateTimeOffset.UtcNow);
        await api.PutLead("won", ColdLead, api.Now.AddDays(-30));
        await api.PutLead("open", ColdLead, api.Now.AddDays(-30));
        await SqliteApi.Json(await api.Client.PostAsJsonAsync("/leads/won/conversion", new { at = api.Now.AddDays(-1) }));

        // A threshold every score reaches and no knock-out: the next scoring of an unconverted lead is a sales-ready transition.
        var registry = api.Get<ModelRegistry>();
        var repository = api.Get<IRuleSetRepository>();
        var rules = registry.Get("sample").Rules with { Thresholds = new Thresholds(0, 3), KnockOuts = [] };
        var draft = await repository.CreateDraftAsync("sample", rules, null, "test", api.Now.UtcDateTime);
        var approved = await repository.ApproveAsync("sample", draft.Version, "tester", "everyone is sales-ready", api.Now.UtcDateTime);
        registry.ApplyRuleSet("sample", approved.Rules, RuleSetSource.Approved);

        foreach (var lead in new[] { "won", "open" })
        {
            var r = await SqliteApi.Json(await api.Client.PostAsJsonAsync($"/leads/{lead}/events", new
            {
                events = new[] { new { eventId = "q", type = "quote_request", timestamp = api.Now.AddHours(-2) } },
            }));
            if (lead == "won") Assert.Null(r["leads"]![0]!["alert"]);
        }
        // The unconverted lead turns sales-ready (by the new rule set's rescoring or by its event, whichever came first).
        var alerts = (await SqliteApi.Json(await api.Client.GetAsync("/alerts?kind=sales-ready"))).AsArray();
        Assert.Equal(["open"], alerts.Select(a => a!["leadId"]!.GetValue<string>()).Distinct().ToArray());
    }

    [Fact]
    public async Task BadConversions_AnswerProblemsNamingTheField()
    {
        using var api = new SqliteApi(bundle.CopyTo(), DateTimeOffset.UtcNow);
        await api.PutLead("c4", ColdLead, api.Now.AddDays(-30));
        async Task<JsonNode> Bad(object body, HttpStatusCode status = HttpStatusCode.BadRequest) =>
            await SqliteApi.Json(await api.Client.PostAsJsonAsync("/leads/c4/conversion", body), status);

        Assert.Contains("future", (await Bad(new { at = api.Now.AddDays(1) }))["errors"]!["$.at"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("before the lead was created", (await Bad(new { at = api.Now.AddDays(-60) }))["errors"]!["$.at"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotNull((await Bad(new { value = -5 }))["errors"]!["$.value"]);
        Assert.NotNull((await Bad(new { at = "yesterday" }))["errors"]);
        var unknown = await SqliteApi.Json(await api.Client.PostAsJsonAsync("/leads/nobody/conversion", new { }), HttpStatusCode.NotFound);
        Assert.NotNull(unknown["errors"]!["$.leadId"]);
    }

    [Fact]
    public async Task Conversion_WithAMisspelledProperty_IsRefusedAtItsPath_AndNothingIsStored()
    {
        using var api = new SqliteApi(bundle.CopyTo(), DateTimeOffset.UtcNow);
        await api.PutLead("c9", ColdLead, api.Now.AddDays(-30));

        var r = await api.Client.PostAsJsonAsync("/leads/c9/conversion", new { value = 900.0, sorce = "crm:deal-9" });

        var problem = await SqliteApi.Json(r, HttpStatusCode.BadRequest);
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
        var error = Assert.Single(problem["errors"]!.AsObject());
        Assert.Equal("$.sorce", error.Key);
        Assert.Equal("is not a known property; did you mean 'source'?", (string?)error.Value![0]);
        Assert.Null((await SqliteApi.Json(await api.Client.GetAsync("/leads/c9")))["convertedAt"]);
        Assert.Equal(["attributes"], await Reasons(api, "c9"));
    }
}
