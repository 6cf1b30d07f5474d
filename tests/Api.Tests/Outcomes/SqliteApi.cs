using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LeadML.Api.Tests.Fixtures;
using LeadML.Api.Tests.Store;
using LeadML.Features.History;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace LeadML.Api.Tests.Outcomes;

/// <summary>The real Api on a fresh SQLite file in a temporary folder, with a hand-moved clock, a scoring and an admin
/// client; the folder goes on dispose.</summary>
internal sealed class SqliteApi : IDisposable
{
    public SqliteApi(string bundle, DateTimeOffset now, params (string Key, string? Value)[] extra)
    {
        Folder = Directory.CreateTempSubdirectory("leadml-outcomes-").FullName;
        Clock = new ManualClock(now);
        (string, string?)[] settings =
        [
            ("LeadML:Store:Provider", "sqlite"), ("LeadML:Store:Path", DatabasePath),
            ("LeadML:Rescoring:PollInterval", "00:00:00.100"), ("LeadML:Alerts:PollInterval", "00:00:00.100"), .. extra,
        ];
        Factory = ApiFactory.For(bundle, settings).WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(Clock)));
        Client = Make(ApiFactory.ScoringKey);
        Admin = Make(ApiFactory.AdminKey);
    }

    public string Folder { get; }

    public string DatabasePath => Path.Combine(Folder, "leadml.db");

    public ManualClock Clock { get; }

    public WebApplicationFactory<Program> Factory { get; }

    public HttpClient Client { get; }

    public HttpClient Admin { get; }

    public DateTimeOffset Now => Clock.GetUtcNow();

    public T Get<T>() where T : notnull => Factory.Services.GetRequiredService<T>();

    private HttpClient Make(string key)
    {
        var c = Factory.CreateClient();
        c.DefaultRequestHeaders.Add("X-Api-Key", key);
        return c;
    }

    /// <summary>The body as JSON after checking the status (the body is in the failure message).</summary>
    public static async Task<JsonNode> Json(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    /// <summary>Sends a history through the Api as a CRM and a tracker would: each lead by <c>PUT /leads/{id}</c> (its
    /// attributes, creation and conversion), then its events by <c>POST /events</c> in chunks, lead by lead; answers how
    /// many events were accepted.</summary>
    public async Task<long> Load(LeadHistory history)
    {
        var leads = history.Leads.Leads;
        await Parallel.ForEachAsync(leads, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (lead, ct) =>
        {
            var r = await Client.PutAsJsonAsync($"/leads/{lead.Id}", new
            {
                attributes = Scoring.ParityTests.AttributesAsText(history.Leads, lead), createdAt = lead.CreatedAt, convertedAt = lead.ConvertedAt,
            }, ct);
            Assert.True(r.IsSuccessStatusCode, await r.Content.ReadAsStringAsync(ct));
        });
        long accepted = 0;
        foreach (var chunk in history.Events!.ReadEvents(new ReadReport()).OrderBy(e => e.LeadIndex).Select((e, k) => (e, k)).Chunk(10_000))
        {
            var body = new { events = chunk.Select(x => new { leadId = leads[x.e.LeadIndex].Id, eventId = $"h{x.k}", type = x.e.Type, detail = x.e.Detail, timestamp = x.e.Timestamp }) };
            accepted += (await Json(await Client.PostAsJsonAsync("/events", body)))["accepted"]!.GetValue<long>();
        }
        return accepted;
    }

    /// <summary>Approves a rule set whose sales-ready threshold lies halfway between the scores of a cold and a hot
    /// lead (<see cref="SalesReadyRules.Between"/>).</summary>
    public Task SalesReadyBetween(object cold, object hot, DateTimeOffset createdAt) => SalesReadyRules.Between(Client, Admin, cold, hot, createdAt, Now);

    public async Task<JsonNode> PutLead(string id, object attributes, DateTimeOffset createdAt) =>
        await Json(await Client.PutAsJsonAsync($"/leads/{id}", new { attributes, createdAt }));

    public void Dispose()
    {
        Factory.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Folder, true);
    }
}
