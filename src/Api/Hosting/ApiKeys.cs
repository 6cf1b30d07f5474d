using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace LeadML.Api.Hosting;

/// <summary>
/// Checks <c>X-Api-Key</c>: scoring keys may score and read leads, admin keys may also administer. Keys are
/// compared in constant time (SHA-256 of both sides, then a fixed-time comparison). A missing key answers 401, a key
/// without the role 403, both as problem details. With no keys configured at all the check is off (development).
/// </summary>
public sealed class ApiKeys
{
    public const string Header = "X-Api-Key";

    private readonly byte[][] _scoring;
    private readonly byte[][] _admin;

    public ApiKeys(IOptions<LeadMlOptions> options)
    {
        _scoring = [.. options.Value.Keys.Scoring.Where(k => k.Length > 0).Select(Hash)];
        _admin = [.. options.Value.Keys.Admin.Where(k => k.Length > 0).Select(Hash)];
    }

    public bool Enabled => _scoring.Length + _admin.Length > 0;

    /// <summary>Null when allowed; otherwise the problem to answer with.</summary>
    public IResult? Check(HttpContext context, KeyRole role)
    {
        if (!Enabled) return null;
        if (!context.Request.Headers.TryGetValue(Header, out var values) || string.IsNullOrEmpty(values.ToString()))
        {
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "API key required",
                detail: $"send your key in the {Header} header");
        }
        var hash = Hash(values.ToString());
        var isAdmin = Matches(_admin, hash);
        var allowed = role == KeyRole.Admin ? isAdmin : isAdmin || Matches(_scoring, hash);
        if (allowed) return null;
        var known = isAdmin || Matches(_scoring, hash);
        return known
            ? Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: "this key may not administer; use an admin key")
            : Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unknown API key", detail: $"the key in {Header} is not configured");
    }

    private static bool Matches(byte[][] keys, byte[] hash)
    {
        var found = false;
        foreach (var k in keys) found |= CryptographicOperations.FixedTimeEquals(k, hash);
        return found;
    }

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
