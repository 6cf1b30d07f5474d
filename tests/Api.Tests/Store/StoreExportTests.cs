using System.Net.Http.Json;
using LeadML.Api.Tests.Fixtures;
using LeadML.Features.History;
using LeadML.Features.Store;

namespace LeadML.Api.Tests.Store;

/// <summary>What the Api stored comes back out as a standard history, from SQLite and from PostgreSQL alike.</summary>
[Collection(BundleCollection.Name)]
public sealed class StoreExportTests(TrainedBundle bundle, PostgresServer server) : IClassFixture<PostgresServer>, IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("leadml-export-").FullName;

    [Fact]
    public Task Export_FromSqlite() =>
        RoundTrip(p => $"sqlite:{p}", ("LeadML:Store:Provider", "sqlite"), ("LeadML:Store:Path", Path.Combine(_root, "leadml.db")));

    [Fact]
    public Task Export_FromPostgres()
    {
        var connection = server.CreateDatabase();
        return RoundTrip(_ => $"postgres:{connection}", ("LeadML:Store:Provider", "postgres"), ("LeadML:Store:ConnectionString", connection));
    }

    private async Task RoundTrip(Func<string, string> spec, params (string Key, string? Value)[] store)
    {
        var created = DateTimeOffset.UtcNow.AddDays(-30);
        using (var api = ApiFactory.For(bundle.CopyTo(), [.. store, ("LeadML:WatchBundles", "false")]))
        {
            var c = api.Client();
            foreach (var (id, industry) in new[] { ("a", "Software"), ("b", "Retail"), ("c", "Finance") })
            {
                var r = await c.PutAsJsonAsync($"/leads/{id}", new { attributes = new { industry, company_size = 120 }, createdAt = created });
                Assert.True(r.IsSuccessStatusCode, await r.Content.ReadAsStringAsync());
            }
            var events = Enumerable.Range(0, 6).Select(k => new
            {
                leadId = k % 2 == 0 ? "a" : "b", eventId = $"e{k}", type = "page_view", detail = "/pricing", timestamp = created.AddDays(1 + k),
            });
            Assert.True((await c.PostAsJsonAsync("/events", new { events })).IsSuccessStatusCode);
            var conversion = await c.PostAsJsonAsync("/leads/a/conversion", new { at = created.AddDays(20) });
            Assert.True(conversion.IsSuccessStatusCode, await conversion.Content.ReadAsStringAsync());
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        var folder = Path.Combine(_root, "history-" + Guid.NewGuid().ToString("N"));
        StoreHistory.Export(spec(Path.Combine(_root, "leadml.db")), "sample", folder);
        var history = HistoryReader.Read(folder);
        Assert.Equal(["a", "b", "c"], history.Leads.Leads.Select(l => l.Id).Order(StringComparer.Ordinal));
        Assert.Equal(created.AddDays(20).UtcDateTime, history.Leads.Leads.Single(l => l.Id == "a").ConvertedAt!.Value, TimeSpan.FromMilliseconds(1));
        Assert.Null(history.Leads.Leads.Single(l => l.Id == "b").ConvertedAt);
        var read = history.Events!.ReadEvents(new ReadReport()).ToList();
        Assert.Equal(6, read.Count);
        Assert.All(read, e => Assert.Equal("/pricing", e.Detail));
        Assert.Contains(history.Leads.Columns, col => col.Name == "industry");
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_root, true);
    }
}
