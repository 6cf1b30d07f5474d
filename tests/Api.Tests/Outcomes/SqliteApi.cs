using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LeadML.Api.Tests.Fixtures;
using LeadML.Api.Tests.Store;
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

    public async Task<JsonNode> PutLead(string id, object attributes, DateTimeOffset createdAt) =>
        await Json(await Client.PutAsJsonAsync($"/leads/{id}", new { attributes, createdAt }));

    public void Dispose()
    {
        Factory.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Folder, true);
    }
}
