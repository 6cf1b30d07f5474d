namespace LeadML.Api.Hosting;

/// <summary>Browsers on other origins (section <c>LeadML:Cors</c>). Off by default: without origins no CORS header is
/// ever sent, so a browser page elsewhere cannot read an answer.</summary>
public sealed class CrossOriginOptions
{
    /// <summary>Origins allowed to call the Api from a browser, each <c>scheme://host[:port]</c> without a path, e.g.
    /// <c>https://crm.example.com</c>. Any method and request header; answers expose <c>ETag</c>, <c>Location</c> and
    /// <c>Retry-After</c>. No credentials (keys travel in <c>X-Api-Key</c>, not cookies).</summary>
    public List<string> Origins { get; set; } = [];
}
