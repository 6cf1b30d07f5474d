namespace LeadML.Features.Store;

/// <summary>One numbered change to the store's schema.</summary>
/// <param name="Version">Its number; applied in order, once.</param>
/// <param name="Name">What it adds, for the migrations table.</param>
/// <param name="Sql">Statements separated by <c>;</c>, a template with <c>{identity}</c> and <c>{real}</c> for the
/// dialect's words.</param>
/// <param name="PostgresSql">The PostgreSQL statements when they truly differ from the template; else null.</param>
public sealed record StoreMigration(int Version, string Name, string Sql, string? PostgresSql = null);
