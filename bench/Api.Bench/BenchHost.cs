using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LeadML.Api.Bench;

/// <summary>The Api as it runs in production (environment Production, Kestrel on a loopback port), with the reference
/// endpoints added after its own pipeline: a request none of the Api's endpoints takes reaches them through the same
/// middleware as <c>/score</c>.</summary>
internal sealed class BenchHost(int port) : WebApplicationFactory<Program>
{
    public void Start()
    {
        UseKestrel(o => o.Listen(IPAddress.Loopback, port));
        StartServer();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        // The Api's settings files are copied beside the bench host, as beside the Api when it is published.
        builder.UseContentRoot(AppContext.BaseDirectory);
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, ReferenceEndpoints>());
    }
}
