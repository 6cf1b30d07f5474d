using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using LeadML.Api.Hosting;
using LeadML.Api.Store;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace LeadML.Api.Alerts;

/// <summary>
/// Delivers the alerts outbox to the configured webhooks, at least once: alerts are claimed for a while (on
/// PostgreSQL with <c>SKIP LOCKED</c>, so each instance takes different ones), posted with retries and exponential
/// backoff (Polly), and marked delivered only after every webhook answered 2xx. Every attempt is logged in the
/// delivery log. An alert whose round failed is tried again later, without end; one whose claimant died is taken
/// over when the claim expires (SQLite: at the next start). Receivers deduplicate by <c>Idempotency-Key</c> and check
/// <see cref="WebhookSignature"/>.
/// </summary>
public sealed class AlertDelivery : BackgroundService
{
    private readonly LeadStore _store;
    private readonly AlertOptions _options;
    private readonly IReadOnlyList<WebhookOptions> _webhooks;
    private readonly AlertSignal _signal;
    private readonly TimeProvider _clock;
    private readonly ILogger<AlertDelivery> _log;
    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;

    public AlertDelivery(LeadStore store, IOptions<AlertOptions> options, IOptions<List<WebhookOptions>> webhooks, AlertSignal signal, TimeProvider clock,
        ILogger<AlertDelivery> log)
    {
        _store = store;
        _options = options.Value;
        _webhooks = webhooks.Value;
        _signal = signal;
        _clock = clock;
        _log = log;
        _pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>()
                    .HandleResult(r => (int)r.StatusCode >= 500 || r.StatusCode is System.Net.HttpStatusCode.RequestTimeout or System.Net.HttpStatusCode.TooManyRequests),
                MaxRetryAttempts = Math.Max(1, _options.MaxRetries),
                Delay = _options.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
            })
            .AddTimeout(_options.AttemptTimeout)
            .Build();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_webhooks.Count == 0)
        {
            Log.NoWebhooks(_log);
            return;
        }
        if (!_store.Dialect.IsPostgres) await _store.ReleaseClaimsAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var delivered = await RoundAsync(stoppingToken);
                if (delivered > 0) continue;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                Log.DeliveryRoundFailed(_log, e, _options.PollInterval);
            }
            await _signal.WaitAsync(_options.PollInterval, stoppingToken);
        }
    }

    /// <summary>Claims and delivers one batch; returns how many alerts were claimed.</summary>
    internal async Task<int> RoundAsync(CancellationToken ct)
    {
        var claimed = await _store.ClaimAlertsAsync(_clock.GetUtcNow().UtcDateTime, _options.ClaimTimeout, _options.BatchSize, ct);
        await Parallel.ForEachAsync(claimed, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct }, async (alert, token) =>
        {
            var accepted = alert.Attempts > 0 ? await _store.AcceptedByAsync(alert.Key, token) : [];
            var attempts = 0;
            string? error = null;
            foreach (var webhook in _webhooks.Where(w => !accepted.Contains(w.Url)))
            {
                var (ok, n, message) = await DeliverAsync(alert, webhook, alert.Attempts, token);
                attempts += n;
                if (!ok) error = message;
            }
            ApiMetrics.AlertRound(alert.Kind, error is null);
            var now = _clock.GetUtcNow().UtcDateTime;
            var rounds = alert.Attempts / (_options.MaxRetries + 1);
            var wait = TimeSpan.FromTicks((long)Math.Min(TimeSpan.FromMinutes(10).Ticks, _options.RedeliveryDelay.Ticks * Math.Pow(2, Math.Min(rounds, 20))));
            await _store.FinishAlertAsync(alert.Seq, error is null, attempts, now, now + wait, error, CancellationToken.None);
            if (error is not null) Log.AlertNotDelivered(_log, alert.Key, error, wait);
        });
        return claimed.Count;
    }

    private async Task<(bool Ok, int Attempts, string? Error)> DeliverAsync(StoredAlert alert, WebhookOptions webhook, int previousAttempts, CancellationToken ct)
    {
        var body = Encoding.UTF8.GetBytes(alert.Payload);
        var eventType = WebhookSignature.EventType(alert.Kind);
        var attempts = 0;
        string? lastError = null;
        try
        {
            using var response = await _pipeline.ExecuteAsync(async token =>
            {
                attempts++;
                var started = Stopwatch.GetTimestamp();
                using var request = new HttpRequestMessage(HttpMethod.Post, webhook.Url) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
                request.Headers.UserAgent.ParseAdd(WebhookSignature.UserAgent);
                request.Headers.Add(WebhookSignature.EventHeader, eventType);
                request.Headers.Add(WebhookSignature.DeliveryHeader, Guid.NewGuid().ToString());
                request.Headers.Add(WebhookSignature.IdempotencyHeader, alert.Key);
                // Signed at each attempt: a retry minutes later carries a timestamp inside the receiver's window.
                request.Headers.Add(WebhookSignature.Header, WebhookSignature.Sign(webhook.Secret, _clock.GetUtcNow(), body));
                HttpResponseMessage? response = null;
                string? error = null;
                try
                {
                    response = await _http.SendAsync(request, token);
                    if (!response.IsSuccessStatusCode) error = $"HTTP {(int)response.StatusCode}";
                    return response;
                }
                catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
                {
                    error = e is OperationCanceledException && !ct.IsCancellationRequested ? "timed out" : e.Message;
                    throw;
                }
                finally
                {
                    lastError = error;
                    ApiMetrics.WebhookAttempt(Stopwatch.GetElapsedTime(started), error is null);
                    await _store.LogDeliveryAsync(new DeliveryAttempt(0, alert.Key, alert.Model, alert.LeadId, webhook.Url, previousAttempts + attempts,
                        _clock.GetUtcNow().UtcDateTime, response is null ? null : (int)response.StatusCode, error, error is null,
                        Stopwatch.GetElapsedTime(started).TotalMilliseconds, _store.Instance), CancellationToken.None);
                }
            }, ct);
            return (response.IsSuccessStatusCode, attempts, response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}");
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException)
        {
            return (false, attempts, lastError ?? e.Message);
        }
    }

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }
}
