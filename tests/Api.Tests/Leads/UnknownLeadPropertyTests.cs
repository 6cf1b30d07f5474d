using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LeadML.Api.Tests.Fixtures;
using LeadML.Api.Tests.Outcomes;
using static LeadML.Api.Tests.Leads.LeadBodies;

namespace LeadML.Api.Tests.Leads;

/// <summary>A lead store body with a property the contract lacks is refused at its path, and nothing is stored.</summary>
[Collection(BundleCollection.Name)]
public sealed class UnknownLeadPropertyTests(TrainedBundle bundle)
{
    [Fact]
    public async Task PutLead_MisspelledAttributes_IsRefused_TheStoredLeadKeepsItsAttributesAndNoAlertIsRaised()
    {
        using var api = new SqliteApi(bundle.CopyTo(), DateTimeOffset.UtcNow);
        await api.PutLead("p1", HotLead, api.Now.AddDays(-20));
        var before = await SqliteApi.Json(await api.Client.GetAsync("/leads/p1"));
        var alerts = (await SqliteApi.Json(await api.Client.GetAsync("/alerts?leadId=p1"))).AsArray().Count;

        var error = await Refused(await api.Client.PutAsync("/leads/p1", Body("""{"attribute":{"industry":"Education"}}""")));

        Assert.Equal("$.attribute", error.Key);
        Assert.Equal("is not a known property; did you mean 'attributes'?", (string?)error.Value![0]);
        var after = await SqliteApi.Json(await api.Client.GetAsync("/leads/p1"));
        Assert.True(JsonNode.DeepEquals(before["attributes"], after["attributes"]), after["attributes"]!.ToJsonString());
        Assert.True(JsonNode.DeepEquals(before["stored"], after["stored"]), after["stored"]!.ToJsonString());
        Assert.Single((await SqliteApi.Json(await api.Client.GetAsync("/leads/p1/history")))["changes"]!.AsArray());
        Assert.Equal(alerts, (await SqliteApi.Json(await api.Client.GetAsync("/alerts?leadId=p1"))).AsArray().Count);
    }

    [Theory]
    [InlineData("""{"events":[{"eventId":"e1","type":"page_view","timestamp":"TIME","detial":"/pricing"}]}""", "$.events[0].detial", "did you mean 'detail'?")]
    [InlineData("""{"event":{"eventId":"e1","type":"page_view","timestamp":"TIME"}}""", "$.event", "did you mean 'events'?")]
    [InlineData("""{"eventId":"e1","type":"page_view","timestamp":"TIME","foo":1}""", "$.foo", "the known ones are 'model', 'leadId', 'eventId', 'type'")]
    public async Task PostLeadEvents_UnknownProperty_IsRefusedAtItsPath_NoEventIsStored(string body, string path, string message)
    {
        using var api = new SqliteApi(bundle.CopyTo(), DateTimeOffset.UtcNow);
        await api.PutLead("e1", HotLead, api.Now.AddDays(-20));

        var error = await Refused(await api.Client.PostAsync("/leads/e1/events", Body(body.Replace("TIME", api.Now.AddHours(-1).ToString("O")))));

        Assert.Equal(path, error.Key);
        Assert.Contains(message, (string?)error.Value![0], StringComparison.Ordinal);
        Assert.Equal(0, (await SqliteApi.Json(await api.Client.GetAsync("/leads/e1")))["eventCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task PostEvents_UnknownPropertyOfAnEvent_IsRefusedAtItsPath()
    {
        using var api = new SqliteApi(bundle.CopyTo(), DateTimeOffset.UtcNow);
        await api.PutLead("b1", HotLead, api.Now.AddDays(-20));
        var at = api.Now.AddHours(-1);

        var error = await Refused(await api.Client.PostAsJsonAsync("/events",
            new { events = new object[] { new { leadId = "b1", eventId = "x1", type = "page_view", timestamp = at }, new { leadId = "b1", eventId = "x2", type = "page_view", timestamp = at, created_at = at } } }));

        Assert.Equal("$.events[1].created_at", error.Key);
        Assert.Equal(0, (await SqliteApi.Json(await api.Client.GetAsync("/leads/b1")))["eventCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task PostLeadEvents_OneEventNamingItsLead_IsAccepted_NamingAnotherIsRefused()
    {
        using var api = new SqliteApi(bundle.CopyTo(), DateTimeOffset.UtcNow);
        await api.PutLead("s1", HotLead, api.Now.AddDays(-20));
        var at = api.Now.AddHours(-1);

        var other = await Refused(await api.Client.PostAsJsonAsync("/leads/s1/events", new { leadId = "s2", eventId = "x1", type = "page_view", timestamp = at }));
        Assert.Equal("$.leadId", other.Key);

        var own = await SqliteApi.Json(await api.Client.PostAsJsonAsync("/leads/s1/events", new { leadId = "s1", eventId = "x1", type = "page_view", timestamp = at }));
        Assert.Equal(1, own["accepted"]!.GetValue<int>());
    }
}
