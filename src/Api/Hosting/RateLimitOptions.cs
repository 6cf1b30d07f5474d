namespace LeadML.Api.Hosting;

/// <summary>Per-key request limits (section <c>LeadML:RateLimit</c>). Off by default.</summary>
public sealed class RateLimitOptions
{
    /// <summary>Requests each key may send in each minute (a fixed window); requests without a configured key count
    /// per client address. 0 (the default) turns limits off. Health checks and metrics are never limited.</summary>
    public int PermitsPerMinute { get; set; }
}
