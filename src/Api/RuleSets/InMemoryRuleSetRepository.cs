using LeadML.Features.Rules;

namespace LeadML.Api.RuleSets;

/// <summary>Rule sets kept in memory (lost at restart): for tests and for running without a store.</summary>
public sealed class InMemoryRuleSetRepository : IRuleSetRepository
{
    private readonly Lock _lock = new();
    private readonly List<StoredRuleSet> _sets = [];
    private readonly List<RuleSetAuditEntry> _audit = [];

    public Task<IReadOnlyList<StoredRuleSet>> ListAsync(string model, CancellationToken ct = default)
    {
        lock (_lock) return Task.FromResult<IReadOnlyList<StoredRuleSet>>([.. _sets.Where(s => s.Model == model).OrderBy(s => s.Version)]);
    }

    public Task<StoredRuleSet?> GetAsync(string model, int version, CancellationToken ct = default)
    {
        lock (_lock) return Task.FromResult(_sets.FirstOrDefault(s => s.Model == model && s.Version == version));
    }

    public Task<StoredRuleSet> CreateDraftAsync(string model, RuleSet rules, int? basedOn, string? actor, DateTime at, CancellationToken ct = default)
    {
        lock (_lock)
        {
            // A discarded draft's number stays in the audit and is never given again.
            var version = _sets.Where(s => s.Model == model).Select(s => s.Version).Concat(_audit.Where(a => a.Model == model).Select(a => a.Version))
                .DefaultIfEmpty(0).Max() + 1;
            var stored = new StoredRuleSet(model, version, RuleSetStatus.Draft,
                rules with { Version = version, Status = RuleSetStatus.Draft, BasedOn = basedOn, CreatedAt = at, ApprovedAt = null, ApprovedBy = null },
                at, actor, null, null, null, basedOn);
            _sets.Add(stored);
            Audit(model, version, "created", actor, at, basedOn is null ? "from the suggestion" : $"from version {basedOn}");
            return Task.FromResult(stored);
        }
    }

    public Task<StoredRuleSet> UpdateDraftAsync(string model, int version, Func<StoredRuleSet, RuleSet> edit, string? ifMatch, string? actor, DateTime at,
        Func<RuleSet, RuleSet, string?>? describe = null, CancellationToken ct = default)
    {
        lock (_lock)
        {
            var i = IndexOfDraft(model, version, ifMatch);
            var old = _sets[i];
            var rules = edit(old);
            var stored = old with { Rules = rules with { Version = version, Status = RuleSetStatus.Draft, BasedOn = old.BasedOn, CreatedAt = old.CreatedAt } };
            _sets[i] = stored;
            Audit(model, version, "edited", actor, at, describe?.Invoke(old.Rules, stored.Rules));
            return Task.FromResult(stored);
        }
    }

    public Task<StoredRuleSet> ApproveAsync(string model, int version, string approver, string? comment, DateTime at, string? ifMatch = null,
        CancellationToken ct = default)
    {
        lock (_lock)
        {
            var i = IndexOfDraft(model, version, ifMatch);
            var old = _sets[i];
            var stored = old with
            {
                Status = RuleSetStatus.Approved, ApprovedAt = at, ApprovedBy = approver, Comment = comment,
                Rules = old.Rules with { Status = RuleSetStatus.Approved, ApprovedAt = at, ApprovedBy = approver, Comment = comment },
            };
            _sets[i] = stored;
            Audit(model, version, "approved", approver, at, comment);
            return Task.FromResult(stored);
        }
    }

    public Task DiscardDraftAsync(string model, int version, string? ifMatch, string? actor, DateTime at, CancellationToken ct = default)
    {
        lock (_lock)
        {
            _sets.RemoveAt(IndexOfDraft(model, version, ifMatch));
            Audit(model, version, "discarded", actor, at, null);
            return Task.CompletedTask;
        }
    }

    public Task<StoredRuleSet?> LatestApprovedAsync(string model, CancellationToken ct = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_sets.Where(s => s.Model == model && s.Status == RuleSetStatus.Approved)
                .OrderBy(s => s.ApprovedAt).ThenBy(s => s.Version).LastOrDefault());
        }
    }

    public Task<IReadOnlyList<RuleSetAuditEntry>> AuditAsync(string model, CancellationToken ct = default)
    {
        lock (_lock) return Task.FromResult<IReadOnlyList<RuleSetAuditEntry>>([.. _audit.Where(a => a.Model == model)]);
    }

    private int IndexOfDraft(string model, int version, string? ifMatch)
    {
        var i = _sets.FindIndex(s => s.Model == model && s.Version == version);
        if (i < 0) throw new UnknownRuleSetException(model, version);
        if (_sets[i].Status != RuleSetStatus.Draft) throw new RuleSetConflictException($"version {version} is {_sets[i].Status.ToString().ToLowerInvariant()}, not a draft; approved versions never change");
        RuleSetETag.Check(ifMatch, _sets[i]);
        return i;
    }

    private void Audit(string model, int version, string action, string? actor, DateTime at, string? detail) =>
        _audit.Add(new RuleSetAuditEntry(_audit.Count + 1, model, version, action, actor, at, detail));
}
