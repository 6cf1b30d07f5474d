using System.Collections.Concurrent;
using System.Net;
using LeadML.Api.Alerts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LeadML.Api.Tests.Alerts;

/// <summary>One post the receiver got: the idempotency key, the body, whether the signature matched, and what it answered.</summary>
public sealed record ReceivedAlert(string? Key, string Body, bool SignatureValid, int AnsweredStatus);

/// <summary>
/// A webhook receiver on a real loopback socket, as a customer would run one: it checks the HMAC signature of every
/// post and answers what <see cref="Answer"/> says for that post (200 by default; 500 to make the Api retry).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    public const string Secret = "test-webhook-secret";
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _postsPerKey = new();

    private WebhookReceiver(WebApplication app) => _app = app;

    /// <summary>Answer for a post, given its key and how many posts of that key came before it (0 for the first).</summary>
    public Func<string, int, int> Answer { get; set; } = (_, _) => 200;

    public ConcurrentQueue<ReceivedAlert> Received { get; } = new();

    public string Url { get; private set; } = "";

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hook", async (HttpContext context) =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            var body = buffer.ToArray();
            var key = context.Request.Headers[WebhookSignature.IdempotencyHeader].ToString();
            var valid = WebhookSignature.Verify(Secret, body, context.Request.Headers[WebhookSignature.Header].ToString());
            var before = receiver._postsPerKey.AddOrUpdate(key, 1, (_, n) => n + 1) - 1;
            var status = valid ? receiver.Answer(key, before) : 401;
            receiver.Received.Enqueue(new ReceivedAlert(key, System.Text.Encoding.UTF8.GetString(body), valid, status));
            return Results.StatusCode(status);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = address.TrimEnd('/') + "/hook";
        return receiver;
    }

    /// <summary>Keys accepted (answered 2xx) and how often each.</summary>
    public Dictionary<string, int> Accepted() => Received.Where(r => r.AnsweredStatus is >= 200 and < 300).GroupBy(r => r.Key!).ToDictionary(g => g.Key, g => g.Count());

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
