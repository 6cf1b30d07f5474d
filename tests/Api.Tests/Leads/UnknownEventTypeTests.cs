using System.Net.Http.Json;
using LeadML.Api.Tests.Fixtures;
using LeadML.Api.Tests.Outcomes;

namespace LeadML.Api.Tests.Leads;

/// <summary>The store endpoints warn on event types the model has no channel for, as <c>/score</c> does, and still store
/// the events.</summary>
[Collection(BundleCollection.Name)]
public sealed class UnknownEventTypeTests(TrainedBundle bundle)
{
    [Fact]
    public async Task LeadEvents_UnknownType_IsStoredAndWarnedOnce()
    {
        using var api = new SqliteApi(bundle.CopyTo(), DateTimeOffset.UtcNow);
        var at = api.Now.AddHours(-1);
        var answer = await SqliteApi.Json(await api.Client.PostAsJsonAsync("/leads/odd/events", new
        {
            events = new[]
            {
                new { eventId = "o1", type = "telepathy", timestamp = at },
                new { eventId = "o2", type = "page_view", timestamp = at },
                new { eventId = "o3", type = "telepathy", timestamp = at },
            },
        }));

        Assert.Equal(3, answer["accepted"]!.GetValue<int>());
        Assert.Equal(["telepathy"], answer["warnings"]!["unknownEventTypes"]!.AsArray().Select(x => x!.GetValue<string>()));
        var stored = await SqliteApi.Json(await api.Client.GetAsync("/leads/odd"));
        Assert.Equal(3, stored["eventCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task BulkEvents_UnknownTypes_AreWarnedInOrder()
    {
        using var api = new SqliteApi(bundle.CopyTo(), DateTimeOffset.UtcNow);
        var at = api.Now.AddHours(-1);
        var answer = await SqliteApi.Json(await api.Client.PostAsJsonAsync("/events", new
        {
            events = new[]
            {
                new { leadId = "a", eventId = "b1", type = "zoom_call", timestamp = at },
                new { leadId = "b", eventId = "b2", type = "fax", timestamp = at },
            },
        }));

        Assert.Equal(2, answer["accepted"]!.GetValue<int>());
        Assert.Equal(["fax", "zoom_call"], answer["warnings"]!["unknownEventTypes"]!.AsArray().Select(x => x!.GetValue<string>()));
    }

    [Fact]
    public async Task KnownTypesOnly_HaveNoWarnings()
    {
        using var api = new SqliteApi(bundle.CopyTo(), DateTimeOffset.UtcNow);
        var answer = await SqliteApi.Json(await api.Client.PostAsJsonAsync("/leads/plain/events",
            new { eventId = "p1", type = "page_view", timestamp = api.Now.AddHours(-1) }));
        Assert.Null(answer["warnings"]);
    }
}
