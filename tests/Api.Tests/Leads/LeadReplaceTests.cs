using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LeadML.Api.Tests.Fixtures;
using LeadML.Api.Tests.Outcomes;
using static LeadML.Api.Tests.Leads.LeadBodies;

namespace LeadML.Api.Tests.Leads;

/// <summary><c>PUT /leads/{id}</c> replaces a lead only with a complete body: what it leaves out is never read as "erase".</summary>
[Collection(BundleCollection.Name)]
public sealed class LeadReplaceTests(TrainedBundle bundle)
{
    [Fact]
    public async Task PutLead_WithoutAttributes_IsRefusedAtTheirPath_TheStoredLeadIsUnchanged()
    {
        using var api = new SqliteApi(bundle.CopyTo(), DateTimeOffset.UtcNow);
        await api.PutLead("r1", HotLead, api.Now.AddDays(-20));
        var before = await SqliteApi.Json(await api.Client.GetAsync("/leads/r1"));

        var error = await Refused(await api.Client.PutAsync("/leads/r1", Body($$"""{"createdAt":"{{api.Now.AddDays(-3):O}}"}""")));

        Assert.Equal("$.attributes", error.Key);
        Assert.Contains("is required", (string?)error.Value![0], StringComparison.Ordinal);
        Assert.Contains("PATCH", (string?)error.Value![0], StringComparison.Ordinal);
        var after = await SqliteApi.Json(await api.Client.GetAsync("/leads/r1"));
        Assert.True(JsonNode.DeepEquals(before["attributes"], after["attributes"]), after["attributes"]!.ToJsonString());
        Assert.Equal(before["createdAt"]!.GetValue<DateTimeOffset>(), after["createdAt"]!.GetValue<DateTimeOffset>());
        Assert.Single((await SqliteApi.Json(await api.Client.GetAsync("/leads/r1/history")))["changes"]!.AsArray());
    }

    [Fact]
    public async Task PutLead_WithoutCreatedAt_KeepsTheStoredCreationTime_AndReplacesTheAttributes()
    {
        using var api = new SqliteApi(bundle.CopyTo(), DateTimeOffset.UtcNow);
        var created = api.Now.AddDays(-20);
        await api.PutLead("r2", HotLead, created);
        api.Clock.Advance(TimeSpan.FromHours(2));

        await SqliteApi.Json(await api.Client.PutAsJsonAsync("/leads/r2", new { attributes = new { industry = "Education" } }));

        var lead = await SqliteApi.Json(await api.Client.GetAsync("/leads/r2"));
        Assert.Equal(created.ToUnixTimeMilliseconds(), lead["createdAt"]!.GetValue<DateTimeOffset>().ToUnixTimeMilliseconds());
        Assert.Equal("""{"industry":"Education"}""", lead["attributes"]!.ToJsonString());
    }

    [Fact]
    public async Task PutLead_NewWithoutCreatedAt_IsCreatedNow()
    {
        using var api = new SqliteApi(bundle.CopyTo(), DateTimeOffset.UtcNow);

        await SqliteApi.Json(await api.Client.PutAsJsonAsync("/leads/r3", new { attributes = HotLead }));

        var lead = await SqliteApi.Json(await api.Client.GetAsync("/leads/r3"));
        Assert.Equal(api.Now.ToUnixTimeMilliseconds(), lead["createdAt"]!.GetValue<DateTimeOffset>().ToUnixTimeMilliseconds());
    }

    [Theory]
    [InlineData("[]", "$", "must be a JSON object")]
    [InlineData("\"lead\"", "$", "must be a JSON object")]
    [InlineData("""{"attributes":[]}""", "$.attributes", "must be a JSON object of name: value")]
    [InlineData("""{"attributes":"Software"}""", "$.attributes", "must be a JSON object of name: value")]
    [InlineData("""{"attributes":{},"createdAt":5}""", "$.createdAt", "must be an ISO 8601 date")]
    [InlineData("""{"attributes":{"industry":["a"]}}""", "$.attributes.industry", "must be a string, number, boolean or null")]
    public async Task PutLead_AValueOfTheWrongType_IsAnInvalidRequestAtItsPath(string body, string path, string message)
    {
        using var api = new SqliteApi(bundle.CopyTo(), DateTimeOffset.UtcNow);
        await api.PutLead("r4", HotLead, api.Now.AddDays(-20));

        var response = await api.Client.PutAsync("/leads/r4", Body(body));
        var error = await Refused(response);

        Assert.Equal(path, error.Key);
        Assert.StartsWith(message, (string?)error.Value![0], StringComparison.Ordinal);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("Invalid request", (string?)problem["title"]);
        Assert.Equal(HotLead.Count, (await SqliteApi.Json(await api.Client.GetAsync("/leads/r4")))["attributes"]!.AsObject().Count);
    }

    [Fact]
    public async Task PutLead_ConvertedBeforeTheStoredCreationTime_IsRefused()
    {
        using var api = new SqliteApi(bundle.CopyTo(), DateTimeOffset.UtcNow);
        await api.PutLead("r5", HotLead, api.Now.AddDays(-5));

        var error = await Refused(await api.Client.PutAsJsonAsync("/leads/r5", new { attributes = HotLead, convertedAt = api.Now.AddDays(-10) }));

        Assert.Equal("$.convertedAt", error.Key);
        Assert.Null((await SqliteApi.Json(await api.Client.GetAsync("/leads/r5")))["convertedAt"]);
    }
}
