using LeadML.Features.Rules;

namespace LeadML.Api.RuleSets;

/// <summary>
/// Versioned rule sets per scoring model (design §6). Every stored rule set gets the next version number of its
/// model (1, 2, …); drafts can be edited, approved versions are immutable and never deleted; every change is
/// audited. Implementations: in memory (tests, single process without a store) and the lead store (SQLite or
/// PostgreSQL).
/// </summary>
public interface IRuleSetRepository
{
    Task<IReadOnlyList<StoredRuleSet>> ListAsync(string model, CancellationToken ct = default);

    Task<StoredRuleSet?> GetAsync(string model, int version, CancellationToken ct = default);

    /// <summary>Stores a new draft with the next version number.</summary>
    Task<StoredRuleSet> CreateDraftAsync(string model, RuleSet rules, int? basedOn, string? actor, DateTime at, CancellationToken ct = default);

    /// <summary>Replaces a draft's rules; <see cref="RuleSetConflictException"/> when the version is not a draft.</summary>
    Task<StoredRuleSet> UpdateDraftAsync(string model, int version, RuleSet rules, string? actor, DateTime at, CancellationToken ct = default);

    /// <summary>Approves a draft; <see cref="RuleSetConflictException"/> when the version is not a draft.</summary>
    Task<StoredRuleSet> ApproveAsync(string model, int version, string approver, string? comment, DateTime at, CancellationToken ct = default);

    /// <summary>The approved version with the highest approval time (then version), or null.</summary>
    Task<StoredRuleSet?> LatestApprovedAsync(string model, CancellationToken ct = default);

    Task<IReadOnlyList<RuleSetAuditEntry>> AuditAsync(string model, CancellationToken ct = default);
}
