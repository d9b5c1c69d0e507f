using System.Xml.Linq;
using Trading.Workflow.Engine.Parsing;

namespace Trading.Workflow.Web.Forms;

/// <summary>
/// Forms kept inside the procedure itself, as the designer writes them: <c>&lt;tw:form key="..." name="..."&gt;schema
/// JSON&lt;/tw:form&gt;</c> in the process's <c>extensionElements</c>. They are versioned, exported and imported with
/// the BPMN file.
/// </summary>
public static class BpmnForms
{
    public static readonly XNamespace Tw = "http://trading.workflow/schema/bpmn";
    public static readonly XNamespace Bpmn = "http://www.omg.org/spec/BPMN/20100524/MODEL";

    /// <summary>The form definitions (key → schema JSON) of the process in the XML.</summary>
    /// <exception cref="BpmnParseException">The XML is unsafe, too large, too deep or not well-formed.</exception>
    public static IReadOnlyDictionary<string, string> Read(string bpmnXml, string processId)
    {
        var process = Process(BpmnParser.LoadXml(bpmnXml), processId);
        return process?.Element(Bpmn + "extensionElements")?.Elements(Tw + "form")
                   .Where(f => !string.IsNullOrWhiteSpace((string?)f.Attribute("key")))
                   .GroupBy(f => (string)f.Attribute("key")!)
                   .ToDictionary(g => g.Key, g => g.First().Value, StringComparer.Ordinal)
               ?? new Dictionary<string, string>(StringComparer.Ordinal);
    }

    /// <summary>The XML with the forms written into the process (replacing forms of the same key).</summary>
    public static string Write(string bpmnXml, string processId, IEnumerable<(string Key, string Name, string Json)> forms)
    {
        var document = BpmnParser.LoadXml(bpmnXml);
        var process = Process(document, processId) ?? throw new ArgumentException($"The XML has no process '{processId}'.", nameof(processId));
        if (document.Root is { } root && root.GetPrefixOfNamespace(Tw) is null)
        {
            root.SetAttributeValue(XNamespace.Xmlns + "tw", Tw.NamespaceName);
        }

        var extensions = process.Element(Bpmn + "extensionElements");
        if (extensions is null)
        {
            extensions = new XElement(Bpmn + "extensionElements");
            // BPMN puts extensionElements after documentation and before the flow elements.
            if (process.Elements(Bpmn + "documentation").LastOrDefault() is { } documentation)
            {
                documentation.AddAfterSelf(extensions);
            }
            else
            {
                process.AddFirst(extensions);
            }
        }

        foreach (var (key, name, json) in forms)
        {
            extensions.Elements(Tw + "form").Where(f => (string?)f.Attribute("key") == key).Remove();
            extensions.Add(new XElement(Tw + "form", new XAttribute("key", key), new XAttribute("name", name), json));
        }

        return document.Declaration + Environment.NewLine + document.Root!.ToString(SaveOptions.DisableFormatting);
    }

    private static XElement? Process(XDocument document, string processId) =>
        document.Root?.Elements(Bpmn + "process").FirstOrDefault(p => (string?)p.Attribute("id") == processId);
}
