using Microsoft.Playwright;

namespace LeadML.Tests.Shared;

/// <summary>
/// One headless Chromium per test class (launching costs about 3 s). Uses the Debian <c>chromium</c> package
/// (installed by <c>scripts/setup.sh --tests</c>); a missing browser fails the test with that instruction rather
/// than skipping it.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    private static readonly string[] Candidates = ["/usr/lib/chromium/chromium", "/usr/bin/chromium", "/usr/bin/chromium-browser"];

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var path = Environment.GetEnvironmentVariable("LEADML_CHROMIUM") ?? Candidates.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("Chromium is not installed: run scripts/setup.sh --tests (apt-get install -y chromium), or set LEADML_CHROMIUM");
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = path, Headless = true });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
    }

    /// <summary>A page at 1280×720, the size the review page must work at.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 720 } });
        return await context.NewPageAsync();
    }

    /// <summary>Where screenshots go: <c>screenshots/</c> in the test run's output folder, so they can be looked at.</summary>
    public static string ScreenshotPath(string name)
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, name);
    }
}
