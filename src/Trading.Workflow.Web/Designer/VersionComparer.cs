using System.Xml.Linq;
using Trading.Workflow.Engine.Model;
using Trading.Workflow.Engine.Parsing;

namespace Trading.Workflow.Web.Designer;

public enum ElementChangeKind
{
    Added,
    Removed,
    Changed,
}

/// <summary>One element that differs between two versions: its id, BPMN type and name (from the newer side when it exists).</summary>
public sealed record ElementChange(string ElementId, string ElementType, string? Name, ElementChangeKind Kind);

/// <summary>
/// Which flow elements of a process were added, removed or changed between two versions. Layout (BPMNDI) is not a
/// change; an element's own attributes, texts (conditions, timers, documentation) and extensions are. Child elements
/// with their own id (the contents of a sub-process) are compared on their own, and incoming/outgoing references
/// are left to the sequence flows, which appear as added or removed themselves.
/// </summary>
public static class VersionComparer
{
    private static readonly XNamespace Bpmn = BpmnNamespaces.Model;

    public static IReadOnlyList<ElementChange> Compare(string olderXml, string newerXml, string processId)
    {
        var older = Elements(BpmnParser.Parse(olderXml), processId);
        var newer = Elements(BpmnParser.Parse(newerXml), processId);
        var changes = new List<ElementChange>();
        foreach (var (id, element) in newer)
        {
            if (!older.TryGetValue(id, out var before))
            {
                changes.Add(Describe(id, element, ElementChangeKind.Added));
            }
            else if (!XNode.DeepEquals(Normalize(before), Normalize(element)))
            {
                changes.Add(Describe(id, element, ElementChangeKind.Changed));
            }
        }

        foreach (var (id, element) in older)
        {
            if (!newer.ContainsKey(id))
            {
                changes.Add(Describe(id, element, ElementChangeKind.Removed));
            }
        }

        return changes.OrderBy(c => c.Kind).ThenBy(c => c.ElementId, StringComparer.Ordinal).ToList();
    }

    private static Dictionary<string, XElement> Elements(BpmnDefinitions definitions, string processId)
    {
        var result = new Dictionary<string, XElement>(StringComparer.Ordinal);
        var process = definitions.Source.Root?.Elements(Bpmn + "process").FirstOrDefault(p => (string?)p.Attribute("id") == processId);
        if (process is null)
        {
            return result;
        }

        foreach (var element in process.Descendants())
        {
            if (element.Attribute("id")?.Value is { Length: > 0 } id && IsFlowElement(element))
            {
                result.TryAdd(id, element);
            }
        }

        return result;
    }

    /// <summary>Flow nodes and sequence flows: direct children of a process or sub-process, with an id.</summary>
    private static bool IsFlowElement(XElement element) =>
        element.Name.Namespace == Bpmn
        && element.Parent is { } parent
        && parent.Name.Namespace == Bpmn
        && (parent.Name.LocalName is "process" or "subProcess" or "transaction" or "adHocSubProcess")
        && element.Name.LocalName is not ("laneSet" or "extensionElements" or "documentation" or "ioSpecification" or "property"
            or "dataObject" or "multiInstanceLoopCharacteristics" or "standardLoopCharacteristics");

    private static XElement Normalize(XElement element)
    {
        var copy = new XElement(element.Name);
        foreach (var attribute in element.Attributes().Where(a => !a.IsNamespaceDeclaration).OrderBy(a => a.Name.ToString(), StringComparer.Ordinal))
        {
            copy.Add(new XAttribute(attribute.Name, attribute.Value));
        }

        foreach (var node in element.Nodes())
        {
            switch (node)
            {
                case XElement child when child.Name == Bpmn + "incoming" || child.Name == Bpmn + "outgoing":
                case XElement nested when nested.Attribute("id") is not null && IsFlowElement(nested):
                    break;
                case XElement child:
                    copy.Add(Normalize(child));
                    break;
                case XText text when !string.IsNullOrWhiteSpace(text.Value):
                    copy.Add(new XText(text.Value.Trim()));
                    break;
            }
        }

        return copy;
    }

    private static ElementChange Describe(string id, XElement element, ElementChangeKind kind) =>
        new(id, element.Name.LocalName, element.Attribute("name")?.Value, kind);
}
