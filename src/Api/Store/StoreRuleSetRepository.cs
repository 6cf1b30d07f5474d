using System.Data.Common;
using System.Text.Json;
using LeadML.Api.RuleSets;
using LeadML.Features.Bundles;
using LeadML.Features.Rules;

namespace LeadML.Api.Store;

/// <summary>
/// Rule sets in the lead store (tables <c>rule_sets</c> and <c>rule_set_audit</c>), so approved versions survive
/// restarts and every Api instance on the same database sees them. Version numbers are taken under a lock
/// (PostgreSQL advisory lock per model; SQLite's single writer), so concurrent drafts never share a number.
/// </summary>
public sealed class StoreRuleSetRepository(LeadStore store) : IRuleSetRepository
{
    private const string Columns = "model, version, status, rules, created_at, created_by, approved_at, approved_by, comment, based_on";

    private static StoredRuleSet Read(DbDataReader r) => new(r.GetString(0), Sql.Int(r, 1), Enum.Parse<RuleSetStatus>(r.GetString(2), true),
        JsonSerializer.Deserialize<RuleSet>(r.GetString(3), BundleJson.Options)!, Sql.Time(Sql.Long(r, 4)), Sql.NullableString(r, 5),
        Sql.NullableTime(r, 6), Sql.NullableString(r, 7), Sql.NullableString(r, 8), r.IsDBNull(9) ? null : Sql.Int(r, 9));

    public async Task<IReadOnlyList<StoredRuleSet>> ListAsync(string model, CancellationToken ct = default)
    {
        await using var c = await store.OpenAsync(ct);
        return await Sql.ListAsync(c, null, $"SELECT {Columns} FROM rule_sets WHERE model = @m ORDER BY version", Read, ct, ("m", model));
    }

    public async Task<StoredRuleSet?> GetAsync(string model, int version, CancellationToken ct = default)
    {
        await using var c = await store.OpenAsync(ct);
        return await GetAsync(c, null, model, version, ct);
    }

    private async Task<StoredRuleSet?> GetAsync(DbConnection c, DbTransaction? tx, string model, int version, CancellationToken ct)
    {
        var list = await Sql.ListAsync(c, tx, $"SELECT {Columns} FROM rule_sets WHERE model = @m AND version = @v{(tx is null ? "" : store.Dialect.LockRows)}", Read, ct,
            ("m", model), ("v", version));
        return list.Count == 0 ? null : list[0];
    }

    public Task<StoredRuleSet> CreateDraftAsync(string model, RuleSet rules, int? basedOn, string? actor, DateTime at, CancellationToken ct = default) =>
        store.InTransactionAsync(async (c, tx) =>
        {
            if (store.Dialect.IsPostgres) await Sql.ExecAsync(c, tx, "SELECT pg_advisory_xact_lock(hashtext(@m))", ct, ("m", "rule_sets:" + model));
            // A discarded draft's number stays in the audit and is never given again.
            var max = await Sql.ScalarAsync(c, tx,
                "SELECT MAX(v) FROM (SELECT MAX(version) AS v FROM rule_sets WHERE model = @m UNION ALL SELECT MAX(version) FROM rule_set_audit WHERE model = @m) AS versions", ct,
                ("m", model));
            var version = (max is null ? 0 : Convert.ToInt32(max, System.Globalization.CultureInfo.InvariantCulture)) + 1;
            var draft = rules with { Version = version, Status = RuleSetStatus.Draft, BasedOn = basedOn, CreatedAt = at, ApprovedAt = null, ApprovedBy = null };
            await Sql.ExecAsync(c, tx, $"INSERT INTO rule_sets ({Columns}) VALUES (@m, @v, 'draft', @r, @at, @by, NULL, NULL, NULL, @b)", ct,
                ("m", model), ("v", version), ("r", JsonSerializer.Serialize(draft, BundleJson.Options)), ("at", Sql.Ms(at)), ("by", actor), ("b", basedOn));
            await AuditAsync(c, tx, model, version, "created", actor, at, basedOn is null ? "from the suggestion" : $"from version {basedOn}", ct);
            return (await GetAsync(c, tx, model, version, ct))!;
        }, ct);

