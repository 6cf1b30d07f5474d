using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LeadML.Api.Store;
using LeadML.Api.Tests.Fixtures;
using LeadML.Features.Store;
using Microsoft.Data.Sqlite;

namespace LeadML.Api.Tests.Store;

/// <summary>A store written before causes were kept (migrations 1–3) is migrated on start, and its history stays readable:
/// the old entries read from their reason, new ones name their cause.</summary>
[Collection(BundleCollection.Name)]
public sealed class HistoryMigrationTests(TrainedBundle bundle) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("leadml-oldstore-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, true);
    }

    [Fact]
    public async Task HistoryFromBeforeCauses_StaysReadable_AfterTheMigrationThatKeepsThem()
    {
        var path = Path.Combine(_folder, "leadml.db");
        var created = DateTimeOffset.UtcNow.AddDays(-10);
        await using (var c = new SqliteConnection($"Data Source={path}"))
        {
            await c.OpenAsync();
            await Exec(c, $"CREATE TABLE {StoreSchema.MigrationsTable} (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)");
            foreach (var m in StoreMigrations.All.Where(m => m.Version <= 3))
            {
                foreach (var statement in StoreDialect.Sqlite.Render(m.Sql).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    await Exec(c, statement);
                }
                await Exec(c, $"INSERT INTO {StoreSchema.MigrationsTable} VALUES ({m.Version}, '{m.Name}', 0)");
            }
            // A lead and two score changes as the store held them then: no cause column. A quote request (a criterion of the
        // sample model) then changes the score with a cause.
            var t = created.ToUnixTimeMilliseconds();
            await Exec(c, $"INSERT INTO leads (model, id, attributes, created_at, score, grade, sales_ready, model_version, rule_set_version, updated_at) VALUES ('sample', 'old', '{{\"industry\":\"Software\"}}', {t}, 58, 'B', 0, 'm0', 'suggested', {t})");
            await Exec(c, $"INSERT INTO score_history (model, lead_id, at, score, previous_score, grade, sales_ready, model_version, rule_set_version, reason) VALUES ('sample', 'old', {t}, 52, NULL, 'C', 0, 'm0', 'suggested', 'attributes')");
            await Exec(c, $"INSERT INTO score_history (model, lead_id, at, score, previous_score, grade, sales_ready, model_version, rule_set_version, reason) VALUES ('sample', 'old', {t + 1000}, 58, 52, 'B', 0, 'm0', 'suggested', 'event')");
        }

        using var factory = ApiFactory.For(bundle.CopyTo(), ("LeadML:Store:Provider", "sqlite"), ("LeadML:Store:Path", path));
        var client = factory.Client();
        await Json(await client.PostAsJsonAsync("/leads/old/events", new { eventId = "n1", type = "quote_request", timestamp = DateTimeOffset.UtcNow.AddMinutes(-1) }));

        var history = (await Json(await client.GetAsync("/leads/old/history")))["changes"]!.AsArray();
        Assert.True(history.Count >= 3, history.ToJsonString());
        Assert.Equal(["attributes", "event"], history.Take(2).Select(h => (string)h!["reason"]!).ToArray());
        Assert.Equal(["The lead's attributes were sent", "New events"], history.Take(2).Select(h => (string)h!["description"]!).ToArray());
        Assert.All(history.Take(2), h => Assert.Null(h!["cause"]));
        var fresh = history.Last(h => (string?)h!["reason"] == "event")!;
        Assert.True(fresh["cause"] is not null, history.ToJsonString());
        Assert.Equal("n1", (string?)fresh["cause"]!["events"]![0]!["eventId"]);
        Assert.Equal("Requested a quote", (string?)fresh["description"]);
    }

    private static async Task Exec(SqliteConnection c, string sql)
    {
        await using var command = c.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<JsonNode> Json(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }
}
