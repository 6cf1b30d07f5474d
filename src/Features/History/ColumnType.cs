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
