namespace LeadML.Api.Store;

/// <summary>The few places where SQLite and PostgreSQL SQL differ. Everything else is written once: both take
/// <c>@name</c> parameters, <c>INSERT … ON CONFLICT</c> and <c>RETURNING</c>; times are Unix milliseconds in BIGINT
/// columns and flags are INTEGER 0/1 so that both read back the same.</summary>
internal sealed record StoreDialect(string Name, string Identity, string Real, string LockRows, string ClaimRows)
{
    /// <summary>SQLite: one writer at a time (transactions begin IMMEDIATE), so no row locks are needed.</summary>
    public static readonly StoreDialect Sqlite = new("sqlite", "INTEGER PRIMARY KEY AUTOINCREMENT", "REAL", "", "");

    /// <summary>PostgreSQL: rows about to change are locked; batches and outbox rows are claimed with
    /// <c>SKIP LOCKED</c> so that concurrent instances take disjoint rows without waiting.</summary>
    public static readonly StoreDialect Postgres = new("postgres", "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY", "DOUBLE PRECISION",
        " FOR UPDATE", " FOR UPDATE SKIP LOCKED");

    public bool IsPostgres => ReferenceEquals(this, Postgres);

    /// <summary>Fills the dialect's words into a schema template.</summary>
    public string Render(string template) => template.Replace("{identity}", Identity, StringComparison.Ordinal).Replace("{real}", Real, StringComparison.Ordinal);
}
