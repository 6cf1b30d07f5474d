using System.Collections.Immutable;
using LeadML.Api.Hosting;
using LeadML.Features.Rules;
using Microsoft.Extensions.Options;

namespace LeadML.Api.Scoring;

/// <summary>
/// The scoring models in force. Each request takes one <see cref="ScoringModel"/> and uses it throughout; a new bundle
/// or rule set is loaded completely first and then swapped in with one reference assignment, so no request fails or
/// mixes versions during a swap. Bundle folders are watched (debounced) and can be reloaded through the admin
/// endpoint; a broken new bundle is refused and the old one stays in force.
/// </summary>
public sealed class ModelRegistry : IDisposable
{
    private readonly LeadMlOptions _options;
    private readonly string _contentRoot;
    private readonly ILogger<ModelRegistry> _log;
    private readonly IApprovedRuleSets _approved;
    private readonly List<FileSystemWatcher> _watchers = [];
    private readonly Dictionary<string, Timer> _debounce = new(StringComparer.Ordinal);
    private readonly Lock _reloadLock = new();
    private volatile ImmutableDictionary<string, ScoringModel> _models = ImmutableDictionary<string, ScoringModel>.Empty.WithComparers(StringComparer.Ordinal);

    public ModelRegistry(IOptions<LeadMlOptions> options, IHostEnvironment environment, ILogger<ModelRegistry> log, IApprovedRuleSets approved)
    {
        _options = options.Value;
        _contentRoot = environment.ContentRootPath;
        _log = log;
        _approved = approved;
        if (_options.Models.Count == 0)
        {
            throw new InvalidOperationException("no scoring model is configured: set LeadML:Models:<name>:Bundle to a bundle folder written by 'leadml train'");
        }
        DefaultName = _options.DefaultModel ?? _options.Models.Keys.First();
        if (!_options.Models.ContainsKey(DefaultName))
        {
            throw new InvalidOperationException($"LeadML:DefaultModel '{DefaultName}' is not among the configured models ({string.Join(", ", _options.Models.Keys)})");
        }
        foreach (var (name, model) in _options.Models)
        {
            var path = BundlePath(model.Bundle);
            // A missing or broken bundle stops the start: the message names the folder and the problem.
            _models = _models.SetItem(name, ScoringModel.Load(name, path, _approved.Latest(name)));
            Log.ModelLoaded(_log, name, _models[name].ModelVersion, path);
            if (_options.WatchBundles) Watch(name, path);
        }
    }

    /// <summary>Raised after a swap, with the model before and after (a new bundle or a new rule set).</summary>
    public event Action<ScoringModel, ScoringModel>? Swapped;

    public string DefaultName { get; }

    public IReadOnlyCollection<ScoringModel> All => _models.Values.ToList();

    public bool Ready => _models.Count == _options.Models.Count;

    /// <summary>The model in force by name (the default when null).</summary>
    public ScoringModel Get(string? name)
    {
        var models = _models;
        return models.TryGetValue(name ?? DefaultName, out var m) ? m : throw new UnknownModelException(name ?? DefaultName, models.Keys.Order(StringComparer.Ordinal));
    }

    public bool Contains(string name) => _models.ContainsKey(name);

    /// <summary>Loads the model's bundle again and swaps it in; on failure the old one stays and the error is returned.</summary>
    public (bool Ok, string Message) Reload(string name)
    {
        if (!_options.Models.TryGetValue(name, out var options))
        {
            throw new UnknownModelException(name, _options.Models.Keys);
        }
        lock (_reloadLock)
        {
            ScoringModel loaded;
            try
            {
                loaded = ScoringModel.Load(name, BundlePath(options.Bundle), _approved.Latest(name));
            }
            catch (Exception e) when (e is Features.Bundles.BundleException or IOException or InvalidDataException or System.Text.Json.JsonException or NotSupportedException or Features.Engine.XGBoostException)
            {
                Log.ReloadFailed(_log, name, _models[name].ModelVersion, e.Message);
                return (false, e.Message);
            }
            Swap(name, loaded);
            return (true, $"model {name} now at {loaded.ModelVersion} with rule set {loaded.RuleSetVersion}");
        }
    }

    /// <summary>Puts a rule set in force for a model (after approval or restore).</summary>
    public ScoringModel ApplyRuleSet(string name, RuleSet rules, RuleSetSource source)
    {
        lock (_reloadLock)
        {
            var next = Get(name).WithRules(rules, source);
            Swap(name, next);
            return next;
        }
    }

    /// <summary>Replaces a model's bundle folder (promotion of another bundle) and loads it.</summary>
    public (bool Ok, string Message) Promote(string name, string bundlePath)
    {
        if (!_options.Models.TryGetValue(name, out var options)) throw new UnknownModelException(name, _options.Models.Keys);
        var previous = options.Bundle;
        options.Bundle = bundlePath;
        var result = Reload(name);
        if (!result.Ok) options.Bundle = previous;
        return result;
    }

    /// <summary>The bundle folder configured for a model.</summary>
    public string BundleFolder(string name) =>
        _options.Models.TryGetValue(name, out var o) ? BundlePath(o.Bundle) : throw new UnknownModelException(name, _options.Models.Keys);

    private void Swap(string name, ScoringModel next)
    {
        var before = _models[name];
        _models = _models.SetItem(name, next);
        Log.ModelSwapped(_log, name, before.ModelVersion, before.RuleSetVersion, next.ModelVersion, next.RuleSetVersion);
        Swapped?.Invoke(before, next);
    }

    private string BundlePath(string path) => Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(_contentRoot, path));

    private void Watch(string name, string path)
    {
        var parent = Path.GetDirectoryName(path);
        if (parent is null || !Directory.Exists(parent)) return;
        var folder = Path.GetFileName(path);
        var watcher = new FileSystemWatcher(parent) { IncludeSubdirectories = true, NotifyFilter = NotifyFilters.DirectoryName | NotifyFilters.FileName | NotifyFilters.LastWrite };
        void OnChange(object? _, FileSystemEventArgs e)
        {
            // Bundles are written to a temporary sibling and renamed into place: react to the bundle folder itself.
            var relative = Path.GetRelativePath(parent, e.FullPath);
            if (relative == folder || relative.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal)) Debounce(name);
        }
        watcher.Created += OnChange;
        watcher.Changed += OnChange;
        watcher.Renamed += (s, e) => OnChange(s, e);
        watcher.EnableRaisingEvents = true;
        _watchers.Add(watcher);
    }

    private void Debounce(string name)
    {
        lock (_debounce)
        {
            if (_debounce.TryGetValue(name, out var t))
            {
                t.Change(TimeSpan.FromMilliseconds(750), Timeout.InfiniteTimeSpan);
                return;
            }
            _debounce[name] = new Timer(_ =>
            {
                var (ok, message) = Reload(name);
                if (ok) Log.BundleChangePickedUp(_log, message);
            }, null, TimeSpan.FromMilliseconds(750), Timeout.InfiniteTimeSpan);
        }
    }

    public void Dispose()
    {
        foreach (var w in _watchers) w.Dispose();
        lock (_debounce)
        {
            foreach (var t in _debounce.Values) t.Dispose();
        }
    }
}
