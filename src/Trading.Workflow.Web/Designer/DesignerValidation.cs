using Trading.Workflow.Engine.Model;
using Trading.Workflow.Engine.Parsing;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Validation;

namespace Trading.Workflow.Web.Designer;

/// <summary>
/// One problem of a diagram as the designer shows it: on its element and in the list. <see cref="File"/> names the
/// imported file it was found in when several were imported together.
/// </summary>
public sealed record DesignerProblem(string? ElementId, string? ProcessId, string Code, ValidationSeverity Severity, string MessageZh, string MessageEn, int? Line, string? File = null)
{
    public string Message(bool chinese) => chinese ? MessageZh : MessageEn;
}

/// <summary>The result of checking a diagram: the processes it defines and every problem, or why it could not be read.</summary>
public sealed record DesignerCheck(IReadOnlyList<string> ProcessIds, IReadOnlyList<DesignerProblem> Problems, bool Readable)
{
    public bool HasErrors => !Readable || Problems.Any(p => p.Severity == ValidationSeverity.Error);
}

/// <summary>
/// Parses and validates BPMN XML the way the engine will use it: the registered handlers, the real expression
/// language and timer syntax (working days included).
/// </summary>
public sealed class DesignerValidation(IServiceTaskHandlerCatalog? handlers = null)
{
    public DesignerCheck Check(string xml)
    {
        BpmnDefinitions definitions;
        try
        {
            definitions = BpmnParser.Parse(xml);
        }
        catch (BpmnParseException e)
        {
            return new DesignerCheck([], [new DesignerProblem(null, null, e.Code, ValidationSeverity.Error, e.MessageZh, e.MessageEn, e.LineNumber)], Readable: false);
        }

        return Check(definitions);
    }

    public DesignerCheck Check(BpmnDefinitions definitions)
    {
        var processIds = definitions.Processes.Select(p => p.Id).ToList();
        var problems = BpmnValidator.Validate(definitions, CreateContext())
            .Select(p => new DesignerProblem(p.ElementId, p.ProcessId, p.Code, p.Severity, p.MessageZh, p.MessageEn, p.LineNumber))
            .ToList();
        return new DesignerCheck(processIds, problems, Readable: true);
    }

    /// <summary>
    /// Validates files imported together as one set (<see cref="BpmnValidator.ValidateSet"/>): a call activity may call
    /// a process of any of them, or one of <paramref name="deployedProcessIds"/> (the procedures already in the
    /// catalog; null skips the check of called processes). Returns each file's problems in the order given.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<DesignerProblem>> CheckSet(IReadOnlyList<BpmnDefinitions> files, IReadOnlySet<string>? deployedProcessIds = null)
    {
        ArgumentNullException.ThrowIfNull(files);
        return BpmnValidator.ValidateSet(files, CreateContext(deployedProcessIds))
            .Select(problems => (IReadOnlyList<DesignerProblem>)problems
                .Select(p => new DesignerProblem(p.ElementId, p.ProcessId, p.Code, p.Severity, p.MessageZh, p.MessageEn, p.LineNumber))
                .ToList())
            .ToList();
    }

    private ValidationContext CreateContext(IReadOnlySet<string>? knownProcessIds = null) =>
        EngineValidation.CreateContext(handlers is null ? null : new HashSet<string>(handlers.Handlers.Keys, StringComparer.Ordinal), knownProcessIds);
}
