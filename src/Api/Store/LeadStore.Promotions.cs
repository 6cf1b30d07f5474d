namespace LeadML.Api.Store;

public sealed partial class LeadStore
{
    /// <summary>Records a promotion or rollback.</summary>
    public Task AddPromotionAsync(StoredPromotion p, CancellationToken ct) => InTransactionAsync(async (c, tx) =>
        await Sql.ExecAsync(c, tx, """
            INSERT INTO promotions (model, action, bundle, model_version, previous_bundle, previous_model_version, forced, at, comparison)
            VALUES (@m, @a, @b, @v, @pb, @pv, @f, @at, @cmp)
            """, ct, ("m", p.Model), ("a", p.Action), ("b", p.Bundle), ("v", p.ModelVersion), ("pb", p.PreviousBundle), ("pv", p.PreviousModelVersion),
            ("f", p.Forced ? 1 : 0), ("at", Sql.Ms(p.At)), ("cmp", p.Comparison)), ct);

    /// <summary>A model's promotions and rollbacks, newest first.</summary>
    public async Task<List<StoredPromotion>> PromotionsAsync(string model, int limit, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        return await Sql.ListAsync(c, null, """
            SELECT seq, model, action, bundle, model_version, previous_bundle, previous_model_version, forced, at, comparison
            FROM promotions WHERE model = @m ORDER BY seq DESC LIMIT @n
            """, r => new StoredPromotion(Sql.Long(r, 0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetString(6),
            Sql.Flag(r, 7), Sql.Time(Sql.Long(r, 8)), Sql.NullableString(r, 9)), ct, ("m", model), ("n", limit));
    }
}
