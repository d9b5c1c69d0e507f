using Trading.Workflow.Cli.Output;
using Trading.Workflow.Cli.Validation;
using Trading.Workflow.Engine.Export;
using Trading.Workflow.Engine.Model;
using Trading.Workflow.Engine.Parsing;

namespace Trading.Workflow.Cli.Export;

/// <summary>
/// <c>export IN.bpmn OUT.bpmn</c>: imports a file as the platform does (the engine's parser, ids generated for
/// elements that have none) and writes it as the platform's export does, then reads both files back and compares
/// what a round trip must keep (<see cref="BpmnPicture"/>: ids, kinds, names, references, diagram bounds and
/// waypoints, foreign extensions). One JSON line; exit 0 written and kept, 1 written but something was lost or
/// changed, 2 the input cannot be parsed or the output cannot be written.
/// </summary>
public static class ExportCommand
{
    public const int ExitWritten = 0;
    public const int ExitChanged = 1;
    public const int ExitUnusable = 2;

    /// <summary>At most this many differences are listed; <c>differenceCount</c> has them all.</summary>
    public const int MaxListedDifferences = 50;

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

        BpmnPicture before;
        BpmnPicture after;
        try
        {
            using (var stream = File.Create(output))
            {
                BpmnExporter.Export(definitions, stream);
            }

            // Both files read back the way the platform reads a file (its encoding, the parser's safety limits).
            before = BpmnPicture.Of(BpmnParser.LoadXml(BpmnParser.DecodeText(File.ReadAllBytes(input))));
            after = BpmnPicture.Of(BpmnParser.LoadXml(BpmnParser.DecodeText(File.ReadAllBytes(output))));
        }
        catch (Exception e) when (e is BpmnParseException or IOException or UnauthorizedAccessException)
        {
            WriteFailure(stdout, input, output, e);
            return ExitUnusable;
        }

        var differences = before.DifferencesTo(after);

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
            writer.WriteBoolean("kept", differences.Count == 0);
            writer.WriteStartObject("compared");
            writer.WriteNumber("elements", before.Elements.Count);
            writer.WriteNumber("shapesAndEdges", before.Diagram.Count);
            writer.WriteNumber("foreign", before.Foreign.Count);
            writer.WriteEndObject();
            writer.WriteNumber("differenceCount", differences.Count);
            writer.WriteStartArray("differences");
            foreach (var difference in differences.Take(MaxListedDifferences))
            {
                writer.WriteStringValue(difference);
            }

            writer.WriteEndArray();
        });
        return differences.Count == 0 ? ExitWritten : ExitChanged;
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
