using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace LeadML.Api.Hosting;

/// <summary>
/// Checks <c>X-Api-Key</c> against the configured keys and their roles (<see cref="KeyRole"/>: scoring, reviewer,
/// admin, each holding the rights of the ones before it). Keys are compared in constant time (SHA-256 of both sides,
/// then a fixed-time comparison). A missing or unknown key answers 401, a key without the role 403, both as problem
/// details. With no keys configured at all the check is off (development).
/// </summary>
public sealed class ApiKeys
{
    public const string Header = "X-Api-Key";

    private readonly (byte[] Hash, KeyRole Role)[] _keys;

    public ApiKeys(IOptions<LeadMlOptions> options) =>
        _keys = [.. options.Value.Keys.All().Select(k => (Hash(k.Key), k.Role))];

    public bool Enabled => _keys.Length > 0;

    /// <summary>Null when allowed; otherwise the problem to answer with.</summary>
    public IResult? Check(HttpContext context, KeyRole role)
    {
        if (!Enabled) return null;
        if (!context.Request.Headers.TryGetValue(Header, out var values) || string.IsNullOrEmpty(values.ToString()))
        {
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "API key required",
                detail: $"send your key in the {Header} header");
        }
        return RoleOf(Hash(values.ToString())) switch
        {
            null => Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unknown API key", detail: $"the key in {Header} is not configured"),
            { } held when held >= role => null,
            { } held => Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: Refusal(held, role)),
        };
    }

    /// <summary>What a rate limit counts a request against: the SHA-256 of a configured key (hex), or null for a
    /// request without one (or with a key that is not configured), which is counted by its address instead.</summary>
    public string? Identify(HttpContext context)
    {
        if (!context.Request.Headers.TryGetValue(Header, out var values) || string.IsNullOrEmpty(values.ToString())) return null;
        var hash = Hash(values.ToString());
        return RoleOf(hash) is null ? null : Convert.ToHexStringLower(hash);
    }

    /// <summary>The role of the key with this hash, or null when none is configured. Every configured key is compared,
    /// so the time taken does not tell which matched.</summary>
    private KeyRole? RoleOf(byte[] hash)
    {
        KeyRole? found = null;
        foreach (var (k, role) in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(k, hash) && (found is null || role > found)) found = role;
        }
        return found;
    }

    private static string Refusal(KeyRole held, KeyRole needed) => needed switch
    {
        KeyRole.Admin => $"this {Word(held)} key may not administer; use an admin key",
        _ => $"this {Word(held)} key may not review rule sets; use a reviewer or admin key",
    };

    private static string Word(KeyRole role) => role.ToString().ToLowerInvariant();

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
