using System.Xml.Linq;
using Microsoft.Extensions.Options;
using Trading.Workflow.Engine.Parsing;
using Trading.Workflow.Engine.Persistence.Versions;
using Trading.Workflow.Web.Forms;

namespace Trading.Workflow.Web.Workflow;

/// <summary>
/// Publishes the platform's procedures from the workflows folder (each <c>*.bpmn</c> with its forms in
/// <c>&lt;name&gt;.forms/&lt;formKey&gt;.json</c>) when their process has no version yet. After that the database
/// is the truth: administrators revise the procedures in the designer. A release that changes a shipped file
/// reaches the database as a pending update an administrator reviews (<see cref="ShippedProcedureUpdates"/>), never
/// as a version by itself.
/// </summary>
public sealed partial class ProcedureDeployer(
    ProcessVersionService versions,
    ShippedProcedureUpdates shipped,
    IOptions<PlatformWorkflowOptions> options,
    IHostEnvironment environment,
    ILogger<ProcedureDeployer> logger)
{
    public const string SystemUser = "system";
    public const string ChangeNote = "平台默认流程（首次启动时发布，流程管理员可在设计器中修订） / Platform default procedure (published at first start; administrators revise it in the designer)";

    /// <summary>
    /// Publishes each shipped process that has no version yet, and takes a shipped file that changed since it was
    /// last taken in as a pending update (saved as the process's draft unless an administrator's draft is there);
    /// returns the process ids published now.
    /// </summary>
    public async Task<IReadOnlyList<string>> DeployAsync(CancellationToken cancellationToken = default)
    {
        var folder = options.Value.ResolveProceduresFolder(environment.ContentRootPath);
        if (!Directory.Exists(folder))
        {
            LogNoFolder(folder);
            return [];
        }

        var published = new List<string>();
        foreach (var file in Directory.EnumerateFiles(folder, "*.bpmn", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var xml = await File.ReadAllTextAsync(file, cancellationToken);
            var definitions = BpmnParser.Parse(xml);
            var source = Path.GetRelativePath(folder, file).Replace('\\', '/');
            foreach (var process in definitions.Processes.Where(p => p.IsExecutable))
            {
                var withForms = BpmnForms.Write(xml, process.Id, ReadForms(file));
                var existing = await versions.GetVersionsAsync(process.Id, cancellationToken);
                if (existing.Any(v => v.Version is not null))
                {
                    await shipped.TakeAsync(process.Id, source, withForms, existing, cancellationToken);
                    continue;
                }

                var drafts = await versions.SaveDraftAsync(withForms, SystemUser, cancellationToken);
                var draft = drafts.First(d => d.ProcessId == process.Id);
                if (draft.HasErrors)
                {
                    throw new InvalidOperationException(
                        $"The platform procedure {file} does not validate: {string.Join("; ", draft.Problems.Where(p => p.Severity == Engine.Validation.ValidationSeverity.Error).Select(p => $"{p.ElementId} {p.Code} {p.MessageEn}"))}");
                }

                var version = await versions.PublishAsync(process.Id, SystemUser, ChangeNote, cancellationToken);
                await shipped.RecordTakenAsync(process.Id, source, withForms, cancellationToken);
                LogPublished(process.Id, version.Version!.Value, BpmnForms.Read(withForms, process.Id).Count, file);
                published.Add(process.Id);
            }
        }

        return published;
    }

    /// <summary>The forms beside the file (checked), to be written into the procedure as tw:form elements.</summary>
    private static List<(string Key, string Name, string Json)> ReadForms(string bpmnFile)
    {
        var formsFolder = Path.Combine(Path.GetDirectoryName(bpmnFile)!, Path.GetFileNameWithoutExtension(bpmnFile) + ".forms");
        var forms = new List<(string, string, string)>();
        if (!Directory.Exists(formsFolder))
        {
            return forms;
        }

        foreach (var formFile in Directory.EnumerateFiles(formsFolder, "*.json").Order(StringComparer.Ordinal))
        {
            var json = File.ReadAllText(formFile);
            FormSchema schema;
            try
            {
                schema = FormSchemaReader.Parse(json);
            }
            catch (FormSchemaException ex)
            {
                throw new InvalidOperationException($"The form {formFile} has problems: {ex.Message}", ex);
            }

            var key = Path.GetFileNameWithoutExtension(formFile);
            forms.Add((key, schema.Title ?? key, json));
        }

        return forms;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No procedures folder at {Folder}; nothing deployed")]
    private partial void LogNoFolder(string folder);

    [LoggerMessage(Level = LogLevel.Information, Message = "Published platform procedure {ProcessId} version {Version} with {FormCount} forms from {File}")]
    private partial void LogPublished(string processId, int version, int formCount, string file);
}
