using System.Text.Json;
using LeadML.Features.Engine;
using LeadML.Features.Featurization;

namespace LeadML.Features.Bundles;

/// <summary>
/// A self-contained, versioned model bundle: a folder holding <c>manifest.json</c>, <c>features.json</c>, the model
/// (<c>model.ubj</c> or <c>linear.json</c>), <c>calibration.json</c>, <c>metrics.json</c> and, when present,
/// <c>suggested-ruleset.json</c>, <c>evaluation-sample.json</c> and <c>report.html</c>. The Api loads it alone.
/// </summary>
public sealed class ModelBundle
{
    /// <summary>The format version this code writes and reads.</summary>
    public const int CurrentFormatVersion = 1;

    public const string ManifestFile = "manifest.json";
    public const string FeaturesFile = "features.json";
    public const string TreesFile = "model.ubj";
    public const string LinearFile = "linear.json";
    public const string CalibrationFile = "calibration.json";
    public const string MetricsFile = "metrics.json";
    public const string SuggestedRuleSetFile = "suggested-ruleset.json";
    public const string ReportFile = "report.html";

    public required BundleManifest Manifest { get; init; }
    public required FeatureSpec Spec { get; init; }
    /// <summary>The XGBoost model as UBJ, for <see cref="ModelKind.Trees"/>.</summary>
    public byte[]? Trees { get; init; }
    /// <summary>The logistic regression, for <see cref="ModelKind.Linear"/>.</summary>
    public LinearModel? Linear { get; init; }
    public required Calibration Calibration { get; init; }
    /// <summary><c>metrics.json</c>: what the trainer measured (and the last comparison).</summary>
    public required BundleMetrics Metrics { get; init; }
    /// <summary>The folder it was loaded from or saved to.</summary>
    public string? Directory { get; private set; }

    /// <summary>Writes the bundle into <paramref name="directory"/> atomically: files go to a sibling temporary
    /// folder that replaces the target only when complete, so a reader never sees half a bundle.</summary>
    /// <param name="directory">The bundle folder.</param>
    /// <param name="extraFiles">Further files by name, with their bytes.</param>
    /// <param name="writtenFiles">Further files by name, each written by its writer straight to the file (large ones,
    /// whose bytes are not held in memory at once).</param>
    public void Save(string directory, IReadOnlyDictionary<string, byte[]>? extraFiles = null, IReadOnlyDictionary<string, Action<Stream>>? writtenFiles = null)
    {
        var full = Path.GetFullPath(directory);
        var parent = Path.GetDirectoryName(full) ?? ".";
        System.IO.Directory.CreateDirectory(parent);
        var temp = Path.Combine(parent, $".{Path.GetFileName(full)}.tmp-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(temp);
        try
        {
            WriteJson(temp, ManifestFile, Manifest);
            WriteJson(temp, FeaturesFile, Spec);
            WriteJson(temp, CalibrationFile, Calibration);
            File.WriteAllText(Path.Combine(temp, MetricsFile), Metrics.ToJson());
            if (Trees is not null) File.WriteAllBytes(Path.Combine(temp, TreesFile), Trees);
            if (Linear is not null) WriteJson(temp, LinearFile, Linear);
            foreach (var (name, bytes) in extraFiles ?? new Dictionary<string, byte[]>())
            {
                File.WriteAllBytes(Path.Combine(temp, name), bytes);
            }
            foreach (var (name, write) in writtenFiles ?? new Dictionary<string, Action<Stream>>())
            {
                using var file = File.Create(Path.Combine(temp, name));
                write(file);
            }
            var old = full + $".old-{Guid.NewGuid():N}";
            if (System.IO.Directory.Exists(full)) System.IO.Directory.Move(full, old);
            System.IO.Directory.Move(temp, full);
            if (System.IO.Directory.Exists(old)) System.IO.Directory.Delete(old, true);
        }
        catch
        {
            if (System.IO.Directory.Exists(temp)) System.IO.Directory.Delete(temp, true);
            throw;
        }
        Directory = full;
    }

    /// <summary>Loads and checks a bundle. Throws <see cref="BundleException"/> naming the folder and the problem
    /// (missing file, unreadable JSON, incompatible format version).</summary>
    public static ModelBundle Load(string directory)
    {
        var full = Path.GetFullPath(directory);
        if (!System.IO.Directory.Exists(full))
        {
            throw new BundleException(directory, "does not exist");
        }
        var manifest = ReadJson<BundleManifest>(full, ManifestFile);
        if (manifest.FormatVersion != CurrentFormatVersion)
        {
            throw new BundleException(directory,
                $"has bundle format version {manifest.FormatVersion}; this LeadML reads version {CurrentFormatVersion}. Retrain it with this version");
        }
        var spec = ReadJson<FeatureSpec>(full, FeaturesFile);
        if (spec.Features.Count != manifest.FeatureCount)
        {
            throw new BundleException(directory, $"{FeaturesFile} has {spec.Features.Count} features but the manifest says {manifest.FeatureCount}");
        }
        byte[]? trees = null;
        LinearModel? linear = null;
        if (manifest.ModelKind == ModelKind.Trees)
        {
            var path = Path.Combine(full, TreesFile);
            if (!File.Exists(path)) throw new BundleException(directory, $"is missing {TreesFile}");
            trees = File.ReadAllBytes(path);
        }
        else
        {
            linear = ReadJson<LinearModel>(full, LinearFile);
        }
        var metricsPath = Path.Combine(full, MetricsFile);
        BundleMetrics metrics;
        try
        {
            metrics = File.Exists(metricsPath) ? BundleMetrics.Parse(File.ReadAllText(metricsPath)) : new BundleMetrics();
        }
        catch (JsonException e)
        {
            throw new BundleException(directory, $"{MetricsFile} is not valid JSON metrics: {e.Message}");
        }
        return new ModelBundle
        {
            Manifest = manifest,
            Spec = spec,
            Trees = trees,
            Linear = linear,
            Calibration = ReadJson<Calibration>(full, CalibrationFile),
            Metrics = metrics,
            Directory = full,
        };
    }

    /// <summary>Reads an optional JSON file of the bundle, or null when absent.</summary>
    public T? ReadOptional<T>(string file) where T : class
    {
        if (Directory is null) return null;
        var path = Path.Combine(Directory, file);
        return File.Exists(path) ? ReadJson<T>(Directory, file) : null;
    }

    private static void WriteJson<T>(string dir, string file, T value) =>
        File.WriteAllText(Path.Combine(dir, file), JsonSerializer.Serialize(value, BundleJson.Options));

    internal static T ReadJson<T>(string dir, string file)
    {
        var path = Path.Combine(dir, file);
        if (!File.Exists(path)) throw new BundleException(dir, $"is missing {file}");
        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllText(path), BundleJson.Options)
                ?? throw new BundleException(dir, $"{file} is empty");
        }
        catch (JsonException e)
        {
            throw new BundleException(dir, $"{file} is not a valid {typeof(T).Name}: {e.Message}");
        }
    }
}
