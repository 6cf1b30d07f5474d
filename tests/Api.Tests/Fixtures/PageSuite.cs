using LeadML.Tests.Shared;
using Microsoft.Playwright;

namespace LeadML.Api.Tests.Fixtures;

/// <summary>
/// Page tests in headless Chromium: the pages a test opens (<see cref="NewPageAsync"/>, or added to <see cref="Pages"/>)
/// are closed when it ends, so that none logs into a later test's output.
/// </summary>
public abstract class PageSuite(Chromium chromium) : IAsyncLifetime
{
    /// <summary>The pages this test opened.</summary>
    protected List<IPage> Pages { get; } = [];

    /// <summary>A new page, closed when the test ends.</summary>
    protected async Task<IPage> NewPageAsync()
    {
        var page = await chromium.NewPageAsync();
        Pages.Add(page);
        return page;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        foreach (var page in Pages) await page.Context.CloseAsync();
    }
}