    public Task<StoredRuleSet> UpdateDraftAsync(string model, int version, Func<StoredRuleSet, RuleSet> edit, string? ifMatch, string? actor, DateTime at,
        Func<RuleSet, RuleSet, string?>? describe = null, CancellationToken ct = default) =>
        store.InTransactionAsync(async (c, tx) =>
        {
            var old = await DraftAsync(c, tx, model, version, ifMatch, ct);
            var draft = edit(old) with { Version = version, Status = RuleSetStatus.Draft, BasedOn = old.BasedOn, CreatedAt = old.CreatedAt };
            await Sql.ExecAsync(c, tx, "UPDATE rule_sets SET rules = @r WHERE model = @m AND version = @v", ct,
                ("r", JsonSerializer.Serialize(draft, BundleJson.Options)), ("m", model), ("v", version));
            await AuditAsync(c, tx, model, version, "edited", actor, at, describe?.Invoke(old.Rules, draft), ct);
            // Read back as a later GET reads it, so the ETag answered is the one a GET answers.
            return (await GetAsync(c, tx, model, version, ct))!;
        }, ct);

    public Task<StoredRuleSet> ApproveAsync(string model, int version, string approver, string? comment, DateTime at, string? ifMatch = null,
        CancellationToken ct = default) =>
        store.InTransactionAsync(async (c, tx) =>
        {
            var old = await DraftAsync(c, tx, model, version, ifMatch, ct);
            var rules = old.Rules with { Status = RuleSetStatus.Approved, ApprovedAt = at, ApprovedBy = approver, Comment = comment };
            await Sql.ExecAsync(c, tx, "UPDATE rule_sets SET status = 'approved', rules = @r, approved_at = @at, approved_by = @by, comment = @c WHERE model = @m AND version = @v", ct,
                ("r", JsonSerializer.Serialize(rules, BundleJson.Options)), ("at", Sql.Ms(at)), ("by", approver), ("c", comment), ("m", model), ("v", version));
            await AuditAsync(c, tx, model, version, "approved", approver, at, comment, ct);
            return (await GetAsync(c, tx, model, version, ct))!;
        }, ct);

    public Task DiscardDraftAsync(string model, int version, string? ifMatch, string? actor, DateTime at, CancellationToken ct = default) =>
        store.InTransactionAsync(async (c, tx) =>
        {
            await DraftAsync(c, tx, model, version, ifMatch, ct);
            await Sql.ExecAsync(c, tx, "DELETE FROM rule_sets WHERE model = @m AND version = @v AND status = 'draft'", ct, ("m", model), ("v", version));
            await AuditAsync(c, tx, model, version, "discarded", actor, at, null, ct);
            return true;
        }, ct);

    public async Task<StoredRuleSet?> LatestApprovedAsync(string model, CancellationToken ct = default)
    {
        await using var c = await store.OpenAsync(ct);
        var list = await Sql.ListAsync(c, null, $"SELECT {Columns} FROM rule_sets WHERE model = @m AND status = 'approved' ORDER BY approved_at DESC, version DESC LIMIT 1",
            Read, ct, ("m", model));
        return list.Count == 0 ? null : list[0];
    }

    public async Task<IReadOnlyList<RuleSetAuditEntry>> AuditAsync(string model, CancellationToken ct = default)
    {
        await using var c = await store.OpenAsync(ct);
        return await Sql.ListAsync(c, null, "SELECT id, model, version, action, actor, at, detail FROM rule_set_audit WHERE model = @m ORDER BY id",
            r => new RuleSetAuditEntry(Sql.Long(r, 0), r.GetString(1), Sql.Int(r, 2), r.GetString(3), Sql.NullableString(r, 4), Sql.Time(Sql.Long(r, 5)),
                Sql.NullableString(r, 6)), ct, ("m", model));
    }

    private async Task<StoredRuleSet> DraftAsync(DbConnection c, DbTransaction tx, string model, int version, string? ifMatch, CancellationToken ct)
    {
        var old = await GetAsync(c, tx, model, version, ct) ?? throw new UnknownRuleSetException(model, version);
        if (old.Status != RuleSetStatus.Draft)
        {
            throw new RuleSetConflictException($"version {version} is {old.Status.ToString().ToLowerInvariant()}, not a draft; approved versions never change");
        }
        RuleSetETag.Check(ifMatch, old);
        return old;
    }

    private static Task AuditAsync(DbConnection c, DbTransaction tx, string model, int version, string action, string? actor, DateTime at, string? detail, CancellationToken ct) =>
        Sql.ExecAsync(c, tx, "INSERT INTO rule_set_audit (model, version, action, actor, at, detail) VALUES (@m, @v, @a, @by, @at, @d)", ct,
            ("m", model), ("v", version), ("a", action), ("by", actor), ("at", Sql.Ms(at)), ("d", detail));
}
