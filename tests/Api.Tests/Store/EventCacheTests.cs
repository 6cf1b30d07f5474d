using LeadML.Api.Store;

namespace LeadML.Api.Tests.Store;

/// <summary>The events a SQLite write reads from memory (<see cref="EventCache"/>) are exactly what the file holds:
/// same order (time, then arrival, at millisecond precision), nothing of a rolled-back write, nothing of a deleted
/// lead.</summary>
public sealed class EventCacheTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("leadml-cache-").FullName;
    private readonly DateTime _now = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    private LeadStore Open()
    {
        var store = LeadStore.Sqlite(Path.Combine(_dir, "leadml.db"));
        store.MigrateAsync(TimeProvider.System).GetAwaiter().GetResult();
        return store;
    }

    private Task<List<StoredEvent>> InWrite(LeadStore store, string lead) =>
        store.WriteAsync((c, tx) => store.EventsAsync(c, tx, "m", lead, default));

    private static async Task<List<StoredEvent>> InFile(LeadStore store, string lead)
    {
        await using var c = await store.OpenAsync();
        return await store.EventsAsync(c, null, "m", lead, default);
    }

    private Task Add(LeadStore store, string lead, params StoredEvent[] events) => store.WriteAsync(async (c, tx) =>
    {
        await store.EnsureLeadAsync(c, tx, "m", lead, _now, _now, default);
        foreach (var e in events) await store.InsertEventAsync(c, tx, "m", lead, e, _now, default);
        return 0;
    });

    [Fact]
    public async Task EventsReadInWrites_AreTheStoredOnes_InStoredOrder()
    {
        using var store = Open();
        var t = _now.AddDays(-1);
        await Add(store, "a", new StoredEvent("1", t.AddTicks(3), "page_view", null));
        Assert.Equal(await InFile(store, "a"), await InWrite(store, "a"));
        // later arrivals at an earlier time, the same millisecond (sub-millisecond ticks are not stored), a resend
        await Add(store, "a", new StoredEvent("2", t.AddHours(-1), "email_open", "x"), new StoredEvent("3", t.AddTicks(7), "form_submit", null),
            new StoredEvent("1", t.AddHours(5), "page_view", null), new StoredEvent("4", t.AddHours(2), "page_view", "/pricing"));
        var stored = await InFile(store, "a");
        Assert.Equal(["2", "1", "3", "4"], stored.Select(e => e.EventId));
        Assert.Equal(stored, await InWrite(store, "a"));
    }

    [Fact]
    public async Task RolledBackWrite_LeavesNoEventBehind()
    {
        using var store = Open();
        await Add(store, "a", new StoredEvent("1", _now.AddHours(-2), "page_view", null));
        Assert.Single(await InWrite(store, "a"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.WriteAsync<int>(async (c, tx) =>
        {
            await store.InsertEventAsync(c, tx, "m", "a", new StoredEvent("2", _now.AddHours(-1), "page_view", null), _now, default);
            Assert.Equal(2, (await store.EventsAsync(c, tx, "m", "a", default)).Count);
            throw new InvalidOperationException("the write fails after its insert");
        }));
        Assert.Equal(["1"], (await InWrite(store, "a")).Select(e => e.EventId));
        Assert.Equal(["1"], (await InFile(store, "a")).Select(e => e.EventId));
    }

    [Fact]
    public async Task DeletedLead_StartsWithNoEvents()
    {
        using var store = Open();
        await Add(store, "a", new StoredEvent("1", _now.AddHours(-2), "page_view", null));
        Assert.Single(await InWrite(store, "a"));
        Assert.True(await store.DeleteLeadAsync("m", "a", default));
        await Add(store, "a", new StoredEvent("2", _now.AddHours(-1), "page_view", null));
        Assert.Equal(["2"], (await InWrite(store, "a")).Select(e => e.EventId));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, true);
    }
}
