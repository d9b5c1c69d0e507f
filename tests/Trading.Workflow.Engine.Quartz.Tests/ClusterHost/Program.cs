using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Trading.Workflow.Engine.Quartz;
using Trading.Workflow.Engine.Quartz.ClusterHost;

// One node of a Quartz cluster on PostgreSQL, firing engine timers through the production scheduling path
// (AddQuartzTimers, FireTimerJob) into a counting dispatcher.
//   dotnet Trading.Workflow.Engine.Quartz.ClusterHost.dll --pg <connection string> --node <id> [--work-ms 20] [--threads 10]
var options = ParseArgs(args);
var connectionString = options["pg"];
var node = options["node"];
var work = TimeSpan.FromMilliseconds(int.Parse(options.GetValueOrDefault("work-ms", "20"), System.Globalization.CultureInfo.InvariantCulture));
var threads = int.Parse(options.GetValueOrDefault("threads", "10"), System.Globalization.CultureInfo.InvariantCulture);

var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
builder.Services.AddWorkflowEngine();
builder.AddQuartzTimers(o => ClusterNode.Configure(o, connectionString, node, threads));
builder.Services.Configure<TaskReminderOptions>(o => o.Enabled = false);
builder.Services.RemoveAll<IWorkflowWorkDispatcher>();
builder.Services.AddSingleton<IWorkflowWorkDispatcher>(new CountingDispatcher(connectionString, node, work));

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
