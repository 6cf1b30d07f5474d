namespace LeadML.Features.History;

/// <summary>What the times of a history's leads are.</summary>
public enum HistoryTime
{
    /// <summary>Real dates and times (event histories; single tables ordered by a date column).</summary>
    Dates,
    /// <summary>Single tables ordered by month names: each row's month is known, its year is not (the synthesised
    /// years from 2000 only count wraps).</summary>
    MonthNames,
    /// <summary>Single tables in file order or ordered by a number: only the rows' order is known; their synthesised
    /// times (from 2000-01-01, a day per step) stand for positions, not dates.</summary>
    RowOrder,
}
