using LeadML.Features.Featurization;
using LeadML.Features.History;
using LeadML.Features.Randomness;

namespace LeadML.Trainer.Tests.Points;

/// <summary>
/// Synthetic leads whose model contributions (log-odds) are known, for the points builder's tests: industry Software
/// +0.8 and Retail −0.6 against Other, and a number of /pricing views in 30 days, on a spec of the industry attribute and
/// the given event channels. A test adds its own effects to each row (pricing's credit among them) and the base margin;
/// a lead converts with the logistic of its margin.
/// </summary>
internal static class KnownEffects
{
    /// <summary>Features (row-major), conversions, contributions (one per feature, then the base) and margins.</summary>
    public sealed record Data(float[] X, float[] Y, double[] Phi, double[] Margin);

    /// <summary>What a test adds to one lead: <paramref name="r"/> its features, <paramref name="p"/> its contributions
    /// (the base last), given its /pricing views in 30 days.</summary>
    public delegate void Effects(Span<float> r, Span<double> p, int views, Xoshiro256 rng);

    public static FeatureSpec Spec(IReadOnlyList<EventChannel> channels, IReadOnlyList<string> negative)
    {
        var attributes = new List<AttributeEncoding> { new("industry", ColumnType.Category, ["Software", "Retail", "Other"], false, false, []) };
        var (defs, _) = FeatureLayout.Build(HistoryKind.Events, attributes, [.. channels], [.. negative]);
        return new FeatureSpec { Kind = HistoryKind.Events, Attributes = attributes, Channels = [.. channels], NegativeEventTypes = [.. negative], Features = defs };
    }

    public static Data Generate(FeatureSpec spec, int rows, ulong seed, Effects effects)
    {
        int I(string n) => spec.IndexOf(n);
        var (x, y, phi, margin) = KnownContributions.Generate(spec, rows, seed, 0, (rng, r, p) =>
        {
            var industry = rng.NextDouble() switch { < 0.3 => "Software", < 0.5 => "Retail", _ => "Other" };
            r[I($"attr.industry={industry}")] = 1;
            p[I("attr.industry=Software")] = industry == "Software" ? 0.8 : 0;
            p[I("attr.industry=Retail")] = industry == "Retail" ? -0.6 : 0;
            var views = rng.NextDouble() < 0.5 ? 0 : rng.NextInt(8);
            r[I("evt.page_view[/pricing].count_30d")] = views;
            effects(r, p, views, rng);
        });
        return new Data(x, y, phi, margin);
    }
}
