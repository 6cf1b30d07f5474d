using System.CommandLine;
using LeadML.Features.Bundles;
using Spectre.Console;

namespace LeadML.Trainer.Commands;

/// <summary><c>leadml inspect BUNDLE</c>: prints what a bundle holds.</summary>
internal static class InspectCommand
{
    public static Command Create()
    {
        var bundle = new Argument<string>("bundle") { Description = "Bundle folder" };
        var command = new Command("inspect", "Print what a model bundle holds") { bundle };
        command.SetAction(r => CommandErrors.Run(() =>
        {
            var b = ModelBundle.Load(r.GetValue(bundle)!);
            var m = b.Manifest;
            var grid = new Grid().AddColumn().AddColumn();
            void Row(string k, string v) => grid.AddRow($"[grey]{Markup.Escape(k)}[/]", Markup.Escape(v));
            Row("model version", m.ModelVersion);
            Row("format version", m.FormatVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Row("created", m.CreatedAt.ToString("u", System.Globalization.CultureInfo.InvariantCulture));
            Row("model", $"{m.ModelKind} ({m.Engine})");
            foreach (var (k, v) in m.Settings) Row($"  {k}", v);
            Row("calibration", b.Calibration.Kind.ToString());
            Row("data fingerprint", m.DataFingerprint);
            Row("horizon", $"{m.Window.HorizonDays} days");
            Row("train", Describe(m.Window.Train));
            Row("validation", Describe(m.Window.Validation));
            Row("test", Describe(m.Window.Test));
            Row("features", $"{m.FeatureCount} ({b.Spec.Attributes.Count} attributes, {b.Spec.Channels.Count} event channels)");
            Row("test ROC-AUC", b.Metrics.Test?.RocAuc?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "–");
            Row("files", string.Join(", ", Directory.GetFiles(b.Directory!).Select(Path.GetFileName).Order(StringComparer.Ordinal)));
            AnsiConsole.Write(grid);
            return CommandErrors.Ok;
        }));
        return command;
    }

    private static string Describe(PeriodSummary p) =>
        $"{p.From:yyyy-MM-dd} .. {p.To:yyyy-MM-dd}: {p.Rows:N0} rows, {p.Positives:N0} conversions";
}
