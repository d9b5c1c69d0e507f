using System.Xml.Linq;
using Trading.Workflow.Engine.Model;

namespace Trading.Workflow.Web.Designer;

/// <summary>
/// Reads the forms kept with a procedure. The designer writes each form as a <c>tw:form</c> element in the process's
/// <c>extensionElements</c> (<c>&lt;tw:form key="apply" name="申请表"&gt;{form-js JSON}&lt;/tw:form&gt;</c>), so a form
/// is versioned with the procedure and a task's <c>tw:formKey</c> names one of them.
/// </summary>
public static class ProcedureForms
{
    private static readonly XNamespace Tw = BpmnNamespaces.TradingWorkflow;
    private static readonly XNamespace Bpmn = BpmnNamespaces.Model;

    public static IReadOnlyList<DesignerForm> Read(BpmnDefinitions definitions, string processId)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        var process = definitions.Source.Root?.Elements(Bpmn + "process").FirstOrDefault(p => (string?)p.Attribute("id") == processId);
        return process?.Elements(Bpmn + "extensionElements").Elements(Tw + "form")
            .Where(f => !string.IsNullOrWhiteSpace((string?)f.Attribute("key")))
            .Select(f => new DesignerForm((string)f.Attribute("key")!, (string?)f.Attribute("name") ?? string.Empty, f.Value))
            .ToList() ?? [];
    }

    /// <summary>The form a task names with its form key, or null.</summary>
    public static DesignerForm? Find(BpmnDefinitions definitions, string processId, string formKey) =>
        Read(definitions, processId).FirstOrDefault(f => string.Equals(f.Key, formKey, StringComparison.Ordinal));
}
