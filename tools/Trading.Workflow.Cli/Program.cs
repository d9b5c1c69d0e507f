using System.Text;
using Trading.Workflow.Cli;

Console.OutputEncoding = Encoding.UTF8;
return await CliApp.RunAsync(args, Console.Out, Console.Error);
