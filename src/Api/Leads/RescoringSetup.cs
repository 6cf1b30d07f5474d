using LeadML.Api.Hosting;
using LeadML.Api.Store;

namespace LeadML.Api.Leads;

/// <summary>Registers rescoring (section <c>LeadML:Rescoring</c>): the rescorer the lead endpoints write through and
/// the scheduled rounds, both only with a lead store.</summary>
public static class RescoringSetup
{
    public static IHostApplicationBuilder AddRescoring(this IHostApplicationBuilder builder)
    {
        builder.AddValidatedOptions<RescoringOptions>(RescoringOptions.Section);
        if (!builder.HasLeadStore()) return builder;
        builder.Services.AddSingleton<LeadRescorer>();
        builder.Services.AddHostedService<RescoringService>();
        return builder;
    }
}
