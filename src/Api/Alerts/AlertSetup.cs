using LeadML.Api.Hosting;
using LeadML.Api.Store;
using Microsoft.Extensions.Options;

namespace LeadML.Api.Alerts;

/// <summary>Registers alerts (sections <c>LeadML:Alerts</c> and <c>LeadML:Webhooks</c>): the outbox's wake-up and its
/// delivery to the webhooks, both only with a lead store.</summary>
public static class AlertSetup
{
    public static IHostApplicationBuilder AddAlerts(this IHostApplicationBuilder builder)
    {
        builder.AddValidatedOptions<AlertOptions>(AlertOptions.Section);
        builder.AddValidatedOptions<List<WebhookOptions>>(WebhookOptions.Section);
        builder.Services.AddSingleton<IValidateOptions<List<WebhookOptions>>, WebhookOptions.Validation>();
        if (!builder.HasLeadStore()) return builder;
        builder.Services.AddSingleton<AlertSignal>();
        builder.Services.AddHostedService<AlertDelivery>();
        return builder;
    }
}
