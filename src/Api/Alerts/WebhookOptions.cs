using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace LeadML.Api.Alerts;

/// <summary>A webhook alerts are posted to (<c>LeadML:Webhooks:0:Url</c>, <c>LeadML:Webhooks:0:Secret</c>).</summary>
public sealed class WebhookOptions
{
    public const string Section = "LeadML:Webhooks";

    /// <summary>The receiver's URL: absolute, http or https.</summary>
    [Required(ErrorMessage = "is required: the receiver's absolute http or https URL")]
    [RegularExpression("(?i)^https?://.+", ErrorMessage = "is not an absolute http or https URL")]
    public string Url { get; set; } = "";

    /// <summary>The HMAC-SHA256 key of the <c>LeadML-Signature</c> header; required, so a receiver can always tell
    /// a real alert from a forged one.</summary>
    [Required(ErrorMessage = "is required: the key receivers check the LeadML-Signature header with")]
    public string Secret { get; set; } = "";

    /// <summary>Checks every configured webhook by its data annotations; a message names the setting, e.g.
    /// <c>LeadML:Webhooks:1:Url is not an absolute http or https URL</c>.</summary>
    internal sealed class Validation : IValidateOptions<List<WebhookOptions>>
    {
        public ValidateOptionsResult Validate(string? name, List<WebhookOptions> options)
        {
            var failures = new List<string>();
            for (var i = 0; i < options.Count; i++)
            {
                var results = new List<ValidationResult>();
                Validator.TryValidateObject(options[i], new ValidationContext(options[i]), results, validateAllProperties: true);
                failures.AddRange(results.SelectMany(r => r.MemberNames.Select(m => $"{Section}:{i}:{m} {r.ErrorMessage}")));
            }
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
