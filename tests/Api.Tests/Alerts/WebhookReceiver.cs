using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LeadML.Api.Tests.Alerts;

/// <summary>One post the receiver got: the idempotency key, the body, whether the signature matched, what it answered,
/// and the request's headers.</summary>
public sealed record ReceivedAlert(string? Key, string Body, bool SignatureValid, int AnsweredStatus, IReadOnlyDictionary<string, string> Headers);

/// <summary>
/// A webhook receiver on a real loopback socket, as a customer would run one: it checks every post's
/// <c>LeadML-Signature</c> as the README tells receivers to (written here from that description, not with the Api's
/// code) and answers what <see cref="Answer"/> says for that post (200 by default; 500 to make the Api retry).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    public const string Secret = "test-webhook-secret";

    /// <summary>How far the signed timestamp may be from the receiver's clock.</summary>
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _postsPerKey = new();

    private WebhookReceiver(WebApplication app) => _app = app;

    /// <summary>Answer for a post, given its key and how many posts of that key came before it (0 for the first).</summary>
    public Func<string, int, int> Answer { get; set; } = (_, _) => 200;

    /// <summary>The receiver's clock, which the signed timestamp must be near (the Api's clock when a test moves it).</summary>
    public Func<DateTimeOffset> Now { get; set; } = () => DateTimeOffset.UtcNow;

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
            var key = context.Request.Headers["Idempotency-Key"].ToString();
            var valid = Verify(Secret, body, context.Request.Headers["LeadML-Signature"].ToString(), receiver.Now(), Tolerance);
            var before = receiver._postsPerKey.AddOrUpdate(key, 1, (_, n) => n + 1) - 1;
            var status = valid ? receiver.Answer(key, before) : 401;
            var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            receiver.Received.Enqueue(new ReceivedAlert(key, Encoding.UTF8.GetString(body), valid, status, headers));
            return Results.StatusCode(status);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = address.TrimEnd('/') + "/hook";
        return receiver;
    }

    /// <summary>The receiver's check: <c>t=…,v1=…</c> parsed, the timestamp within <paramref name="tolerance"/> of
    /// <paramref name="now"/>, and one <c>v1</c> equal (in constant time) to HMAC-SHA256(secret, t + "." + body).</summary>
    public static bool Verify(string secret, byte[] body, string header, DateTimeOffset now, TimeSpan tolerance)
    {
        string? t = null;
        var signatures = new List<string>();
        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) return false;
            var (name, value) = (part[..eq], part[(eq + 1)..]);
            if (name == "t") t = value;
            else if (name == "v1") signatures.Add(value);
        }
        if (t is null || signatures.Count == 0 || !long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)) return false;
        if ((now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > tolerance) return false;
        var expected = Encoding.ASCII.GetBytes(Convert.ToHexStringLower(
            HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes(t + ".").Concat(body).ToArray())));
        return signatures.Any(s => CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(s)));
    }

    /// <summary>Keys accepted (answered 2xx) and how often each.</summary>
    public Dictionary<string, int> Accepted() => Received.Where(r => r.AnsweredStatus is >= 200 and < 300).GroupBy(r => r.Key!).ToDictionary(g => g.Key, g => g.Count());

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
