using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Quartz;
using Trading.Workflow.Engine.Quartz.ClusterHost;

// One application node of a Quartz cluster on PostgreSQL.
//   --mode engine (default): the real engine on the durable EF store; timers fire through FireTimerJob into the
//                            engine, and the step after each timer records the firing (RecordFiringHandler).
//   --mode count:            the same Quartz scheduling path into a counting dispatcher instead of the engine.
//   dotnet Trading.Workflow.Engine.Quartz.ClusterHost.dll --pg <connection string> --node <id> [--mode engine|count] [--work-ms 20] [--threads 10]
var options = ParseArgs(args);
var connectionString = options["pg"];
var node = options["node"];
var mode = options.GetValueOrDefault("mode", "engine");
var work = TimeSpan.FromMilliseconds(int.Parse(options.GetValueOrDefault("work-ms", "20"), System.Globalization.CultureInfo.InvariantCulture));
var threads = int.Parse(options.GetValueOrDefault("threads", "10"), System.Globalization.CultureInfo.InvariantCulture);

var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
var engine = builder.Services.AddWorkflowEngine();
if (mode == "engine")
{
    engine.AddHandler(new RecordFiringHandler(node, work));
    builder.Services.AddWorkflowPersistence(o =>
    {
        o.Provider = DatabaseProvider.PostgreSql;
        o.ConnectionString = connectionString;
    });
}

builder.AddQuartzTimers(o => ClusterNode.Configure(o, connectionString, node, threads, engineBacked: mode == "engine"));
builder.Services.Configure<TaskReminderOptions>(o => o.Enabled = false);
if (mode == "count")
{
    builder.Services.RemoveAll<IWorkflowWorkDispatcher>();
    builder.Services.AddSingleton<IWorkflowWorkDispatcher>(new CountingDispatcher(connectionString, node, work));
}

using var host = builder.Build();
await host.StartAsync();
Console.WriteLine("READY " + node);
await host.WaitForShutdownAsync();

static Dictionary<string, string> ParseArgs(string[] args)
{
    var result = new Dictionary<string, string>(StringComparer.Ordinal);
    for (var i = 0; i + 1 < args.Length; i += 2)
    {
        result[args[i].TrimStart('-')] = args[i + 1];
    }

    return result;
}
