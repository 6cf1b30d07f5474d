using System.Net;
using System.Net.Http.Json;
using LeadML.Api.Tests.Fixtures;
using static LeadML.Api.Tests.Leads.LeadBodies;

namespace LeadML.Api.Tests.Outcomes;

/// <summary>A conversion sent again without its time is the same conversion; a value that is no amount is refused.</summary>
[Collection(BundleCollection.Name)]
public sealed class ConversionRetryTests(TrainedBundle bundle)
{
    private static async Task<string[]> Reasons(SqliteApi api, string lead) =>
        [.. (await SqliteApi.Json(await api.Client.GetAsync($"/leads/{lead}/history")))["changes"]!.AsArray().Select(h => h!["reason"]!.GetValue<string>())];

    [Fact]
    public async Task ARetryWithoutAt_WithTheSameValueAndSource_IsUnchanged_EvenLater()
    {
        using var api = new SqliteApi(bundle.CopyTo(), DateTimeOffset.UtcNow);
        await api.PutLead("r1", HotLead, api.Now.AddDays(-30));
        var first = await SqliteApi.Json(await api.Client.PostAsJsonAsync("/leads/r1/conversion", new { value = 900.0, source = "crm:deal-9" }));
        Assert.Equal("recorded", (string?)first["status"]);
        api.Clock.Advance(TimeSpan.FromMinutes(3));

        var retry = await SqliteApi.Json(await api.Client.PostAsJsonAsync("/leads/r1/conversion", new { value = 900.0, source = "crm:deal-9" }));

        Assert.Equal("unchanged", (string?)retry["status"]);
        Assert.Equal(first["at"]!.GetValue<DateTimeOffset>(), retry["at"]!.GetValue<DateTimeOffset>());
        Assert.Equal(["attributes", "conversion"], await Reasons(api, "r1"));
    }

    [Fact]
    public async Task ARequestWithoutAt_WithANewValue_UpdatesTheRecordedConversion_AtItsTime()
    {
        using var api = new SqliteApi(bundle.CopyTo(), DateTimeOffset.UtcNow);
        await api.PutLead("r2", HotLead, api.Now.AddDays(-30));
        var at = api.Now.AddDays(-2);
        await SqliteApi.Json(await api.Client.PostAsJsonAsync("/leads/r2/conversion", new { at, value = 900.0 }));

        var updated = await SqliteApi.Json(await api.Client.PostAsJsonAsync("/leads/r2/conversion", new { value = 1100.0 }));

        Assert.Equal("updated", (string?)updated["status"]);
        Assert.Equal(1100.0, updated["value"]!.GetValue<double>());
        Assert.Equal(at.ToUnixTimeMilliseconds(), updated["at"]!.GetValue<DateTimeOffset>().ToUnixTimeMilliseconds());
        Assert.Equal(["attributes", "conversion"], await Reasons(api, "r2"));
    }

    [Fact]
    public async Task ARetryWithAnotherAt_IsStillAConflict()
    {
        using var api = new SqliteApi(bundle.CopyTo(), DateTimeOffset.UtcNow);
        await api.PutLead("r3", HotLead, api.Now.AddDays(-30));
        await SqliteApi.Json(await api.Client.PostAsJsonAsync("/leads/r3/conversion", new { value = 900.0 }));

        await SqliteApi.Json(await api.Client.PostAsJsonAsync("/leads/r3/conversion", new { at = api.Now.AddDays(-1), value = 900.0 }), HttpStatusCode.Conflict);
    }

    [Theory]
    [InlineData("1e400", "is not a finite number")]
    [InlineData("\"NaN\"", "is not a finite number")]
    [InlineData("\"Infinity\"", "is not a finite number")]
    [InlineData("-5", "is -5")]
    [InlineData("2e12", "is 2000000000000")]
    public async Task AValueThatIsNoAmount_IsRefusedAtValue_AndNothingIsRecorded(string value, string message)
    {
        using var api = new SqliteApi(bundle.CopyTo(), DateTimeOffset.UtcNow);
        await api.PutLead("r4", HotLead, api.Now.AddDays(-30));

        var error = await Refused(await api.Client.PostAsync("/leads/r4/conversion", Body($$"""{"value": {{value}}}""")));

        Assert.Equal("$.value", error.Key);
        Assert.StartsWith(message, (string?)error.Value![0], StringComparison.Ordinal);
        Assert.Contains("an amount from 0 to 1,000,000,000,000", (string?)error.Value![0], StringComparison.Ordinal);
        Assert.Null((await SqliteApi.Json(await api.Client.GetAsync("/leads/r4")))["convertedAt"]);
    }
}
