using System.Xml.Linq;
using Trading.Workflow.Engine.Model;
using Trading.Workflow.Engine.Parsing;

namespace Trading.Workflow.Web.Designer;

/// <summary>The outcome of converting a file from another modeller: the XML the designer opens, and how many attributes became ours.</summary>
public sealed record VendorImportResult(string Xml, int ConvertedAttributes);

/// <summary>
/// Rewrites the Camunda 7, Flowable and Activiti attributes the engine understands (Model/EXTENSIONS.md) as our
/// <c>tw:</c> attributes, so the designer's panel shows and edits them. The converted vendor attributes are removed
/// (otherwise clearing ours would bring theirs back); everything else, diagram and other extensions included, is kept.
/// When our attribute is already written it wins, as in the parser.
/// </summary>
public static class VendorImport
{
    private static readonly XNamespace Tw = BpmnNamespaces.TradingWorkflow;
    private static readonly XNamespace Bpmn = BpmnNamespaces.Model;
    private static readonly XNamespace[] Vendors = [BpmnNamespaces.Camunda, BpmnNamespaces.Flowable, BpmnNamespaces.Activiti];

    private static readonly Dictionary<string, string> UserTaskAttributes = new(StringComparer.Ordinal)
    {
        ["assignee"] = "assignee",
        ["candidateUsers"] = "candidateUsers",
        ["candidateGroups"] = "candidateRoles",
        ["formKey"] = "formKey",
        ["dueDate"] = "dueDate",
        ["followUpDate"] = "followUpDate",
        ["priority"] = "priority",
    };

    private static readonly HashSet<string> HandlerElements = new(StringComparer.Ordinal) { "serviceTask", "sendTask", "businessRuleTask" };

    /// <exception cref="BpmnParseException">The text is not a readable BPMN file.</exception>
    public static VendorImportResult ToOurs(string xml)
    {
        // Parse first: it refuses DTDs and oversized files before we load the text ourselves.
        var document = BpmnParser.Parse(xml).Source;
        var converted = 0;
        foreach (var element in document.Descendants().Where(e => e.Name.Namespace == Bpmn).ToList())
        {
            converted += ConvertElement(element);
        }

        if (converted > 0 && document.Root is { } root && root.GetPrefixOfNamespace(Tw) is null)
        {
            root.SetAttributeValue(XNamespace.Xmlns + "tw", Tw.NamespaceName);
        }

        return new VendorImportResult(converted > 0 ? Write(document) : xml, converted);
    }

    private static int ConvertElement(XElement element)
    {
        var count = 0;
        var name = element.Name.LocalName;
        if (name == "userTask")
        {
            foreach (var (theirs, ours) in UserTaskAttributes)
            {
                count += Move(element, theirs, ours, value => value);
            }
        }

        if (HandlerElements.Contains(name))
        {
            count += ConvertHandler(element);
        }

        if (name == "multiInstanceLoopCharacteristics")
        {
            count += Move(element, "collection", "collection", value => value);
            count += Move(element, "elementVariable", "elementVariable", value => value);
        }

        if (name == "callActivity")
        {
            count += Move(element, "calledElementBinding", "calledElementBinding", value => value);
            count += Move(element, "calledElementVersion", "calledElementVersion", value => value);
        }

        count += Move(element, "asyncBefore", "async", Flag);
        count += Move(element, "async", "async", Flag);
        count += Move(element, "asyncAfter", "asyncAfter", Flag);
        return count;
    }

    private static int ConvertHandler(XElement element)
    {
        if (element.Attribute(Tw + "handler") is not null)
        {
            return 0;
        }

        foreach (var vendor in Vendors)
        {
            var type = element.Attribute(vendor + "type");
            var topic = element.Attribute(vendor + "topic");
            var candidates = new (XAttribute? Attribute, Func<string, string?> Map)[]
            {
                (element.Attribute(vendor + "class"), HandlerNames.FromClass),
                (element.Attribute(vendor + "delegateExpression"), HandlerNames.FromDelegateExpression),
                (element.Attribute(vendor + "expression"), HandlerNames.FromExpression),
                (type?.Value is "external" or "external-worker" && topic is not null ? topic : null, value => value),
                (type?.Value is "external" or "external-worker" ? null : type, value => value),
            };
            foreach (var (attribute, map) in candidates)
            {
                if (attribute is null || string.IsNullOrWhiteSpace(attribute.Value) || map(attribute.Value.Trim()) is not { Length: > 0 } handler)
                {
                    continue;
                }

                element.SetAttributeValue(Tw + "handler", handler);
                attribute.Remove();
                if (ReferenceEquals(attribute, topic))
                {
                    type?.Remove();
                }

                return 1;
            }
        }

        return 0;
    }

    /// <summary>Moves the first non-blank vendor attribute to ours (unless ours is written) and removes the vendor ones.</summary>
    private static int Move(XElement element, string theirs, string ours, Func<string, string?> map)
    {
        var vendorAttributes = Vendors.Select(v => element.Attribute(v + theirs)).OfType<XAttribute>().ToList();
        if (vendorAttributes.Count == 0)
        {
            return 0;
        }

        var converted = 0;
        var first = vendorAttributes.FirstOrDefault(a => !string.IsNullOrWhiteSpace(a.Value));
        var existing = element.Attribute(Tw + ours);
        if (first is not null && (existing is null || string.IsNullOrWhiteSpace(existing.Value)) && map(first.Value.Trim()) is { } value)
        {
            element.SetAttributeValue(Tw + ours, value);
            converted = 1;
        }

        foreach (var attribute in vendorAttributes)
        {
            attribute.Remove();
        }

        return converted;
    }

    private static string? Flag(string value) => string.Equals(value, "true", StringComparison.OrdinalIgnoreCase) ? "true" : null;

    private static string Write(XDocument document)
    {
        var declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
        return declaration + document.Root!.ToString(SaveOptions.DisableFormatting);
    }
}
