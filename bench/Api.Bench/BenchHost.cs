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
        // The Api's settings files are copied beside the bench host (as beside the Api when it is published): its
        // content root, wherever the bench host runs from (the factory would otherwise look for the project's folder).
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_LEADML_API", AppContext.BaseDirectory);
        UseKestrel(o => o.Listen(IPAddress.Loopback, port));
        StartServer();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, ReferenceEndpoints>());
    }
}
