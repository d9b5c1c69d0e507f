using Trading.Workflow.Web;
using Trading.Workflow.Web.Accounts;
using Trading.Workflow.Web.Data;
using Trading.Workflow.Web.Designer;
using Trading.Workflow.Web.Errors;
using Trading.Workflow.Web.Health;
using Trading.Workflow.Web.Localization;
using Trading.Workflow.Web.Logging;
using Trading.Workflow.Web.Workflow;

var builder = WebApplication.CreateBuilder(args);

builder.AddPlatformConfiguration();
builder.AddPlatformLogging();
builder.Services.AddPlatformDatabase();
builder.Services.AddPlatformIdentity();
builder.Services.AddPlatformLocalization();
builder.Services.AddPlatformErrorHandling();
builder.Services.AddPlatformHealthChecks();
builder.Services.AddPlatformUi();
// The designer registers the engine with TryAdd; the platform workflow then wraps the store (task notifications).
builder.Services.AddProcedureDesigner();
builder.AddPlatformWorkflow();

var app = builder.Build();

app.UsePlatformPipeline();
app.MapPlatformEndpoints();
app.MapPlatformWorkflow();

app.Run();

/// <summary>Entry point, public so WebApplicationFactory&lt;Program&gt; can host the app in tests.</summary>
public partial class Program;
