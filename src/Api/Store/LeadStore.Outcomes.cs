namespace LeadML.Api.Store;

/// <summary>A lead's first score by one model version and its conversion, if any.</summary>
public sealed record GradedLead(string Grade, DateTime ScoredAt, DateTime? ConvertedAt);

public sealed partial class LeadStore
{
    /// <summary>Every lead scored by <paramref name="modelVersion"/>, with the grade of its first score by that version
    /// and its conversion time; leads that converted at or before that score are left out (they were never open
    /// leads for this version, like leads converted before a snapshot's cut-off in training).</summary>
    public async Task<List<GradedLead>> FirstGradesAsync(string model, string modelVersion, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        return await Sql.ListAsync(c, null, """
            SELECT h.grade, h.at, l.converted_at
            FROM score_history h
            JOIN (SELECT lead_id, MIN(seq) AS first FROM score_history WHERE model = @m AND model_version = @v GROUP BY lead_id) f ON h.seq = f.first
            JOIN leads l ON l.model = @m AND l.id = h.lead_id
            WHERE l.converted_at IS NULL OR l.converted_at > h.at
            """, r => new GradedLead(r.GetString(0), Sql.Time(Sql.Long(r, 1)), Sql.NullableTime(r, 2)), ct, ("m", model), ("v", modelVersion));
    }
}
