using LeadML.Features.Rules;

namespace LeadML.Api.RuleSets;

/// <summary>A stored rule-set version of one scoring model. <see cref="Rules"/> carries the same version and status.</summary>
public sealed record StoredRuleSet(string Model, int Version, RuleSetStatus Status, RuleSet Rules, DateTime CreatedAt, string? CreatedBy,
    DateTime? ApprovedAt, string? ApprovedBy, string? Comment, int? BasedOn);

/// <summary>One audited change: created, edited, approved, restored.</summary>
public sealed record RuleSetAuditEntry(long Id, string Model, int Version, string Action, string? Actor, DateTime At, string? Detail);

/// <summary>A change that the rule-set life cycle forbids (editing an approved version, approving twice…).</summary>
public sealed class RuleSetConflictException(string message) : Exception(message);

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
