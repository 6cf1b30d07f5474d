using LeadML.Api.Alerts;
using LeadML.Api.Hosting;
using LeadML.Api.Leads;
using LeadML.Api.Monitoring;
using LeadML.Api.Outcomes;
using LeadML.Api.Promotion;
using LeadML.Api.Review;
using LeadML.Api.RuleSets;
using LeadML.Api.Scoring;
using LeadML.Api.Store;

// LeadML Api: hybrid lead scores (approved rule points + the model's calibrated probability) with explanations.
var builder = WebApplication.CreateBuilder(args);
builder.AddHosting(); // settings checked at start, limits, JSON, problem+json errors
builder.AddScoring(); // models from their bundles, swapped atomically on change; API keys
builder.AddRuleSets(); // rule-set versions in the store, or in memory without one
builder.AddLeadStore(); // SQLite, PostgreSQL or none; rescoring, alerts and promotion run only with a store
builder.AddRescoring();
builder.AddAlerts();
builder.AddPromotion();
builder.AddOperations(); // health, OpenAPI + Swagger UI

var app = builder.Build();
ApiMetrics.Track(app.Services.GetRequiredService<ModelRegistry>());
if (!app.Services.GetRequiredService<ApiKeys>().Enabled) Log.NoApiKeys(app.Logger);
app.UseHosting();

app.MapScoringApi();
app.MapDriftApi();
app.MapRuleSetsApi();
app.MapReviewApi();
app.MapLeadsApi();
app.MapAlertsApi();
app.MapConversionsApi();
app.MapOutcomesApi();
app.MapPromotionApi();
app.MapOperations();

app.Run();

/// <summary>The entry point, visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
