using Microsoft.Extensions.Options;

namespace LeadML.Api.Hosting;

/// <summary>Checks the parts of <see cref="LeadMlOptions"/> that data annotations cannot: a key listed under two roles
/// (which one would it have?), origins a browser would never send, a negative rate limit. Each message names the
/// setting.</summary>
internal sealed class LeadMlOptionsValidation : IValidateOptions<LeadMlOptions>
{
    public ValidateOptionsResult Validate(string? name, LeadMlOptions options)
    {
        var failures = new List<string>();
        foreach (var same in options.Keys.All().GroupBy(k => k.Key, StringComparer.Ordinal).Where(g => g.Select(k => k.Role).Distinct().Count() > 1))
        {
            failures.Add($"{string.Join(" and ", same.Select(k => k.Setting))} hold the same key; a key has one role (give it the highest one it needs)");
        }
        for (var i = 0; i < options.Cors.Origins.Count; i++)
        {
            if (CrossOrigin.NotAnOrigin(options.Cors.Origins[i]) is { } why) failures.Add($"{LeadMlOptions.Section}:Cors:Origins:{i} {why}");
        }
        if (options.RateLimit.PermitsPerMinute < 0)
        {
            failures.Add($"{LeadMlOptions.Section}:RateLimit:PermitsPerMinute is {options.RateLimit.PermitsPerMinute}; use 1 or more, or 0 for no limit");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
