using LeadML.Features.History;

namespace LeadML.Features.Featurization;

/// <summary>
/// Derives the feature vector's columns from a spec's attributes and channels: the single definition of which
/// features exist, in which order, and how each is computed. <see cref="FeatureSpecBuilder"/> stores its result in
/// the spec; <see cref="Featurizer"/> derives it again on load and refuses a spec whose stored names differ.
/// </summary>
public static class FeatureLayout
{
    internal enum Op : byte
    {
        Level, Other, Missing, Number, Flag, DateDays,
        Count, DaysSince, Ever, Trend,
        ActiveDays, DaysSinceAny, ClickRate, LeadAge,
    }

    /// <summary>How one column is computed: the operation, the attribute or channel it reads, and an argument
    /// (level text, window days).</summary>
    internal readonly record struct Step(Op Op, int Source, int Window, string? Level);

    internal static (List<FeatureDefinition> Definitions, List<Step> Steps) Build(
        HistoryKind kind,
        IReadOnlyList<AttributeEncoding> attributes,
        IReadOnlyList<EventChannel> channels,
        IReadOnlyList<string> negativeEventTypes)
    {
        var defs = new List<FeatureDefinition>();
        var steps = new List<Step>();
        void Add(FeatureDefinition d, Step s)
        {
            defs.Add(d);
            steps.Add(s);
        }

        for (var a = 0; a < attributes.Count; a++)
        {
            var enc = attributes[a];
            var col = enc.Column;
            switch (enc.Type)
            {
                case ColumnType.Category:
                    foreach (var level in enc.Levels)
                    {
                        Add(new FeatureDefinition(FeatureNames.Category(col, level), FeatureKind.Level, CriterionGroup.Fit,
                                $"{col} = {level}", enc.NegativeLevels.Contains(level)),
                            new Step(Op.Level, a, 0, level));
                    }
                    if (enc.HasOther)
                    {
                        Add(new FeatureDefinition(FeatureNames.Category(col, FeatureNames.OtherLevel), FeatureKind.Level,
                            CriterionGroup.Fit, $"{col}: another value"), new Step(Op.Other, a, 0, null));
                    }
                    if (enc.HasMissing)
                    {
                        Add(new FeatureDefinition(FeatureNames.Category(col, FeatureNames.MissingLevel), FeatureKind.Level,
                            CriterionGroup.Fit, $"{col} not given"), new Step(Op.Missing, a, 0, null));
                    }
                    break;
                case ColumnType.Number:
                    Add(new FeatureDefinition(FeatureNames.Attribute(col), FeatureKind.Number, CriterionGroup.Fit, col),
                        new Step(Op.Number, a, 0, null));
                    break;
                case ColumnType.Flag:
                    Add(new FeatureDefinition(FeatureNames.Attribute(col), FeatureKind.Flag, CriterionGroup.Fit, col,
                        enc.NegativeLevels.Contains("true")), new Step(Op.Flag, a, 0, null));
                    break;
                case ColumnType.Date:
                    Add(new FeatureDefinition(FeatureNames.Attribute(col), FeatureKind.Recency, CriterionGroup.Fit,
                        $"days since {col}"), new Step(Op.DateDays, a, 0, null));
                    break;
            }
        }

        if (kind == HistoryKind.SingleTable)
        {
            return (defs, steps);
        }

        for (var c = 0; c < channels.Count; c++)
        {
            var ch = channels[c];
            var negative = negativeEventTypes.Contains(ch.Type);
            var what = Describe(ch);
            var windows = ch.Detail is null ? FeatureNames.CountWindows : DetailWindows;
            foreach (var w in windows)
            {
                Add(new FeatureDefinition(FeatureNames.Count(ch.Type, ch.Detail, w), FeatureKind.Count, CriterionGroup.Engagement,
                    $"{what} in the last {w} days", negative), new Step(Op.Count, c, w, null));
            }
            Add(new FeatureDefinition(FeatureNames.DaysSinceLast(ch.Type, ch.Detail), FeatureKind.Recency, CriterionGroup.Engagement,
                $"days since the last of the {what}", negative), new Step(Op.DaysSince, c, 0, null));
            if (ch.Detail is null)
            {
                Add(new FeatureDefinition(FeatureNames.Trend(ch.Type, null), FeatureKind.Rate, CriterionGroup.Engagement,
                    $"{what}: last 30 days against the monthly average of the 60 before", negative), new Step(Op.Trend, c, 0, null));
                if (negative)
                {
                    Add(new FeatureDefinition(FeatureNames.Ever(ch.Type), FeatureKind.Flag, CriterionGroup.Engagement,
                        $"{Humanize(ch.Type)} (ever)", true), new Step(Op.Ever, c, 0, null));
                }
            }
        }

        foreach (var w in FeatureNames.ActiveDayWindows)
        {
            Add(new FeatureDefinition(FeatureNames.ActiveDays(w), FeatureKind.Count, CriterionGroup.Engagement,
                $"days with any activity in the last {w} days"), new Step(Op.ActiveDays, -1, w, null));
        }
        Add(new FeatureDefinition(FeatureNames.DaysSinceLastActivity, FeatureKind.Recency, CriterionGroup.Engagement,
            "days since the last activity of any kind"), new Step(Op.DaysSinceAny, -1, 0, null));
        var opens = IndexOfType(channels, "email_open");
        var clicks = IndexOfType(channels, "email_click");
        if (opens >= 0 && clicks >= 0)
        {
            Add(new FeatureDefinition(FeatureNames.EmailClickRate, FeatureKind.Rate, CriterionGroup.Engagement,
                "email clicks per email open in the last 90 days"), new Step(Op.ClickRate, opens, clicks, null));
        }
        Add(new FeatureDefinition(FeatureNames.LeadAge, FeatureKind.Recency, CriterionGroup.Engagement,
            "days since the lead was created"), new Step(Op.LeadAge, -1, 0, null));
        return (defs, steps);
    }

    /// <summary>Windows kept for detail channels (fewer than for whole types, to keep the vector small).</summary>
    internal static readonly int[] DetailWindows = [30, 90];

    internal static int IndexOfType(IReadOnlyList<EventChannel> channels, string type)
    {
        for (var i = 0; i < channels.Count; i++)
        {
            if (channels[i].Detail is null && channels[i].Type == type) return i;
        }
        return -1;
    }

    /// <summary>"page views of /pricing", "email clicks", "form submits (newsletter)".</summary>
    public static string Describe(EventChannel ch)
    {
        var type = Humanize(ch.Type);
        if (ch.Detail is null) return type;
        return ch.Detail.StartsWith('/') ? $"{type} of {ch.Detail}" : $"{type} ({ch.Detail})";
    }

    internal static string Humanize(string type)
    {
        var words = type.Replace('_', ' ').Trim();
        return words.EndsWith('s') ? words : words + "s";
    }
}
