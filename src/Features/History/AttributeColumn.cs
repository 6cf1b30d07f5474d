namespace LeadML.Features.History;

/// <summary>An attribute column of the leads file (explicit criterion source).</summary>
/// <param name="Name">The column name as written in the export header.</param>
/// <param name="Type">Its type.</param>
/// <param name="Inferred">True when the type was inferred from the values rather than set in the schema.</param>
/// <param name="NegativeCategories">Category values the schema marks as negative (e.g. "Student"), empty if none.</param>
public sealed record AttributeColumn(string Name, ColumnType Type, bool Inferred, IReadOnlyList<string> NegativeCategories);
