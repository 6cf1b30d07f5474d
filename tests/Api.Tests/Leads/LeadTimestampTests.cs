using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LeadML.Api.Leads;
using LeadML.Api.Tests.Fixtures;
using LeadML.Api.Tests.Outcomes;
using static LeadML.Api.Tests.Leads.LeadBodies;

namespace LeadML.Api.Tests.Leads;

/// <summary>The lead store's bodies take dates with a time and a time zone, in 1900 or later, and events no further
/// ahead of the server's clock than <see cref="LeadsApi.MaxClockSkew"/>; anything else is refused at its path with a
/// plain message, and nothing is stored.</summary>
[Collection(BundleCollection.Name)]
public sealed class LeadTimestampTests(TrainedBundle bundle)
{
    [Theory]
    [InlineData("createdAt", "2026-12-01T10:00:00", "has no time zone")]
    [InlineData("createdAt", "2026-12-01", "is a date without a time")]
    [InlineData("convertedAt", "1899-06-01T10:00:00Z", "is before 1900")]
    [InlineData("createdAt", "soon", "must be an ISO 8601 date and time with a time zone")]
    public async Task PutLead_BadDate_IsRefusedAtItsPath_TheStoredLeadIsUnchanged(string field, string value, string message)
    {
        using var api = new SqliteApi(bundle.CopyTo(), DateTimeOffset.UtcNow);
        await api.PutLead("d1", HotLead, api.Now.AddDays(-20));
        var before = await SqliteApi.Json(await api.Client.GetAsync("/leads/d1"));

        var error = await Refused(await api.Client.PutAsync("/leads/d1", Body($$"""{"attributes":{"industry":"Education"},"{{field}}":"{{value}}"}""")));

        Assert.Equal($"$.{field}", error.Key);
        Assert.Equal("Invalid request", (await SqliteApi.Json(await api.Client.PutAsync("/leads/d1", Body($$"""{"{{field}}":"{{value}}"}""")), System.Net.HttpStatusCode.BadRequest))["title"]!.GetValue<string>());
        Assert.Contains(message, (string?)error.Value![0], StringComparison.Ordinal);
        var after = await SqliteApi.Json(await api.Client.GetAsync("/leads/d1"));
        Assert.True(JsonNode.DeepEquals(before["attributes"], after["attributes"]), after["attributes"]!.ToJsonString());
        Assert.Equal(before["createdAt"]!.GetValue<string>(), after["createdAt"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("2026-12-01T10:00:00", "has no time zone")]
    [InlineData("2026-12-01", "is a date without a time")]
    [InlineData("1850-01-01T00:00:00Z", "is before 1900")]
    public async Task PostEvents_BadTimestamp_IsRefusedAtItsPath_NoEventIsStored(string value, string message)
    {
        using var api = new SqliteApi(bundle.CopyTo(), DateTimeOffset.UtcNow);
        await api.PutLead("d2", HotLead, api.Now.AddDays(-20));
        var ok = api.Now.AddHours(-1).ToString("O");

        var error = await Refused(await api.Client.PostAsync("/events", Body($$"""
            {"events":[{"leadId":"d2","eventId":"a","type":"page_view","timestamp":"{{ok}}"},{"leadId":"d2","eventId":"b","type":"page_view","timestamp":"{{value}}"}]}
            """)));

        Assert.Equal("$.events[1].timestamp", error.Key);
        Assert.Equal($"'{value}' {message}", ((string?)error.Value![0])![..(value.Length + message.Length + 3)]);
        Assert.Equal(0, (await SqliteApi.Json(await api.Client.GetAsync("/leads/d2")))["eventCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task PostLeadEvents_EventBeyondTheClockSkew_IsRefused_WithinItIsStored()
    {
        using var api = new SqliteApi(bundle.CopyTo(), DateTimeOffset.UtcNow);
        await api.PutLead("d3", HotLead, api.Now.AddDays(-20));
        var limit = LeadsApi.MaxClockSkew;

        var error = await Refused(await api.Client.PostAsJsonAsync("/leads/d3/events",
            new { events = new[] { new { eventId = "f1", type = "page_view", timestamp = api.Now.AddMinutes(-1) }, new { eventId = "f2", type = "page_view", timestamp = api.Now + limit + TimeSpan.FromSeconds(1) } } }));
        Assert.Equal("$.events[1].timestamp", error.Key);
        Assert.Contains("in the future", (string?)error.Value![0], StringComparison.Ordinal);
        Assert.Equal(0, (await SqliteApi.Json(await api.Client.GetAsync("/leads/d3")))["eventCount"]!.GetValue<int>());

        var within = await SqliteApi.Json(await api.Client.PostAsJsonAsync("/leads/d3/events",
            new { eventId = "f3", type = "page_view", timestamp = api.Now + limit - TimeSpan.FromSeconds(1) }));
        Assert.Equal(1, within["accepted"]!.GetValue<int>());
    }
}
