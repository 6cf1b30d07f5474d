using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace LeadML.Api.Alerts;

/// <summary>
/// What a webhook post carries besides its body. <c>LeadML-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex&gt;</c>, where
/// the hex is the lowercase HMAC-SHA256, keyed with the webhook's secret, of the timestamp, a dot and the exact body
/// (<c>t + "." + body</c>). A receiver recomputes it, compares in constant time, and refuses a timestamp more than
/// <see cref="ReplayWindow"/> away from its clock, so a captured post cannot be replayed later. Every attempt is signed
/// anew with its own timestamp; the body never changes.
/// </summary>
public static class WebhookSignature
{
    public const string Header = "LeadML-Signature";

    /// <summary>The alert's kind as an event type: <c>lead.sales_ready</c> or <c>lead.gone_cold</c>.</summary>
    public const string EventHeader = "LeadML-Event";

    /// <summary>A new id for every attempt (for the receiver's logs); duplicates are told by <see cref="IdempotencyHeader"/>.</summary>
    public const string DeliveryHeader = "LeadML-Delivery";

    /// <summary>The alert's key: the same on every attempt and every redelivery.</summary>
    public const string IdempotencyHeader = "Idempotency-Key";

    /// <summary>How far a signature's timestamp may be from the receiver's clock: 5 minutes.</summary>
    public static readonly TimeSpan ReplayWindow = TimeSpan.FromMinutes(5);

    /// <summary><c>LeadML-Webhooks/&lt;version&gt;</c>.</summary>
    public static readonly string UserAgent = $"LeadML-Webhooks/{Version()}";

    /// <summary>The header value for <paramref name="body"/> sent at <paramref name="at"/>.</summary>
    public static string Sign(string secret, DateTimeOffset at, ReadOnlySpan<byte> body)
    {
        var t = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signed = new byte[t.Length + 1 + body.Length];
        Encoding.ASCII.GetBytes(t, signed);
        signed[t.Length] = (byte)'.';
        body.CopyTo(signed.AsSpan(t.Length + 1));
        return $"t={t},v1={Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed))}";
    }

    /// <summary>The event type of an alert kind: <c>sales-ready</c> → <c>lead.sales_ready</c>.</summary>
    public static string EventType(string kind) => "lead." + kind.Replace('-', '_');

    private static string Version()
    {
        var version = typeof(WebhookSignature).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "1.0.0";
        var build = version.IndexOf('+', StringComparison.Ordinal);
        return build > 0 ? version[..build] : version;
    }
}
