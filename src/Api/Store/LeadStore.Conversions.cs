using System.Data.Common;

namespace LeadML.Api.Store;

public sealed partial class LeadStore
{
    /// <summary>A lead's recorded conversion, or null when it has none (the lead row is read as the transaction
    /// sees it; lock it first with <see cref="GetLeadAsync(DbConnection, DbTransaction?, string, string, CancellationToken)"/>).</summary>
    public async Task<StoredConversion?> ConversionAsync(DbConnection c, DbTransaction? tx, string model, string id, CancellationToken ct)
    {
        var list = await Sql.ListAsync(c, tx, "SELECT converted_at, conversion_value, conversion_source FROM leads WHERE model = @m AND id = @id",
            r => r.IsDBNull(0) ? null : new StoredConversion(Sql.Time(Sql.Long(r, 0)), Sql.NullableDouble(r, 1), Sql.NullableString(r, 2)), ct,
            ("m", model), ("id", id));
        return list.Count == 0 ? null : list[0];
    }

    /// <summary>Records a lead's conversion, or clears it when <paramref name="conversion"/> is null (an undo).</summary>
    public Task SetConversionAsync(DbConnection c, DbTransaction tx, string model, string id, StoredConversion? conversion, DateTime now, CancellationToken ct) =>
        Sql.ExecAsync(c, tx, "UPDATE leads SET converted_at = @at, conversion_value = @v, conversion_source = @s, updated_at = @u WHERE model = @m AND id = @id", ct,
            ("at", conversion is null ? null : Sql.Ms(conversion.At)), ("v", conversion?.Value), ("s", conversion?.Source), ("u", Sql.Ms(now)),
            ("m", model), ("id", id));
}
