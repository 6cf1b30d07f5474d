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

    /// <summary>Edits a draft in one transaction: reads it (locked), checks <paramref name="ifMatch"/> against its
    /// <see cref="RuleSetETag"/> (<see cref="RuleSetChangedException"/> when someone else changed it), and stores what
    /// <paramref name="edit"/> makes of it (an exception from it stores nothing). <see cref="UnknownRuleSetException"/>
    /// for a missing version, <see cref="RuleSetConflictException"/> when the version is not a draft. The audit entry's
    /// detail is what <paramref name="describe"/> says of the rules before and after (what changed, in words).</summary>
    Task<StoredRuleSet> UpdateDraftAsync(string model, int version, Func<StoredRuleSet, RuleSet> edit, string? ifMatch, string? actor, DateTime at,
        Func<RuleSet, RuleSet, string?>? describe = null, CancellationToken ct = default);

    /// <summary>Approves a draft, checking <paramref name="ifMatch"/> in the same transaction;
    /// <see cref="RuleSetConflictException"/> when the version is not a draft.</summary>
    Task<StoredRuleSet> ApproveAsync(string model, int version, string approver, string? comment, DateTime at, string? ifMatch = null,
        CancellationToken ct = default);

    /// <summary>Deletes a draft (audited as discarded; its version number is never given again), checking
    /// <paramref name="ifMatch"/> in the same transaction; <see cref="RuleSetConflictException"/> when the version is not a
    /// draft: approved versions are never deleted.</summary>
    Task DiscardDraftAsync(string model, int version, string? ifMatch, string? actor, DateTime at, CancellationToken ct = default);

    /// <summary>The approved version with the highest approval time (then version), or null.</summary>
    Task<StoredRuleSet?> LatestApprovedAsync(string model, CancellationToken ct = default);

    Task<IReadOnlyList<RuleSetAuditEntry>> AuditAsync(string model, CancellationToken ct = default);
}
