using LeadML.Features.History;

namespace LeadML.Features.Featurization;

/// <summary>Chooses the features of a model from its training history: frequent category levels, event types and
/// frequent details. Uses attribute values and event counts only, never outcomes.</summary>
public static class FeatureSpecBuilder
{
    public static FeatureSpec Build(LeadHistory history, EventCatalog? events, FeatureSpecOptions? options = null)
    {
        options ??= new FeatureSpecOptions();
        var leads = history.Leads;
        var attributes = new List<AttributeEncoding>();
        for (var c = 0; c < leads.Columns.Count; c++)
        {
            var col = leads.Columns[c];
            if (col.Type != ColumnType.Category)
            {
                attributes.Add(new AttributeEncoding(col.Name, col.Type, [], false, false, col.Type == ColumnType.Flag ? col.NegativeCategories : []));
                continue;
            }
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            var missing = 0;
            foreach (var lead in leads.Leads)
            {
                var v = lead.Categories[c];
                if (v is null) missing++;
                else counts[v] = counts.GetValueOrDefault(v) + 1;
            }
            var min = Math.Max(options.MinLevelCount, (int)Math.Ceiling(options.MinLevelShare * leads.Leads.Count));
            var kept = counts.Where(kv => kv.Value >= min)
                .OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal)
                .Take(options.MaxLevels).Select(kv => kv.Key).ToList();
            var keptSet = kept.ToHashSet(StringComparer.Ordinal);
            // Negative levels stay their own feature even when rare, so the schema's negative criteria can fire.
            foreach (var neg in col.NegativeCategories)
            {
                if (counts.ContainsKey(neg) && keptSet.Add(neg)) kept.Add(neg);
            }
            // "(other)" always exists so that values unseen in training still encode to something.
            attributes.Add(new AttributeEncoding(col.Name, ColumnType.Category, kept, HasOther: true, HasMissing: missing > 0,
                col.NegativeCategories.Where(keptSet.Contains).ToList()));
        }

        var channels = new List<EventChannel>();
        if (history.Kind == HistoryKind.Events && events is not null)
        {
            // Kinds of events that converted leads do mostly after converting get no feature (they would be dead).
            var after = events.PostConversion(options.PostConversionShare, options.MinPostConversionEvents);
            var afterTypes = after.Where(p => p.Detail is null).Select(p => p.Type).ToHashSet(StringComparer.Ordinal);
            var afterDetails = after.Where(p => p.Detail is not null).Select(p => (p.Type, p.Detail!)).ToHashSet();
            foreach (var (type, count) in events.Types.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal))
            {
                if (count < options.MinTypeEvents || afterTypes.Contains(type)) continue;
                channels.Add(new EventChannel(type, null));
                var minDetail = Math.Max(options.MinDetailEvents, (long)Math.Ceiling(options.MinDetailShare * count));
                var details = events.Details
                    .Where(kv => kv.Key.Type == type && kv.Value >= minDetail && !afterDetails.Contains(kv.Key))
                    .OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key.Detail, StringComparer.Ordinal)
                    .Take(options.MaxDetailsPerType);
                // A detail that is the only one of its type says nothing the type does not.
                var detailList = details.ToList();
                if (detailList.Count == 1 && detailList[0].Value == count) continue;
                channels.AddRange(detailList.Select(kv => new EventChannel(type, kv.Key.Detail)));
            }
        }
        var negativeTypes = history.Schema.NegativeEventTypes
            .Where(t => channels.Any(c => c.Detail is null && c.Type == t)).ToList();
        var (defs, _) = FeatureLayout.Build(history.Kind, attributes, channels, negativeTypes);
        return new FeatureSpec
        {
            Kind = history.Kind,
            Attributes = attributes,
            Channels = channels,
            NegativeEventTypes = negativeTypes,
            Features = defs,
        };
    }
}
