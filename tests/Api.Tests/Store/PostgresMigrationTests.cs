using LeadML.Api.Store;
using LeadML.Api.Tests.Fixtures;

namespace LeadML.Api.Tests.Store;

/// <summary>Instances that start together against a fresh PostgreSQL database: every one migrates without error and
/// each migration is applied exactly once.</summary>
public sealed class PostgresMigrationTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task InstancesStartingTogether_ApplyEveryMigrationOnce()
    {
        for (var round = 0; round < 5; round++)
        {
            var connectionString = server.CreateDatabase();
            var stores = Enumerable.Range(0, 8).Select(_ => LeadStore.Postgres(connectionString)).ToArray();
            using var start = new ManualResetEventSlim();
            var runs = stores.Select(s => Task.Run(async () =>
            {
                start.Wait();
                return await s.MigrateAsync(TimeProvider.System);
            })).ToArray();
            start.Set();
            IReadOnlyList<int>[] applied;
            try
            {
                applied = await Task.WhenAll(runs);
            }
            finally
            {
                foreach (var s in stores) s.Dispose();
            }

            Assert.Equal(Migrations.All.Select(m => m.Version).Order(), applied.SelectMany(a => a).Order());
        }
    }
}
