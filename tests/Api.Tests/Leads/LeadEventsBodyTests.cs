using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LeadML.Api.Tests.Fixtures;
using LeadML.Api.Tests.Outcomes;

namespace LeadML.Api.Tests.Leads;

/// <summary><c>POST /leads/{id}/events</c> reads one event in the body's own fields or several in <c>events</c>,
/// never both: a body holding both is refused rather than one of them dropped.</summary>
[Collection(BundleCollection.Name)]
public sealed class LeadEventsBodyTests(TrainedBundle bundle)
{
    [Theory]
    [InlineData("eventId", "$.eventId")]
    [InlineData("type", "$.type")]
    [InlineData("timestamp", "$.timestamp")]
    [InlineData("detail", "$.detail")]
    public async Task SingleEventFieldBesideEvents_IsRefusedAtItsPath_NothingIsStored(string field, string path)
    {
        using var api = new SqliteApi(bundle.CopyTo(), DateTimeOffset.UtcNow);
        var at = api.Now.AddHours(-1);
        var body = new JsonObject
        {
            ["events"] = new JsonArray(new JsonObject { ["eventId"] = "m1", ["type"] = "page_view", ["timestamp"] = at }),
            [field] = field == "timestamp" ? JsonValue.Create(at) : JsonValue.Create("s1"),
        };

        var response = await api.Client.PostAsJsonAsync("/leads/both/events", body);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var error = Assert.Single(JsonNode.Parse(text)!["errors"]!.AsObject());
        Assert.Equal(path, error.Key);
        Assert.Contains("cannot be sent with 'events'", (string?)error.Value![0], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await api.Client.GetAsync("/leads/both")).StatusCode);
    }

    [Fact]
    public async Task EventsWithTheLeadNamed_IsAccepted()
    {
        using var api = new SqliteApi(bundle.CopyTo(), DateTimeOffset.UtcNow);
        var answer = await SqliteApi.Json(await api.Client.PostAsJsonAsync("/leads/named/events",
            new { leadId = "named", events = new[] { new { eventId = "n1", type = "page_view", timestamp = api.Now.AddHours(-1) } } }));
        Assert.Equal(1, answer["accepted"]!.GetValue<int>());
    }
}
