using System.ComponentModel.DataAnnotations;

namespace LeadML.Api.Hosting;

/// <summary>The Api's settings (section <c>LeadML</c> of appsettings.json or environment variables such as
/// <c>LeadML__Models__sample__Bundle</c>).</summary>
public sealed class LeadMlOptions
{
    public const string Section = "LeadML";

    /// <summary>Scoring models by name, each with its own bundle (and rule sets).</summary>
    public Dictionary<string, ModelOptions> Models { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The model used when a request names none. Defaults to the only or first configured model.</summary>
    public string? DefaultModel { get; set; }

    /// <summary>Weight of the model in the hybrid score: <c>score = (1 − w) × rule points + w × model points</c>.</summary>
    [Range(0.0, 1.0, ErrorMessage = "LeadML:BlendWeight must be between {1} and {2}")]
    public double BlendWeight { get; set; } = 0.5;

    /// <summary>Most leads in one <c>POST /score/batch</c>.</summary>
    [Range(1, int.MaxValue, ErrorMessage = "LeadML:BatchLimit must be at least {1}")]
    public int BatchLimit { get; set; } = 10_000;

    /// <summary>Most leads in one <c>POST /leads/bulk</c>.</summary>
    [Range(1, int.MaxValue, ErrorMessage = "LeadML:BulkLeadLimit must be at least {1}")]
    public int BulkLeadLimit { get; set; } = 1_000;

    /// <summary>Model contributions listed in an explanation: this many positive and this many negative.</summary>
    [Range(0, int.MaxValue, ErrorMessage = "LeadML:TopContributions must be {1} or more")]
    public int TopContributions { get; set; } = 5;

    /// <summary>Largest request body in bytes.</summary>
    [Range(typeof(long), "1", "9223372036854775807", ErrorMessage = "LeadML:MaxRequestBytes must be at least {1}")]
    public long MaxRequestBytes { get; set; } = 32 * 1024 * 1024;

    /// <summary>Longest URL (path and query, as sent) in bytes; a longer one is answered 414. The server's own limit of the
    /// request line is set <see cref="UrlHeadroomBytes"/> above it, so that the Api, not the server, answers.</summary>
    [Range(256, 1024 * 1024, ErrorMessage = "LeadML:MaxUrlBytes must be between {1} and {2}")]
    public int MaxUrlBytes { get; set; } = 8 * 1024;

    /// <summary>How far above <see cref="MaxUrlBytes"/> the server's request-line limit is: a URL longer than both is
    /// refused by the server itself, with an empty 414.</summary>
    public const int UrlHeadroomBytes = 64 * 1024;

    /// <summary>Keys sent in <c>X-Api-Key</c>. No keys configured means no check (development only).</summary>
    public KeyOptions Keys { get; set; } = new();

    /// <summary>Origins browsers may call the Api from (CORS); none by default.</summary>
    public CrossOriginOptions Cors { get; set; } = new();

    /// <summary>Requests per key per minute; no limit by default.</summary>
    public RateLimitOptions RateLimit { get; set; } = new();

    /// <summary>Watch bundle folders and pick up a new bundle without restart.</summary>
    public bool WatchBundles { get; set; } = true;
}
