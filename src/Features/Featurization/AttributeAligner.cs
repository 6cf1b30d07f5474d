using System.Globalization;
using LeadML.Features.History;

namespace LeadML.Features.Featurization;

/// <summary>Turns attribute values from a lead table or from named text values (an Api request) into
/// <see cref="AttributeValues"/> aligned with a spec, with the same parsing rules either way.</summary>
public sealed class AttributeAligner
{
    private readonly FeatureSpec _spec;
    private readonly HashSet<string> _columns;

    public AttributeAligner(FeatureSpec spec)
    {
        _spec = spec;
        _columns = [.. spec.Attributes.Select(a => a.Column)];
    }

    /// <summary>Aligns every lead of a table; a spec attribute missing from the table is missing for every lead. A
    /// column the table read as another type than the spec's is converted by the spec's rules (numbers written as text
    /// parse; text that is not a number is missing).</summary>
    public AttributeValues[] Align(LeadTable table)
    {
        var map = new int[_spec.Attributes.Count];
        for (var a = 0; a < map.Length; a++)
        {
            map[a] = -1;
            for (var c = 0; c < table.Columns.Count; c++)
            {
                if (table.Columns[c].Name == _spec.Attributes[a].Column) map[a] = c;
            }
        }
        var result = new AttributeValues[table.Leads.Count];
        for (var i = 0; i < result.Length; i++)
        {
            var lead = table.Leads[i];
            var cats = new string?[map.Length];
            var nums = new double[map.Length];
            for (var a = 0; a < map.Length; a++)
            {
                nums[a] = double.NaN;
                var c = map[a];
                if (c < 0) continue;
                var read = table.Columns[c].Type;
                switch (_spec.Attributes[a].Type)
                {
                    case ColumnType.Category:
                        cats[a] = read is ColumnType.Number or ColumnType.Date
                            ? (double.IsNaN(lead.Numbers[c]) ? null : lead.Numbers[c].ToString(CultureInfo.InvariantCulture))
                            : lead.Categories[c];
                        break;
                    case ColumnType.Flag:
                        cats[a] = read == ColumnType.Flag ? lead.Categories[c] : FlagText(read, lead.Categories[c], lead.Numbers[c]);
                        break;
                    case ColumnType.Number:
                        // A history that read the model's number column as text (one with invalid values, say): its
                        // numbers still count, and a value that is not a number is missing, never another category.
                        nums[a] = read == ColumnType.Number ? lead.Numbers[c]
                            : read != ColumnType.Date && lead.Categories[c] is { } text && AttributeText.TryParseNumber(text, out var n) ? n
                            : double.NaN;
                        break;
                    case ColumnType.Date:
                        nums[a] = read == ColumnType.Date ? lead.Numbers[c] : double.NaN;
                        break;
                }
            }
            result[i] = new AttributeValues(cats, nums);
        }
        return result;
    }

    private static string? FlagText(ColumnType read, string? text, double number) => read switch
    {
        ColumnType.Number when number is 0 or 1 => number == 1 ? "true" : "false",
        ColumnType.Category when text is not null && AttributeText.TryParseFlag(text, out var flag) => flag ? "true" : "false",
        _ => null,
    };

    /// <summary>Aligns named text values (e.g. from JSON). Names not in the spec are reported in
    /// <paramref name="unknownNames"/>; values that do not parse as their column's type are reported in
    /// <paramref name="invalid"/> and treated as missing; nothing throws.</summary>
    public AttributeValues FromText(IReadOnlyDictionary<string, string?> values, List<string>? unknownNames = null, List<string>? invalid = null)
    {
        var cats = new string?[_spec.Attributes.Count];
        var nums = new double[_spec.Attributes.Count];
        Array.Fill(nums, double.NaN);
        for (var a = 0; a < _spec.Attributes.Count; a++)
        {
            var enc = _spec.Attributes[a];
            if (!values.TryGetValue(enc.Column, out var text) || AttributeText.IsMissing(text)) continue;
            var t = text!.Trim();
            switch (enc.Type)
            {
                case ColumnType.Category:
                    cats[a] = t;
                    break;
                case ColumnType.Flag:
                    if (AttributeText.TryParseFlag(t, out var flag)) cats[a] = flag ? "true" : "false";
                    else invalid?.Add($"{enc.Column}: '{t}' is not yes/no");
                    break;
                case ColumnType.Number:
                    if (AttributeText.TryParseNumber(t, out var n)) nums[a] = n;
                    else invalid?.Add($"{enc.Column}: '{t}' is not a number");
                    break;
                case ColumnType.Date:
                    if (AttributeText.TryParseDate(t, out var d)) nums[a] = Featurizer.DayNumber(d);
                    else invalid?.Add($"{enc.Column}: '{t}' is not a date");
                    break;
            }
        }
        if (unknownNames is not null)
        {
            // Every scored lead passes here: the spec's names are a set built once, and sorting is only for what was added.
            var start = unknownNames.Count;
            foreach (var name in values.Keys)
            {
                if (!_columns.Contains(name)) unknownNames.Add(name);
            }
            if (unknownNames.Count - start > 1) unknownNames.Sort(start, unknownNames.Count - start, StringComparer.Ordinal);
        }
        return new AttributeValues(cats, nums);
    }
}
