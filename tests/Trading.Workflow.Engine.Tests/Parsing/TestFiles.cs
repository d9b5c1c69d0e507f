using Trading.Workflow.Engine.Model;
using Trading.Workflow.Engine.Parsing;

namespace Trading.Workflow.Engine.Tests.Parsing;

/// <summary>BPMN files copied beside the test assembly, in the folders of the tests that use them.</summary>
internal static class TestFiles
{
    public static string PathOf(string folder, string fileName) =>
        Path.Combine(AppContext.BaseDirectory, folder, "Files", fileName);

    public static string Parsing(string fileName) => PathOf("Parsing", fileName);

    public static string Validation(string fileName) => PathOf("Validation", fileName);

    public static BpmnDefinitions ParseParsingFile(string fileName) => BpmnParser.ParseFile(Parsing(fileName));

    public static BpmnDefinitions ParseValidationFile(string fileName) => BpmnParser.ParseFile(Validation(fileName));
}
