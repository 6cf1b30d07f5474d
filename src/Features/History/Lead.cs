namespace LeadML.Features.History;

/// <summary>
/// One lead as read from history: identity, times, outcome, and its attribute values (explicit criteria).
/// </summary>
/// <remarks>
/// Attribute values are stored by column position in <see cref="LeadTable.Columns"/>: categories (and flags, as
/// "true"/"false") in <see cref="Categories"/>, numbers in <see cref="Numbers"/>; a column of one kind leaves the
/// other array's slot unused (<c>null</c> / <see cref="double.NaN"/>). Missing values are <c>null</c> or NaN.
/// All times are UTC.
/// </remarks>
public sealed class Lead
{
    /// <summary>The lead's id as written in the export (trimmed).</summary>
    public required string Id { get; init; }

    /// <summary>When the lead was created (UTC). For single-table exports: the row's time (date column, or a
    /// synthetic time from file order).</summary>
    public required DateTime CreatedAt { get; init; }

    /// <summary>When the lead converted (UTC), or <c>null</c> when it did not (or when unknown in a single table).</summary>
    public DateTime? ConvertedAt { get; init; }

    /// <summary>Single-table exports only: the 0/1 outcome of the row. <c>null</c> for event histories, where the
    /// label comes from <see cref="ConvertedAt"/> and the horizon.</summary>
    public bool? Outcome { get; init; }

    /// <summary>Position of the row in its file (0-based), used for "file order" time ordering.</summary>
    public int Row { get; init; }

    /// <summary>Category and flag values by column position (null where missing or where the column is numeric).</summary>
    public required string?[] Categories { get; init; }

    /// <summary>Numeric values by column position (NaN where missing or where the column is not numeric).</summary>
    public required double[] Numbers { get; init; }
}
