using Trading.Workflow.Cli.Output;
using Trading.Workflow.Cli.Validation;
using Trading.Workflow.Engine.Export;
using Trading.Workflow.Engine.Model;
using Trading.Workflow.Engine.Parsing;

namespace Trading.Workflow.Cli.Export;

/// <summary>
/// <c>export IN.bpmn OUT.bpmn</c>: imports a file as the platform does (the engine's parser, ids generated for
/// elements that have none) and writes it as the platform's export does, so anyone can check a round trip.
/// One JSON line; exit 0 written, 2 the input cannot be parsed or the output cannot be written.
/// </summary>
public static class ExportCommand
{
    public const int ExitWritten = 0;
    public const int ExitUnusable = 2;

    public static int Run(string input, string output, TextWriter stdout)
    {
        BpmnDefinitions definitions;
        try
        {
            definitions = BpmnParser.ParseFile(input);
        }
        catch (Exception e) when (e is BpmnParseException or IOException or UnauthorizedAccessException)
        {
            WriteFailure(stdout, input, output, e);
            return ExitUnusable;
        }

        try
        {
            using var stream = File.Create(output);
            BpmnExporter.Export(definitions, stream);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            WriteFailure(stdout, input, output, e);
            return ExitUnusable;
        }

        JsonLines.Write(stdout, writer =>
        {
            writer.WriteString("file", input);
            writer.WriteString("out", output);
            writer.WriteBoolean("written", true);
            writer.WriteStartArray("processes");
            foreach (var process in definitions.Processes)
            {
                writer.WriteStringValue(process.Id);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("problems");
            foreach (var problem in definitions.ParseProblems)
            {
                ValidateCommand.WriteProblem(writer, problem);
            }

            writer.WriteEndArray();
        });
        return ExitWritten;
    }

    private static void WriteFailure(TextWriter stdout, string input, string output, Exception error) =>
        JsonLines.Write(stdout, writer =>
        {
            writer.WriteString("file", input);
            writer.WriteString("out", output);
            writer.WriteBoolean("written", false);
            writer.WritePropertyName("error");
            ValidateCommand.WriteError(writer, error);
        });
}
