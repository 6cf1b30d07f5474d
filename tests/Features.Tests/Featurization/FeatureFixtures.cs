using LeadML.Features.Featurization;
using LeadML.Features.History;

namespace LeadML.Features.Tests.Featurization;

/// <summary>A small spec with one category, one number, one flag, one date, and page-view, email and unsubscribe
/// channels, built the way the trainer builds it.</summary>
internal static class FeatureFixtures
{
    public static FeatureSpec Spec()
    {
        var attributes = new List<AttributeEncoding>
        {
            new("industry", ColumnType.Category, ["Software", "Retail"], true, true, []),
            new("employees", ColumnType.Number, [], false, false, []),
            new("newsletter", ColumnType.Flag, [], false, false, []),
            new("first_contact", ColumnType.Date, [], false, false, []),
        };
        var channels = new List<EventChannel>
        {
            new("page_view", null), new("page_view", "/pricing"), new("email_open", null), new("email_click", null), new("unsubscribe", null),
        };
        var negative = new List<string> { "unsubscribe" };
        var (defs, _) = FeatureLayout.Build(HistoryKind.Events, attributes, channels, negative);
        return new FeatureSpec { Kind = HistoryKind.Events, Attributes = attributes, Channels = channels, NegativeEventTypes = negative, Features = defs };
    }

    public static DateTime Utc(int y, int m, int d, int h = 0, int min = 0) => new(y, m, d, h, min, 0, DateTimeKind.Utc);

    public static float Feature(Featurizer f, float[] vector, string name)
    {
        var i = f.Spec.IndexOf(name);
        Assert.True(i >= 0, $"feature {name} not in spec");
        return vector[i];
    }

    public static float[] OneLead(Featurizer f, AttributeValues attrs, DateTime created, DateTime cutoff, IEnumerable<LeadEvent> events)
    {
        var acc = EventAccumulator.ForOneLead(f, cutoff);
        foreach (var e in events) acc.Add(e);
        var v = new float[f.Width];
        f.Write(attrs, created, cutoff, acc, 0, v);
        return v;
    }

    public static AttributeValues NoAttributes(FeatureSpec spec) =>
        new(new string?[spec.Attributes.Count], Enumerable.Repeat(double.NaN, spec.Attributes.Count).ToArray());
}
