namespace LeadML.Features.Store;

/// <summary>What an export wrote.</summary>
/// <param name="Folder">The history folder, full path.</param>
/// <param name="Model">The scoring model exported.</param>
/// <param name="Leads">Leads written.</param>
/// <param name="Conversions">Of which converted.</param>
/// <param name="Events">Events written.</param>
/// <param name="Columns">The attribute columns, in order.</param>
public sealed record StoreExportResult(string Folder, string Model, int Leads, int Conversions, long Events, IReadOnlyList<string> Columns);
