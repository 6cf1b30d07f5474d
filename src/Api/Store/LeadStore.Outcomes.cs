namespace LeadML.Api.Store;

public sealed partial class LeadStore
{
    /// <summary>A snapshot at <paramref name="cutoff"/>, like a training snapshot: every lead whose score in force at the
    /// cut-off (its latest score change at or before it) came from <paramref name="modelVersion"/>, with that grade and its
    /// conversion time; leads converted at or before the cut-off are left out.</summary>
    public async Task<List<GradedLead>> GradesAtAsync(string model, string modelVersion, DateTime cutoff, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        return await Sql.ListAsync(c, null, """
            SELECT h.grade, l.converted_at
            FROM score_history h
            JOIN (SELECT lead_id, MAX(seq) AS last FROM score_history WHERE model = @m AND at <= @t GROUP BY lead_id) f ON h.seq = f.last
            JOIN leads l ON l.model = @m AND l.id = h.lead_id
            WHERE h.model_version = @v AND (l.converted_at IS NULL OR l.converted_at > @t)
            """, r => new GradedLead(r.GetString(0), Sql.NullableTime(r, 1)), ct, ("m", model), ("v", modelVersion), ("t", Sql.Ms(cutoff)));
    }
}
