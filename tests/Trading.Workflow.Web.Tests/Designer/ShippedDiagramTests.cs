using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Trading.Workflow.Web.Workflow;

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

    /// <summary>
    /// As the designer draws it (the names as written) and as the instance viewer draws it in English (tw:nameEn, the
    /// labels widened by <see cref="DisplayNames.Diagram"/>): lines run square and not through a shape they do not connect,
    /// and no label lies over another label or a shape or under a line not its own.
    /// </summary>
    [Theory]
    [MemberData(nameof(ShippedProcedures))]
    public void ShippedProcedure_NoLineRunsThroughAShape_AndNoLabelLiesOverAnotherOrAShape(string relativePath)
    {
        var xml = File.ReadAllText(Path.Combine(Folder, relativePath));
        var problems = DiagramGeometry.Clutter(XDocument.Parse(xml)).Select(p => "[as written] " + p)
            .Concat(DiagramGeometry.Clutter(XDocument.Parse(InEnglish(() => DisplayNames.Diagram(xml, null))!)).Select(p => "[English] " + p))
            .ToList();

        Assert.True(problems.Count == 0, $"{relativePath}: {problems.Count} problem(s)\n" + string.Join("\n", problems));
    }

    [Fact]
    public void Clutter_NamesALineThroughAShape_AndLabelsOverALabelOrAShape()
    {
        var problems = DiagramGeometry.Clutter(XDocument.Parse(Diagram(
            """
            <bpmn:startEvent id="start" name="开始" /><bpmn:task id="a" /><bpmn:task id="b" /><bpmn:endEvent id="end" name="结束" />
            <bpmn:exclusiveGateway id="g" name="是否通过审核并且继续" />
            <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="b" /><bpmn:sequenceFlow id="f2" sourceRef="b" targetRef="end" name="是" />
            <bpmn:sequenceFlow id="f3" sourceRef="g" targetRef="a" /><bpmn:sequenceFlow id="f4" sourceRef="a" targetRef="b" />
            """,
            """
            <bpmndi:BPMNShape id="start_di" bpmnElement="start"><dc:Bounds x="100" y="100" width="36" height="36" /></bpmndi:BPMNShape>
            <bpmndi:BPMNShape id="a_di" bpmnElement="a"><dc:Bounds x="200" y="80" width="100" height="80" /></bpmndi:BPMNShape>
            <bpmndi:BPMNShape id="b_di" bpmnElement="b"><dc:Bounds x="400" y="80" width="100" height="80" /></bpmndi:BPMNShape>
            <bpmndi:BPMNShape id="end_di" bpmnElement="end"><dc:Bounds x="600" y="100" width="36" height="36" /></bpmndi:BPMNShape>
            <bpmndi:BPMNShape id="g_di" bpmnElement="g"><dc:Bounds x="93" y="300" width="50" height="50" />
              <bpmndi:BPMNLabel><dc:Bounds x="580" y="130" width="60" height="27" /></bpmndi:BPMNLabel></bpmndi:BPMNShape>
            <bpmndi:BPMNEdge id="f1_di" bpmnElement="f1"><di:waypoint x="136" y="118" /><di:waypoint x="400" y="118" /></bpmndi:BPMNEdge>
            <bpmndi:BPMNEdge id="f3_di" bpmnElement="f3"><di:waypoint x="118" y="300" /><di:waypoint x="118" y="140" /><di:waypoint x="180" y="140" /><di:waypoint x="180" y="150" /><di:waypoint x="200" y="150" /></bpmndi:BPMNEdge>
            <bpmndi:BPMNEdge id="f4_di" bpmnElement="f4"><di:waypoint x="300" y="150" /><di:waypoint x="400" y="100" /></bpmndi:BPMNEdge>
            <bpmndi:BPMNEdge id="f2_di" bpmnElement="f2"><di:waypoint x="500" y="120" /><di:waypoint x="600" y="120" />
              <bpmndi:BPMNLabel><dc:Bounds x="430" y="140" width="20" height="14" /></bpmndi:BPMNLabel></bpmndi:BPMNEdge>
            """)));

        Assert.Equal(6, problems.Count);
        Assert.Contains(problems, p => p.Contains("line 'f4' has a slanted segment", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("line 'f1'", StringComparison.Ordinal) && p.Contains("task 'a'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("label of startEvent 'start'", StringComparison.Ordinal) && p.Contains("crossed by line 'f3'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("label of endEvent 'end'", StringComparison.Ordinal) && p.Contains("label of exclusiveGateway 'g'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("label of exclusiveGateway 'g'", StringComparison.Ordinal) && p.Contains("overlaps endEvent 'end'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("label of sequenceFlow 'f2'", StringComparison.Ordinal) && p.Contains("task 'b'", StringComparison.Ordinal));
    }

    [Fact]
    public void Clutter_NoneForALineAlongAShapesEdge_NorInsideItsSubProcess_NorForLabelsBesideTheirShapes()
    {
        var problems = DiagramGeometry.Clutter(XDocument.Parse(Diagram(
            """
            <bpmn:subProcess id="sub"><bpmn:startEvent id="s" name="开始" /><bpmn:endEvent id="e" name="结束" />
              <bpmn:sequenceFlow id="f" sourceRef="s" targetRef="e" name="直接结束" /></bpmn:subProcess>
            <bpmn:task id="a" /><bpmn:task id="b" /><bpmn:task id="c" /><bpmn:sequenceFlow id="g" sourceRef="a" targetRef="c" />
            """,
            """
            <bpmndi:BPMNShape id="sub_di" bpmnElement="sub" isExpanded="true"><dc:Bounds x="100" y="50" width="400" height="200" /></bpmndi:BPMNShape>
            <bpmndi:BPMNShape id="s_di" bpmnElement="s"><dc:Bounds x="150" y="100" width="36" height="36" /></bpmndi:BPMNShape>
            <bpmndi:BPMNShape id="e_di" bpmnElement="e"><dc:Bounds x="400" y="100" width="36" height="36" /></bpmndi:BPMNShape>
            <bpmndi:BPMNEdge id="f_di" bpmnElement="f"><di:waypoint x="186" y="118" /><di:waypoint x="400" y="118" /></bpmndi:BPMNEdge>
            <bpmndi:BPMNShape id="a_di" bpmnElement="a"><dc:Bounds x="100" y="300" width="100" height="80" /></bpmndi:BPMNShape>
            <bpmndi:BPMNShape id="b_di" bpmnElement="b"><dc:Bounds x="250" y="300" width="100" height="80" /></bpmndi:BPMNShape>
            <bpmndi:BPMNShape id="c_di" bpmnElement="c"><dc:Bounds x="400" y="300" width="100" height="80" /></bpmndi:BPMNShape>
            <bpmndi:BPMNEdge id="g_di" bpmnElement="g"><di:waypoint x="150" y="300" /><di:waypoint x="150" y="281" /><di:waypoint x="450" y="281" /><di:waypoint x="450" y="300" /></bpmndi:BPMNEdge>
            """)));

        Assert.Empty(problems);
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

    private static T InEnglish<T>(Func<T> read)
    {
        var (culture, ui) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en");
        try
        {
            return read();
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (culture, ui);
        }
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

        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Kind} '{Id}' ({X:0.#}, {Y:0.#}, {Width:0.#}×{Height:0.#})");
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

    // A line may run along a shape's outline (a couple of pixels in), a label may touch another or a shape by as much.
    private const double Touch = 2;

    // bpmn-js draws external labels (events, gateways, flows) in 11px Arial, 1.2 lines, wrapped at 90px (or the wider
    // bounds the DI gives), centred on the bounds' middle below their top; without DI bounds a shape's label sits right below
    // it and a flow's 15px above (or right of) the middle of its middle segment. See bpmn-js LabelUtil and TextRenderer.
    private const double LabelWrap = 90;
    private const double LineHeight = 13.2;

    private static readonly string[] Containers = ["lane", "participant", "group", "laneSet", "textAnnotation"];

    /// <summary>
    /// Lines (sequence and message flows) that run through a shape other than their source, their target and the
    /// sub-process or pool holding them, or that slant; labels that lie over another label or over a shape other than their
    /// container, or that a line not their own runs through.
    /// </summary>
    public static IReadOnlyList<string> Clutter(XDocument bpmn)
    {
        ArgumentNullException.ThrowIfNull(bpmn);
        var elements = bpmn.Descendants().Where(e => e.Name.Namespace == Model && e.Attribute("id") is not null)
            .GroupBy(e => (string)e.Attribute("id")!).ToDictionary(g => g.Key, g => g.First());
        var problems = new List<string>();
        foreach (var plane in bpmn.Descendants(Di + "BPMNPlane"))
        {
            var shapes = plane.Elements(Di + "BPMNShape").Select(s => BoxOf(s, elements)).Where(b => !Containers.Contains(b.Kind)).ToList();
            var lines = plane.Elements(Di + "BPMNEdge")
                .Select(e => (Id: (string?)e.Attribute("bpmnElement") ?? "?", Points: e.Elements(Dd + "waypoint").Select(w => (X: Number(w, "x"), Y: Number(w, "y"))).ToList()))
                .Where(l => l.Points.Count >= 2).ToList();
            foreach (var (id, points) in lines)
            {
                // bpmn-js draws and keeps lines square (a slanted one crosses others at odd angles, and the designer's
                // layout bends it back on the first move).
                var slanted = Enumerable.Range(0, points.Count - 1).FirstOrDefault(i => points[i].X != points[i + 1].X && points[i].Y != points[i + 1].Y, -1);
                if (slanted >= 0)
                {
                    problems.Add(string.Create(CultureInfo.InvariantCulture,
                        $"line '{id}' has a slanted segment: ({points[slanted].X}, {points[slanted].Y}) → ({points[slanted + 1].X}, {points[slanted + 1].Y})"));
                }

                var flow = elements.GetValueOrDefault(id);
                var ends = new[] { (string?)flow?.Attribute("sourceRef"), (string?)flow?.Attribute("targetRef") };
                foreach (var shape in shapes.Where(s => !ends.Contains(s.Id) && !Holds(s, flow)))
                {
                    var inner = Shrunk(shape);
                    var crossing = Enumerable.Range(0, points.Count - 1).FirstOrDefault(i => Crosses(points[i], points[i + 1], inner), -1);
                    if (crossing >= 0)
                    {
                        problems.Add(string.Create(CultureInfo.InvariantCulture,
                            $"line '{id}' runs through {shape}: ({points[crossing].X}, {points[crossing].Y}) → ({points[crossing + 1].X}, {points[crossing + 1].Y})"));
                    }
                }
            }

            var labels = plane.Elements().Where(e => e.Name == Di + "BPMNShape" || e.Name == Di + "BPMNEdge").Select(e => LabelOf(e, elements)).OfType<Box>().ToList();
            for (var i = 0; i < labels.Count; i++)
            {
                for (var j = i + 1; j < labels.Count; j++)
                {
                    if (Overlap(labels[i], labels[j]))
                    {
                        problems.Add($"label of {labels[i]} overlaps label of {labels[j]}");
                    }
                }

                foreach (var shape in shapes.Where(s => Overlap(labels[i], s) && !Holds(s, labels[i].Element)))
                {
                    problems.Add($"label of {labels[i]} overlaps {shape}");
                }

                // Its own line, and for a shape's label the shape's own lines, may run through it (an event's label below
                // it, the line leaving downwards), others not.
                var text = Shrunk(labels[i]);
                foreach (var (id, _) in lines.Where(l => l.Id != labels[i].Id && !Connects(elements.GetValueOrDefault(l.Id), labels[i].Id)
                                                        && Enumerable.Range(0, l.Points.Count - 1).Any(k => Crosses(l.Points[k], l.Points[k + 1], text))))
                {
                    problems.Add($"label of {labels[i]} is crossed by line '{id}'");
                }
            }
        }

        return problems;
    }

    private static Box Shrunk(Box box) => box with { X = box.X + Touch, Y = box.Y + Touch, Width = box.Width - (2 * Touch), Height = box.Height - (2 * Touch) };

    private static bool Connects(XElement? flow, string id) => (string?)flow?.Attribute("sourceRef") == id || (string?)flow?.Attribute("targetRef") == id;

    private static bool Holds(Box shape, XElement? element) => shape.Element is not null && element is not null && element.Ancestors().Contains(shape.Element);

    private static bool Overlap(Box a, Box b) =>
        a.X + Touch < b.X + b.Width && b.X + Touch < a.X + a.Width && a.Y + Touch < b.Y + b.Height && b.Y + Touch < a.Y + a.Height;

    // Liang–Barsky: whether the segment has a part strictly inside the box.
    private static bool Crosses((double X, double Y) from, (double X, double Y) to, Box box)
    {
        var (enter, leave) = (0d, 1d);
        var (dx, dy) = (to.X - from.X, to.Y - from.Y);
        foreach (var (p, q) in new[] { (-dx, from.X - box.X), (dx, box.X + box.Width - from.X), (-dy, from.Y - box.Y), (dy, box.Y + box.Height - from.Y) })
        {
            if (p == 0)
            {
                if (q <= 0)
                {
                    return false;
                }
            }
            else if (p < 0)
            {
                enter = Math.Max(enter, q / p);
            }
            else
            {
                leave = Math.Min(leave, q / p);
            }
        }

        return enter < leave;
    }

    /// <summary>Where bpmn-js draws the external label of a shape or an edge, the text's own box; null if it has none.</summary>
    private static Box? LabelOf(XElement di, Dictionary<string, XElement> elements)
    {
        var id = (string?)di.Attribute("bpmnElement") ?? "?";
        if (elements.GetValueOrDefault(id) is not { } element || !HasExternalLabel(element.Name.LocalName)
            || (string?)element.Attribute("name") is not { } name || string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        double middle, top, wrap = LabelWrap;
        if (di.Element(Di + "BPMNLabel")?.Element(Dc + "Bounds") is { } bounds)
        {
            middle = Number(bounds, "x") + (Number(bounds, "width") / 2);
            top = Number(bounds, "y");
            wrap = Math.Max(wrap, Number(bounds, "width"));
        }
        else if (di.Name == Di + "BPMNEdge")
        {
            var points = di.Elements(Dd + "waypoint").Select(w => (X: Number(w, "x"), Y: Number(w, "y"))).ToList();
            var half = (points.Count / 2d) - 1;
            var (a, b) = (points[(int)Math.Floor(half)], points[(int)Math.Ceiling(half + 0.01)]);
            var level = a.X != b.X && Math.Abs(Math.Atan((b.Y - a.Y) / (b.X - a.X))) < Math.PI / 2;
            middle = ((a.X + b.X) / 2) + (level ? 0 : 15);
            top = ((a.Y + b.Y) / 2) - (level ? 15 : 0) - 10;
        }
        else
        {
            var shape = di.Element(Dc + "Bounds")!;
            middle = Number(shape, "x") + (Number(shape, "width") / 2);
            top = Number(shape, "y") + Number(shape, "height");
        }

        var lines = Wrap(name.Trim(), wrap);
        var width = lines.Max(TextWidth);
        return new Box(id, element, middle - (width / 2), top, width, lines.Count * LineHeight);
    }

    private static bool HasExternalLabel(string kind) => kind.EndsWith("Event", StringComparison.Ordinal) || kind.EndsWith("Gateway", StringComparison.Ordinal) || kind is "sequenceFlow" or "messageFlow";

    // diagram-js's layout (util/Text.js): a line too wide is cut to its share of the width, at a space or hyphen if one
    // falls within it, else by characters, and measured again; the rest goes to the next line.
    private static List<string> Wrap(string text, double width)
    {
        var pending = new Queue<string>([text]);
        var lines = new List<string>();
        while (pending.TryDequeue(out var original))
        {
            var line = original;
            while (line.Length >= 2 && line != " " && TextWidth(line) > width)
            {
                var share = Math.Max(line.Length * (width / TextWidth(line)), 1);
                var cut = SemanticCut(line, share);
                line = cut.Length > 0 ? cut : line[..Math.Max((int)Math.Floor(share - 1 + 0.5), 1)];
            }

            lines.Add(line);
            if (line.Length < original.Length)
            {
                pending = new Queue<string>(new[] { original[line.Length..].Trim() }.Concat(pending));
            }
        }

        return lines;
    }

    private static string SemanticCut(string line, double share)
    {
        var parts = Regex.Split(line, @"(\s|-|\u00AD)");
        var kept = new List<string>();
        var length = 0;
        if (parts.Length > 1)
        {
            foreach (var part in parts.TakeWhile(p => p.Length > 0))
            {
                if (part.Length + length >= share)
                {
                    if (part is "-" or "\u00AD" && kept.Count > 0)
                    {
                        kept.RemoveAt(kept.Count - 1);
                    }

                    break;
                }

                kept.Add(part);
                length += part.Length;
            }
        }

        return string.Concat(kept);
    }

    // 11px text as this Chromium draws it (DejaVu Sans standing in for Arial, a little wider, so a little safer); CJK
    // and full-width forms at 11.17.
    private static readonly Dictionary<char, double> Widths = new (string Chars, double Width)[]
    {
        ("'", 3.0), ("il", 3.1), ("Ij", 3.2), ("J", 3.3), (" ,.", 3.5), ("/:;\\|", 3.7), ("f", 3.8), ("-", 4.0), ("()[]", 4.3),
        ("!rt", 4.4), ("\"", 5.1), ("*`", 5.5), ("_", 5.7), ("sz", 5.8), ("?", 5.9), ("c", 6.0), ("L", 6.2), ("F", 6.3), ("k", 6.4),
        ("vxy", 6.6), ("PTa", 6.7), ("Yeo", 6.8), ("$0123456789ESbdghnpqu{}", 7), ("K", 7.3), ("B", 7.5), ("VXZ", 7.6), ("CR", 7.7),
        ("A", 7.8), ("U", 8.1), ("N", 8.2), ("H", 8.3), ("DG", 8.5), ("&", 8.6), ("OQ", 8.7), ("w", 9.0), ("#+<=>^~≥≤", 9.2), ("M", 9.5),
        ("%", 10.5), ("m", 10.7), ("W", 10.9), ("@", 11),
    }.SelectMany(g => g.Chars.Select(c => (c, g.Width))).ToDictionary(p => p.c, p => p.Width);

    private static double TextWidth(string text) => text.Sum(c => c >= '\u2E80' ? 11.17 : Widths.GetValueOrDefault(c, 7));

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
