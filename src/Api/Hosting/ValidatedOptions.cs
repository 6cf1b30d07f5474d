using Microsoft.Extensions.Options;

namespace LeadML.Api.Hosting;

/// <summary>How every options class is registered: bound from its section and checked by its data annotations when the
/// app starts, so a bad setting stops the start with a message naming it instead of failing requests later.</summary>
public static class ValidatedOptions
{
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions>(this IHostApplicationBuilder builder, string section) where TOptions : class =>
        builder.Services.AddOptions<TOptions>().Bind(builder.Configuration.GetSection(section)).ValidateDataAnnotations().ValidateOnStart();
}
