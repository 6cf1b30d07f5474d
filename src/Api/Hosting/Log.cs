namespace LeadML.Api.Hosting;

/// <summary>Every message the Api logs, source-generated (no boxing, no template parsing per call), with its event id.
/// Ids by area: 1xx hosting, 2xx scoring, 3xx rescoring, 4xx alerts, 5xx promotion.</summary>
internal static partial class Log
{
    [LoggerMessage(100, LogLevel.Warning, "No API keys configured (LeadML:Keys): every endpoint is open. Configure keys outside development.")]
    public static partial void NoApiKeys(ILogger logger);

    [LoggerMessage(101, LogLevel.Error, "Unhandled error on {Path}")]
    public static partial void UnhandledError(ILogger logger, Exception exception, PathString path);

    [LoggerMessage(200, LogLevel.Information, "Loaded model {Model} {Version} from {Path}")]
    public static partial void ModelLoaded(ILogger logger, string model, string version, string path);

    [LoggerMessage(201, LogLevel.Error, "Reload of model {Model} failed, keeping {Version}: {Message}")]
    public static partial void ReloadFailed(ILogger logger, string model, string version, string message);

    [LoggerMessage(202, LogLevel.Information, "Model {Model} swapped: {Old}/{OldRules} → {New}/{NewRules}")]
    public static partial void ModelSwapped(ILogger logger, string model, string old, string oldRules, string @new, string newRules);

    [LoggerMessage(203, LogLevel.Information, "Bundle change picked up: {Message}")]
    public static partial void BundleChangePickedUp(ILogger logger, string message);

    [LoggerMessage(204, LogLevel.Error, "The answer of batch item {Index} could not be written; it is answered as that item's error")]
    public static partial void BatchItemUnwritable(ILogger logger, Exception exception, int index);

    [LoggerMessage(300, LogLevel.Error, "Rescoring round failed; retrying after {Poll}")]
    public static partial void RescoringRoundFailed(ILogger logger, Exception exception, TimeSpan poll);

    [LoggerMessage(301, LogLevel.Information, "Adopting approved rule set v{Version} of model {Model} from the store")]
    public static partial void AdoptingRuleSet(ILogger logger, int version, string model);

    [LoggerMessage(302, LogLevel.Warning, "{Suppressed} alerts of model {Model} not raised: the cap of {Max} per rule-set change was reached")]
    public static partial void AlertsSuppressed(ILogger logger, int suppressed, string model, int max);

    [LoggerMessage(303, LogLevel.Warning, "The rescoring round of model {Model} has run for {Ran}, half the interval of {Interval}: it goes on at full speed instead of its share of the time (LeadML:Rescoring:Share {Share}), so that it ends before its leads are due again")]
    public static partial void RescoringHurried(ILogger logger, string model, TimeSpan ran, TimeSpan interval, double share);

    [LoggerMessage(400, LogLevel.Warning, "No webhooks configured (LeadML:Webhooks:0:Url): alerts stay in the outbox until one is")]
    public static partial void NoWebhooks(ILogger logger);

    [LoggerMessage(401, LogLevel.Error, "Alert delivery round failed; retrying after {Interval}")]
    public static partial void DeliveryRoundFailed(ILogger logger, Exception exception, TimeSpan interval);

    [LoggerMessage(402, LogLevel.Warning, "Alert {Key} not delivered ({Error}); next round after {Wait}")]
    public static partial void AlertNotDelivered(ILogger logger, string key, string error, TimeSpan wait);

    [LoggerMessage(500, LogLevel.Error, "Reading promotions from the store failed")]
    public static partial void PromotionsUnreadable(ILogger logger, Exception exception);

    [LoggerMessage(501, LogLevel.Information, "Adopted the promotion of model {Model} from the store: {Message}")]
    public static partial void PromotionAdopted(ILogger logger, string model, string message);

    [LoggerMessage(502, LogLevel.Error, "The promoted bundle {Bundle} of model {Model} does not load, keeping {Version}: {Message}")]
    public static partial void PromotedBundleUnloadable(ILogger logger, string bundle, string model, string version, string message);
}
