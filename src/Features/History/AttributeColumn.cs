namespace LeadML.Features.History;

/// <summary>The type of an attribute column, from the schema or inferred.</summary>
public enum ColumnType
{
    /// <summary>Text values from a small set (industry, country, job title). One-hot encoded, rare levels pooled.</summary>
    Category,
    /// <summary>Numbers (employees, revenue, age).</summary>
    Number,
    /// <summary>Yes/no values (true/false, yes/no, 1/0, y/n). Stored as the categories "true"/"false".</summary>
    Flag,
    /// <summary>A date; becomes "days between the date and the cut-off" when featurized.</summary>
    Date,
}

/// <summary>An attribute column of the leads file (explicit criterion source).</summary>
/// <param name="Name">The column name as written in the export header.</param>
/// <param name="Type">Its type.</param>
/// <param name="Inferred">True when the type was inferred from the values rather than set in the schema.</param>
/// <param name="NegativeCategories">Category values the schema marks as negative (e.g. "Student"), empty if none.</param>
public sealed record AttributeColumn(string Name, ColumnType Type, bool Inferred, IReadOnlyList<string> NegativeCategories);
