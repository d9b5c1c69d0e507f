using System.Text.Json;
using Trading.Workflow.Cli.Output;
using Trading.Workflow.Engine.Model;
using Trading.Workflow.Engine.Parsing;
using Trading.Workflow.Engine.Validation;

namespace Trading.Workflow.Cli.Validation;

/// <summary>
/// <c>validate FILE...</c>: parses every file, validates it, prints one JSON line per file. Exit code 0 when every
/// file parsed and has no error, 1 when a file parsed with errors, 2 when a file could not be parsed (or read).
/// </summary>
public static class ValidateCommand
{
    public const int ExitValid = 0;
    public const int ExitProblems = 1;
    public const int ExitUnparsable = 2;

    public static int Run(IReadOnlyList<string> files, IReadOnlySet<string>? knownHandlers, TextWriter stdout)
    {
        var parsed = new List<(string File, BpmnDefinitions? Definitions, Exception? Error)>();
        foreach (var file in files)
        {
            try
            {
                parsed.Add((file, BpmnParser.ParseFile(file), null));
            }
            catch (Exception e) when (e is BpmnParseException or IOException or UnauthorizedAccessException)
            {
                parsed.Add((file, null, e));
            }
        }

        // The files given together are one set: a call activity may call a process of any of them, in any order.
        var readable = parsed.Where(p => p.Definitions is not null).Select(p => p.Definitions!).ToList();
        var setProblems = BpmnValidator.ValidateSet(readable, EngineValidation.CreateContext(knownHandlers, new HashSet<string>(StringComparer.Ordinal)));
        var problemsOf = new Dictionary<BpmnDefinitions, IReadOnlyList<ValidationProblem>>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < readable.Count; i++)
        {
            problemsOf[readable[i]] = setProblems[i];
        }

        var exit = ExitValid;
        foreach (var (file, definitions, error) in parsed)
        {
            var problems = definitions is null ? [] : problemsOf[definitions];
            var code = definitions is null ? ExitUnparsable : problems.HasErrors() ? ExitProblems : ExitValid;
            exit = Math.Max(exit, code);
            JsonLines.Write(stdout, writer =>
            {
                writer.WriteString("file", file);
                writer.WriteBoolean("parsed", definitions is not null);
                writer.WritePropertyName("error");
                WriteError(writer, error);
                writer.WriteBoolean("valid", code == ExitValid);
                writer.WriteStartArray("problems");
                foreach (var problem in problems)
                {
                    WriteProblem(writer, problem);
                }

                writer.WriteEndArray();
            });
        }

        return exit;
    }

    public static void WriteProblem(Utf8JsonWriter writer, ValidationProblem problem)
    {
        writer.WriteStartObject();
        writer.WriteString("severity", problem.Severity == ValidationSeverity.Error ? "error" : "warning");
        writer.WriteString("code", problem.Code);
        writer.WriteString("processId", problem.ProcessId);
        writer.WriteString("elementId", problem.ElementId);
        if (problem.LineNumber is { } line)
        {
            writer.WriteNumber("line", line);
        }

        writer.WriteString("message", problem.MessageEn);
        writer.WriteString("messageZh", problem.MessageZh);
        writer.WriteEndObject();
    }

    public static void WriteError(Utf8JsonWriter writer, Exception? error)
    {
        switch (error)
        {
            case null:
                writer.WriteNullValue();
                break;
            case BpmnParseException parse:
                writer.WriteStartObject();
                writer.WriteString("code", parse.Code);
                writer.WriteString("message", parse.MessageEn);
                writer.WriteString("messageZh", parse.MessageZh);
                if (parse.LineNumber is { } line)
                {
                    writer.WriteNumber("line", line);
                }

                if (parse.LinePosition is { } column)
                {
                    writer.WriteNumber("column", column);
                }

                writer.WriteEndObject();
                break;
            default:
                writer.WriteStartObject();
                writer.WriteString("code", error is FileNotFoundException or DirectoryNotFoundException ? "FILE_NOT_FOUND" : "FILE_UNREADABLE");
                writer.WriteString("message", error.Message);
                writer.WriteString("messageZh", error is FileNotFoundException or DirectoryNotFoundException ? "文件不存在" : "无法读取文件");
                writer.WriteEndObject();
                break;
        }
    }
}
