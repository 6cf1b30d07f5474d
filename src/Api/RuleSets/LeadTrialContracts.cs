using System.Text.Json;
using LeadML.Api.Scoring;

namespace LeadML.Api.RuleSets;

/// <summary>Body of <c>POST /rulesets/{model}/whatif/lead</c>: a rule set to try and one lead, stored or sent.</summary>
public sealed record LeadTrialRequest
{
    /// <summary>The rule set to try, as the what-if takes it: a rule set (or parts of one, which edit the rule set in force),
    /// or <c>{"version": n}</c> for a stored version (0 = the bundle's suggestion).</summary>
    public RuleSetInput? Rules { get; init; }
    /// <summary>A stored lead's id: the lead is scored from its stored attributes and events, as of now. Send this or <c>lead</c>.</summary>
    /// <example>L000123</example>
    public string? LeadId { get; init; }
    /// <summary>A lead exactly as <c>POST /score</c> takes it, read by the same reader. Send this or <c>leadId</c>.</summary>
    public ScoreRequest? Lead { get; init; }
}

/// <summary>The body as read: the lead kept as JSON, for the reader of <c>/score</c>.</summary>
internal sealed record LeadTrialBody
{
    public RuleSetInput? Rules { get; init; }
    public string? LeadId { get; init; }
    public JsonElement? Lead { get; init; }
}

/// <summary>One lead under a rule set tried and under the rule set in force, side by side: each is the answer
/// <c>POST /score</c> gives (the same code), with the criteria that fired.</summary>
/// <param name="Model">The scoring model.</param>
/// <param name="LeadId">The lead's id (a stored lead's, or the one sent); null when none was sent.</param>
/// <param name="Stored">Whether the lead was read from the lead store.</param>
/// <param name="Candidate">The answer under the rule set tried: its <c>ruleSetVersion</c> is "draft", "v3" or "suggested" and its <c>ruleSetSource</c> "draft" for a rule set not approved.</param>
/// <param name="InForce">The answer under the rule set in force, as <c>/score</c> gives it now.</param>
public sealed record LeadTrialResult(string Model, string? LeadId, bool Stored, ScoreResponse Candidate, ScoreResponse InForce);
