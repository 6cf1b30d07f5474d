using System.Security.Cryptography;
using System.Text;

namespace LeadML.Api.Alerts;

/// <summary>The <c>X-LeadML-Signature</c> header: <c>sha256=</c> and the lowercase hex HMAC-SHA256 of the exact
/// request body, keyed with the webhook's secret. Receivers recompute it and compare in constant time.</summary>
public static class WebhookSignature
{
    public const string Header = "X-LeadML-Signature";
    public const string IdempotencyHeader = "Idempotency-Key";

    public static string Sign(string secret, ReadOnlySpan<byte> body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    /// <summary>True when <paramref name="header"/> is the signature of <paramref name="body"/> under <paramref name="secret"/>.</summary>
    public static bool Verify(string secret, ReadOnlySpan<byte> body, string? header) =>
        header is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(secret, body)), Encoding.ASCII.GetBytes(header));
}
