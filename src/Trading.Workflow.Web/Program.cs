using Trading.Workflow.Web;
using Trading.Workflow.Web.Accounts;
using Trading.Workflow.Web.Api;
using Trading.Workflow.Web.Bidding;
using Trading.Workflow.Web.Credit;
using Trading.Workflow.Web.Data;
using Trading.Workflow.Web.Deposits;
using Trading.Workflow.Web.Designer;
using Trading.Workflow.Web.Documents;
using Trading.Workflow.Web.Errors;
using Trading.Workflow.Web.Evaluation;
using Trading.Workflow.Web.Experts;
using Trading.Workflow.Web.Health;
using Trading.Workflow.Web.Localization;
using Trading.Workflow.Web.Logging;
using Trading.Workflow.Web.Notices;
using Trading.Workflow.Web.Trail;
using Trading.Workflow.Web.Warnings;
using Trading.Workflow.Web.Notifications;
using Trading.Workflow.Web.Security;
using Trading.Workflow.Web.Kernel;
using Trading.Workflow.Web.Workflow;

// Two stages: this console logger reports what fails before the host's own logger (from configuration) exists.
await using var bootstrapLogger = LoggingExtensions.CreateBootstrapLogger();
try
{
    var builder = WebApplication.CreateBuilder(args);

    builder.AddPlatformConfiguration();
    builder.AddPlatformLogging();
    builder.Services.AddPlatformDatabase();
    builder.Services.AddPlatformIdentity();
    builder.Services.AddCentreClaim();
    builder.Services.AddPlatformLocalization();
    builder.Services.AddPlatformErrorHandling();
    builder.Services.AddPlatformWebSecurity();
    builder.Services.AddPlatformApi();
    builder.Services.AddPlatformHealthChecks();
    builder.Services.AddPlatformUi();
    // The designer registers the engine with TryAdd; the platform workflow then wraps the store (task notifications).
    builder.Services.AddProcedureDesigner();
    builder.AddPlatformWorkflow();
    builder.Services.AddPlatformTrading();
    builder.Services.AddPlatformNotifications();

    var app = builder.Build();

    app.UsePlatformPipeline();
    // Every endpoint on this group gets the platform's input checks (lengths, required fields, dates).
    var endpoints = app.MapPlatformEndpoints();
    endpoints.MapPlatformWorkflow();
    endpoints.MapNotices();
    endpoints.MapCredit();
    endpoints.MapDeposits();
    endpoints.MapDepositLedgerExport();
    endpoints.MapTrailExport();
    endpoints.MapWarningExport();
    endpoints.MapCreditExport();
    endpoints.MapExpertPoolExport();
    endpoints.MapDocuments();
    endpoints.MapEvaluation();
    endpoints.MapBidding();

    await app.RunPlatformAsync();
    return 0;
}
catch (Exception ex) when (ex is not HostAbortedException)
{
    // HostAbortedException is WebApplicationFactory stopping this method once it has the built host.
    if (!ex.Data.Contains(HostingExtensions.StartupFailureLogged))
    {
        bootstrapLogger.Fatal(ex, "Start-up stopped before the platform's logging was configured: {Reason}", ex.Message);
    }

    // Run by another program (WebApplicationFactory in tests), Main hands it the exception; as the process, exit code 1.
    if (System.Reflection.Assembly.GetEntryAssembly() != typeof(Program).Assembly)
    {
        throw;
    }

    return 1;
}

/// <summary>Entry point, public so WebApplicationFactory&lt;Program&gt; can host the app in tests.</summary>
public partial class Program;
