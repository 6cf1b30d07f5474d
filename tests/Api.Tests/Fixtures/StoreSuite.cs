using LeadML.Api.Tests.Store;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace LeadML.Api.Tests.Fixtures;

/// <summary>
/// A suite of Api tests that a subclass runs on one store (<see cref="TestStore"/>: in memory, SQLite, PostgreSQL): the
/// real Api on a copy of the bundle and on that store, with a hand-moved clock, made on first use and disposed with the
/// store after each test.
/// </summary>
public abstract class StoreSuite(TrainedBundle bundle, TestStore store, DateTimeOffset? start = null) : IDisposable
{
    private WebApplicationFactory<Program>? _factory;

    /// <summary>The Api's clock, at <c>start</c> (or now) until a test moves it.</summary>
    protected ManualClock Clock { get; } = new(start ?? DateTimeOffset.UtcNow);

    /// <summary>Settings a suite adds to the store's, given the bundle copy's folder (more models, poll intervals).</summary>
    protected virtual IEnumerable<(string Key, string? Value)> MoreSettings(string bundleFolder) => [];

    /// <summary>The Api, made on first use.</summary>
    protected WebApplicationFactory<Program> Api()
    {
        if (_factory is not null) return _factory;
        var folder = bundle.CopyTo();
        _factory = ApiFactory.For(folder, [.. store.Settings, .. MoreSettings(folder)])
            .WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(Clock)));
        return _factory;
    }

    /// <summary>A client of the Api sending <paramref name="key"/>.</summary>
    protected HttpClient Client(string key)
    {
        var c = Api().CreateClient();
        c.DefaultRequestHeaders.Add("X-Api-Key", key);
        return c;
    }

    public void Dispose()
    {
        _factory?.Dispose();
        store.Dispose();
        GC.SuppressFinalize(this);
    }
}
