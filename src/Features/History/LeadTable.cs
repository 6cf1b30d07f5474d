namespace LeadML.Features.History;

/// <summary>All leads of a history, in memory (memory grows with leads, not events).</summary>
public sealed class LeadTable
{
    private readonly Dictionary<string, int> _index;

    public LeadTable(IReadOnlyList<AttributeColumn> columns, IReadOnlyList<Lead> leads)
    {
        Columns = columns;
        Leads = leads;
        _index = new Dictionary<string, int>(leads.Count, StringComparer.Ordinal);
        for (var i = 0; i < leads.Count; i++)
        {
            _index[leads[i].Id] = i;
        }
    }

    /// <summary>Attribute columns (explicit criteria), in file order, without role and ignored columns.</summary>
    public IReadOnlyList<AttributeColumn> Columns { get; }

    /// <summary>The leads, in file order.</summary>
    public IReadOnlyList<Lead> Leads { get; }

    /// <summary>Finds a lead's index by id.</summary>
    public bool TryGetIndex(string id, out int index) => _index.TryGetValue(id, out index);
}
