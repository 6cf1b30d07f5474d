var app = WebApplication.CreateBuilder(args).Build(); app.MapGet("/", () => "LeadML"); app.Run(); public partial class Program;
