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

    /// <summary>Approves a rule set whose sales-ready threshold lies halfway between the scores of a cold and a hot lead
    /// (scored by <c>POST /score</c> as created at <paramref name="createdAt"/>), so a test of what makes a lead
    /// sales-ready does not depend on where the trained suggestion puts its threshold.</summary>
    public async Task SalesReadyBetween(object cold, object hot, DateTimeOffset createdAt)
    {
        async Task<double> Score(object attributes) =>
            (await Json(await Client.PostAsJsonAsync("/score?explain=false", new { attributes, createdAt, asOf = Now })))["score"]!.GetValue<double>();
        var (low, high) = (await Score(cold), await Score(hot));
        Assert.True(high - low >= 2, $"the hot lead ({high}) must score above the cold one ({low})");
        var draft = await Json(await Admin.PostAsJsonAsync("/rulesets/sample/drafts", new { }), HttpStatusCode.Created);
        var version = draft["summary"]!["version"]!.GetValue<int>();
        // The top grade starts at the threshold; the lower grades move down as far as needed to stay below it.
        var threshold = Math.Round((low + high) / 2);
        var floor = threshold + 1;
        var grades = draft["rules"]!["grades"]!.AsArray().Select((g, i) =>
        {
            floor = i == 0 ? threshold : Math.Max(0, Math.Min(g!["minScore"]!.GetValue<double>(), floor - 1));
            return new { grade = (string)g!["grade"]!, minScore = floor, label = (string?)g["label"] };
        }).ToArray();
        var patch = new HttpRequestMessage(HttpMethod.Patch, $"/rulesets/sample/{version}")
        {
            Content = JsonContent.Create(new { thresholds = new { salesReady = threshold, hysteresis = 0 }, grades }),
        };
        await Json(await Admin.SendAsync(patch));
        await Json(await Admin.PostAsJsonAsync($"/rulesets/sample/{version}/approve", new { approvedBy = "test" }));
    }

    public async Task<JsonNode> PutLead(string id, object attributes, DateTimeOffset createdAt) =>
        await Json(await Client.PutAsJsonAsync($"/leads/{id}", new { attributes, createdAt }));

    public void Dispose()
    {
        Factory.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Folder, true);
    }
}
