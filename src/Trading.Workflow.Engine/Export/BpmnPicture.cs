using System.Xml.Linq;
using Trading.Workflow.Engine.Model;

namespace Trading.Workflow.Engine.Export;

/// <summary>
/// What an import → export round trip must keep of a BPMN document (issue 15, point 1), as sorted lines that compare
/// with one equality each: <see cref="Elements"/> (every BPMN element with an id: its kind, its unqualified attributes
/// such as name and the flow references, and the references it makes by child element), <see cref="Diagram"/> (every
/// shape and edge of every diagram with its plane, bounds, label bounds and waypoints) and <see cref="Foreign"/>
/// (every element and attribute of another namespace, vendor extensions included).
/// </summary>
public sealed record BpmnPicture(IReadOnlyList<string> Elements, IReadOnlyList<string> Diagram, IReadOnlyList<string> Foreign, IReadOnlySet<string> Ids)
{
    public static readonly XNamespace Model = BpmnNamespaces.Model;
    public static readonly XNamespace Di = "http://www.omg.org/spec/BPMN/20100524/DI";
    public static readonly XNamespace Dc = "http://www.omg.org/spec/DD/20100524/DC";
    public static readonly XNamespace DiElement = "http://www.omg.org/spec/DD/20100524/DI";

    private static readonly HashSet<XNamespace> Standard = [Model, Di, Dc, DiElement, XNamespace.Xmlns, XNamespace.None, "http://www.w3.org/2001/XMLSchema-instance"];

    public static BpmnPicture Of(XDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var elements = new List<string>();
        var diagram = new List<string>();
        var foreign = new List<string>();
        foreach (var e in document.Descendants())
        {
            if (e.Name.Namespace == Model && e.Attribute("id") is { } id)
            {
                // Kind, name and every reference the element makes, by attribute or by child element.
                var attributes = e.Attributes()
                    .Where(a => a.Name.Namespace == XNamespace.None && a.Name.LocalName != "id")
                    .Select(a => $"{a.Name.LocalName}={a.Value}")
                    .Order(StringComparer.Ordinal);
                var references = e.Elements()
                    .Where(c => c.Name.Namespace == Model && c.Name.LocalName is "incoming" or "outgoing" or "flowNodeRef" or "sourceRef" or "targetRef" or "dataInputRefs" or "text")
                    .Select(c => $"{c.Name.LocalName}:{c.Value.Trim()}");
                elements.Add($"{id.Value} {e.Name.LocalName} [{string.Join(' ', attributes)}] [{string.Join(' ', references)}]");
            }
            else if (e.Name.Namespace == Model && e.Name.LocalName is "dataOutputAssociation" or "dataInputAssociation")
            {
                elements.Add($"(no id) {e.Name.LocalName} in {e.Parent?.Attribute("id")?.Value}");
            }

            if (e.Name == Di + "BPMNShape" || e.Name == Di + "BPMNEdge")
            {
                var plane = e.Ancestors(Di + "BPMNPlane").FirstOrDefault()?.Attribute("bpmnElement")?.Value;
                var geometry = e.Descendants()
                    .Where(g => g.Name == Dc + "Bounds" || g.Name == DiElement + "waypoint")
                    .Select(g => $"{g.Parent!.Name.LocalName}/{g.Name.LocalName}({string.Join(',', g.Attributes().OrderBy(a => a.Name.LocalName, StringComparer.Ordinal).Select(a => $"{a.Name.LocalName}={a.Value}"))})");
                diagram.Add($"{plane} {e.Name.LocalName} {e.Attribute("id")?.Value} -> {e.Attribute("bpmnElement")?.Value}: {string.Join(' ', geometry)}");
            }

            if (!Standard.Contains(e.Name.Namespace))
            {
                foreign.Add($"element {e.Name} in {e.Parent?.Attribute("id")?.Value ?? e.Parent?.Name.LocalName}: {(e.HasElements ? "" : e.Value)}");
            }

            foreach (var a in e.Attributes().Where(a => !Standard.Contains(a.Name.Namespace)))
            {
                foreign.Add($"attribute {a.Name} on {e.Attribute("id")?.Value ?? e.Name.LocalName} = {a.Value}");
            }
        }

        var ids = document.Descendants().Select(e => e.Attribute("id")?.Value).OfType<string>().ToHashSet(StringComparer.Ordinal);
        return new BpmnPicture(Sorted(elements), Sorted(diagram), Sorted(foreign), ids);
    }

    /// <summary>
    /// What the exported picture lost or changed against the original one: each line of the original missing from the
    /// export ("lost …") and each line of the export the original does not have ("added …"), elements the export
    /// gave a generated id (they had none) excepted. Empty when the round trip kept everything.
    /// </summary>
    public IReadOnlyList<string> DifferencesTo(BpmnPicture exported)
    {
        ArgumentNullException.ThrowIfNull(exported);
        var keptElements = exported.Elements.Where(line => line.StartsWith("(no id)", StringComparison.Ordinal) || Ids.Contains(line[..line.IndexOf(' ', StringComparison.Ordinal)]));
        return [.. Difference("element", Elements, keptElements), .. Difference("diagram", Diagram, exported.Diagram), .. Difference("foreign", Foreign, exported.Foreign)];
    }

    private static IEnumerable<string> Difference(string part, IEnumerable<string> before, IEnumerable<string> after)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var line in before)
        {
            counts[line] = counts.GetValueOrDefault(line) + 1;
        }

        var added = new List<string>();
        foreach (var line in after)
        {
            if (counts.GetValueOrDefault(line) > 0)
            {
                counts[line]--;
            }
            else
            {
                added.Add($"added {part}: {line}");
            }
        }

        return counts.Where(c => c.Value > 0).SelectMany(c => Enumerable.Repeat($"lost {part}: {c.Key}", c.Value)).Order(StringComparer.Ordinal).Concat(added);
    }

    private static List<string> Sorted(List<string> lines)
    {
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }
}
