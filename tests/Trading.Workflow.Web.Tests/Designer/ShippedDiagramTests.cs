using System.Globalization;
using System.Xml.Linq;

namespace Trading.Workflow.Web.Tests.Designer;

/// <summary>
/// The diagrams of the shipped procedures (every file under <c>workflows/</c>, as the app deploys them) are drawn so a
/// reader can follow them in the designer and the instance viewer: no shape lies over another (a boundary event on its
/// own host, and shapes inside an expanded sub-process, a lane or a pool excepted), and every edge starts on its source's
/// shape and ends on its target's.
/// </summary>
public sealed class ShippedDiagramTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "workflows");

    public static TheoryData<string> ShippedProcedures() => new(Files());

    private static IEnumerable<string> Files() =>
        Directory.EnumerateFiles(Folder, "*.bpmn", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(Folder, f)).Order(StringComparer.Ordinal);

    [Fact]
    public void ShippedProcedures_AreAllFound()
    {
        // The grant procedures whose overdue reminder's end once lay over their join, among the rest.
        Assert.Contains(Path.Combine("land-rights", "land-grant.bpmn"), Files());
        Assert.Contains(Path.Combine("mineral-rights", "mineral-grant.bpmn"), Files());
    }

    [Theory]
    [MemberData(nameof(ShippedProcedures))]
    public void ShippedProcedure_NoShapeOverlapsAnother_AndEveryEdgeMeetsItsShapes(string relativePath)
    {
        var problems = DiagramGeometry.Problems(XDocument.Load(Path.Combine(Folder, relativePath)));

        Assert.True(problems.Count == 0, relativePath + ":\n" + string.Join("\n", problems));
    }

    [Fact]
    public void Problems_NameShapesThatOverlap_AndAnEdgeOffItsShape()
    {
        var problems = DiagramGeometry.Problems(XDocument.Parse(Diagram(
            """
            <bpmn:startEvent id="start" /><bpmn:task id="a" /><bpmn:endEvent id="end" />
            <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="a" /><bpmn:sequenceFlow id="f2" sourceRef="a" targetRef="end" />
            """,
            """
            <bpmndi:BPMNShape id="start_di" bpmnElement="start"><dc:Bounds x="100" y="100" width="36" height="36" /></bpmndi:BPMNShape>
            <bpmndi:BPMNShape id="a_di" bpmnElement="a"><dc:Bounds x="200" y="80" width="100" height="80" /></bpmndi:BPMNShape>
            <bpmndi:BPMNShape id="end_di" bpmnElement="end"><dc:Bounds x="290" y="100" width="36" height="36" /></bpmndi:BPMNShape>
            <bpmndi:BPMNEdge id="f1_di" bpmnElement="f1"><di:waypoint x="136" y="118" /><di:waypoint x="200" y="118" /></bpmndi:BPMNEdge>
            <bpmndi:BPMNEdge id="f2_di" bpmnElement="f2"><di:waypoint x="300" y="190" /><di:waypoint x="290" y="118" /></bpmndi:BPMNEdge>
            """)));

        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.Contains("'a'", StringComparison.Ordinal) && p.Contains("'end'", StringComparison.Ordinal) && p.Contains("overlaps", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("'f2'", StringComparison.Ordinal) && p.Contains("starts off", StringComparison.Ordinal));
    }

    [Fact]
    public void Problems_NoneForABoundaryEventOnItsHost_NorForShapesInsideAnExpandedSubProcessOrALane()
    {
        var problems = DiagramGeometry.Problems(XDocument.Parse(Diagram(
            """
            <bpmn:laneSet id="lanes"><bpmn:lane id="lane"><bpmn:flowNodeRef>sub</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
            <bpmn:subProcess id="sub"><bpmn:task id="inner" /></bpmn:subProcess>
            <bpmn:boundaryEvent id="timer" attachedToRef="sub"><bpmn:timerEventDefinition /></bpmn:boundaryEvent>
            """,
            """
            <bpmndi:BPMNShape id="lane_di" bpmnElement="lane"><dc:Bounds x="0" y="0" width="800" height="400" /></bpmndi:BPMNShape>
            <bpmndi:BPMNShape id="sub_di" bpmnElement="sub" isExpanded="true"><dc:Bounds x="100" y="50" width="400" height="250" /></bpmndi:BPMNShape>
            <bpmndi:BPMNShape id="inner_di" bpmnElement="inner"><dc:Bounds x="150" y="100" width="100" height="80" /></bpmndi:BPMNShape>
            <bpmndi:BPMNShape id="timer_di" bpmnElement="timer"><dc:Bounds x="300" y="282" width="36" height="36" /></bpmndi:BPMNShape>
            """)));

        Assert.Empty(problems);
    }

    private static string Diagram(string process, string shapes) =>
        $"""
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"
                          xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" id="d">
          <bpmn:process id="p">{process}</bpmn:process>
          <bpmndi:BPMNDiagram id="dia"><bpmndi:BPMNPlane id="plane" bpmnElement="p">{shapes}</bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
        </bpmn:definitions>
        """;
}

