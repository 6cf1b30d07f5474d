using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LeadML.Features.Bundles;

namespace LeadML.Api.RuleSets;

/// <summary>
/// The entity tag of a stored rule-set version: a hash of its version, status and rules, so any edit, approval or
/// discard changes it. A client sends it back in <c>If-Match</c>; a version whose tag no longer matches was changed by
/// someone else since the client read it (<see cref="RuleSetChangedException"/>, 412).
/// </summary>
public static class RuleSetETag
{
    /// <summary>What the header means, as the OpenAPI document says it.</summary>
    public const string Meaning = "The version's entity tag (none for the suggestion, which never changes): send it back in If-Match to change the version only if nobody else did since.";

    public static string Of(StoredRuleSet s)
    {
        var text = $"{s.Model}\n{s.Version}\n{s.Status}\n{JsonSerializer.Serialize(s.Rules, BundleJson.Options)}";
        return $"\"{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32]}\"";
    }

    /// <summary>Whether an <c>If-Match</c> value lets a change of <paramref name="s"/> through: none sent, <c>*</c>, or a
    /// list holding its tag (compared strongly: a weak tag never matches).</summary>
    public static bool Matches(string? ifMatch, StoredRuleSet s)
    {
        if (string.IsNullOrWhiteSpace(ifMatch)) return true;
        var tag = Of(s);
        return ifMatch.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Any(t => t == "*" || t == tag);
    }

    /// <summary>Throws <see cref="RuleSetChangedException"/> when <paramref name="ifMatch"/> does not let a change of
    /// <paramref name="s"/> through.</summary>
    public static void Check(string? ifMatch, StoredRuleSet s)
    {
        if (Matches(ifMatch, s)) return;
        throw new RuleSetChangedException(
            $"version {s.Version} was changed since you read it (If-Match {ifMatch!.Trim()}, its ETag is now {Of(s)}); GET it again, make your change on what it holds now and send that ETag");
    }
}
