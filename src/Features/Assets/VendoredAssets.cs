namespace LeadML.Features.Assets;

/// <summary>
/// Third-party browser code shipped inside LeadML so that the report and the review page work offline: Chart.js
/// 4.6.1 (MIT, see chart.js.LICENSE.md beside it), taken from its npm package's <c>dist/chart.umd.min.js</c>.
/// </summary>
public static class VendoredAssets
{
    private static readonly Lazy<string> Chart = new(() => Read("LeadML.Assets.chart.umd.min.js"));

    /// <summary>Chart.js as one script, to inline or serve.</summary>
    public static string ChartJs => Chart.Value;

    private static string Read(string name)
    {
        using var stream = typeof(VendoredAssets).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"embedded asset {name} is missing from the build");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