/// <summary>What is wrong with the drawing of a BPMN file's diagrams (its BPMNDiagram section), plane by plane.</summary>
internal static class DiagramGeometry
{
    private static readonly XNamespace Model = "http://www.omg.org/spec/BPMN/20100524/MODEL";
    private static readonly XNamespace Di = "http://www.omg.org/spec/BPMN/20100524/DI";
    private static readonly XNamespace Dc = "http://www.omg.org/spec/DD/20100524/DC";
    private static readonly XNamespace Dd = "http://www.omg.org/spec/DD/20100524/DI";

    // How far an edge's end may lie from its shape's bounds (a line's width; the designer ends edges on the outline).
    private const double EdgeSlack = 2;

    private sealed record Box(string Id, XElement? Element, double X, double Y, double Width, double Height)
    {
        public bool Overlaps(Box other) =>
            X < other.X + other.Width && other.X < X + Width && Y < other.Y + other.Height && other.Y < Y + Height;

        public bool Holds(double x, double y) =>
            x >= X - EdgeSlack && x <= X + Width + EdgeSlack && y >= Y - EdgeSlack && y <= Y + Height + EdgeSlack;

        public string Kind => Element?.Name.LocalName ?? "?";

        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Kind} '{Id}' ({X}, {Y}, {Width}×{Height})");
    }

    public static IReadOnlyList<string> Problems(XDocument bpmn)
    {
        ArgumentNullException.ThrowIfNull(bpmn);
        var elements = bpmn.Descendants().Where(e => e.Name.Namespace == Model && e.Attribute("id") is not null)
            .GroupBy(e => (string)e.Attribute("id")!).ToDictionary(g => g.Key, g => g.First());
        var problems = new List<string>();
        foreach (var plane in bpmn.Descendants(Di + "BPMNPlane"))
        {
            var boxes = plane.Elements(Di + "BPMNShape").Select(s => BoxOf(s, elements)).ToList();
            for (var i = 0; i < boxes.Count; i++)
            {
                for (var j = i + 1; j < boxes.Count; j++)
                {
                    if (boxes[i].Overlaps(boxes[j]) && !MayOverlap(boxes[i], boxes[j]))
                    {
                        problems.Add($"{boxes[i]} overlaps {boxes[j]}");
                    }
                }
            }

            var byId = boxes.GroupBy(b => b.Id).ToDictionary(g => g.Key, g => g.First());
            foreach (var edge in plane.Elements(Di + "BPMNEdge"))
            {
                var id = (string?)edge.Attribute("bpmnElement") ?? "?";
                var flow = elements.GetValueOrDefault(id);
                var points = edge.Elements(Dd + "waypoint").Select(w => (X: Number(w, "x"), Y: Number(w, "y"))).ToList();
                if (flow is null || points.Count < 2)
                {
                    problems.Add($"edge '{id}' has no flow or fewer than two waypoints");
                    continue;
                }

                if (byId.GetValueOrDefault((string?)flow.Attribute("sourceRef") ?? string.Empty) is { } source && !source.Holds(points[0].X, points[0].Y))
                {
                    problems.Add(string.Create(CultureInfo.InvariantCulture, $"edge '{id}' starts off its source {source} at ({points[0].X}, {points[0].Y})"));
                }

                if (byId.GetValueOrDefault((string?)flow.Attribute("targetRef") ?? string.Empty) is { } target && !target.Holds(points[^1].X, points[^1].Y))
                {
                    problems.Add(string.Create(CultureInfo.InvariantCulture, $"edge '{id}' ends off its target {target} at ({points[^1].X}, {points[^1].Y})"));
                }
            }
        }

        return problems;
    }

    private static Box BoxOf(XElement shape, Dictionary<string, XElement> elements)
    {
        var bounds = shape.Element(Dc + "Bounds") ?? throw new InvalidOperationException($"Shape {(string?)shape.Attribute("id")} has no bounds.");
        var id = (string?)shape.Attribute("bpmnElement") ?? "?";
        return new Box(id, elements.GetValueOrDefault(id), Number(bounds, "x"), Number(bounds, "y"), Number(bounds, "width"), Number(bounds, "height"));
    }

    /// <summary>A boundary event on its host, a shape inside a sub-process it belongs to, and lanes, pools and groups, which hold others.</summary>
    private static bool MayOverlap(Box a, Box b)
    {
        if (a.Kind is "lane" or "participant" or "group" || b.Kind is "lane" or "participant" or "group")
        {
            return true;
        }

        if (a.Element is null || b.Element is null)
        {
            return false;
        }

        return (string?)a.Element.Attribute("attachedToRef") == b.Id
               || (string?)b.Element.Attribute("attachedToRef") == a.Id
               || a.Element.Ancestors().Contains(b.Element)
               || b.Element.Ancestors().Contains(a.Element);
    }

    private static double Number(XElement element, string name) =>
        double.Parse((string?)element.Attribute(name) ?? throw new InvalidOperationException($"{element.Name.LocalName} has no {name}."), CultureInfo.InvariantCulture);
}
