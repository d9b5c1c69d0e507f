using System.Text;
using System.Xml;
using System.Xml.Linq;
using Trading.Workflow.Engine.Model;

namespace Trading.Workflow.Engine.Export;

/// <summary>
/// Writes a parsed definition back as BPMN XML. The document kept at parse time is written as read
/// (whitespace, prefixes, diagram and vendor extensions included), always as UTF-8, whatever encoding the
/// original file declared.
/// </summary>
public static class BpmnExporter
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>The definition as XML text, with an <c>encoding="UTF-8"</c> declaration.</summary>
    public static string Export(BpmnDefinitions definitions)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        using var stream = new MemoryStream();
        Export(definitions, stream);
        return Utf8NoBom.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }

    /// <summary>Writes the definition to a stream as UTF-8 without a byte-order mark.</summary>
    public static void Export(BpmnDefinitions definitions, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        ArgumentNullException.ThrowIfNull(stream);
        var settings = new XmlWriterSettings
        {
            Encoding = Utf8NoBom,
            Indent = false,
            // A line break inside an attribute (a name "Invoice&#xA;received", as Signavio, Bonita and Trisotech write
            // them) must be written as a character reference: written raw, the next reader turns it into a space and
            // the name changes. Entitize does that, and leaves line breaks between elements and in text as they are.
            NewLineHandling = NewLineHandling.Entitize,
            // Written by hand below: XmlWriter spells it "utf-8", modelling tools write "UTF-8".
            OmitXmlDeclaration = true,
            CloseOutput = false,
        };

        var source = definitions.Source;
        var standalone = source.Declaration?.Standalone is { Length: > 0 } value ? $" standalone=\"{value}\"" : string.Empty;
        var declaration = $"<?xml version=\"1.0\" encoding=\"UTF-8\"{standalone}?>";
        if (source.Declaration is not null && source.FirstNode is not XText)
        {
            // The line break after the declaration is not a node of the document; put it back.
            declaration += "\n";
        }

        stream.Write(Utf8NoBom.GetBytes(declaration));
        using var writer = XmlWriter.Create(stream, settings);
        foreach (var node in source.Nodes())
        {
            node.WriteTo(writer);
        }
    }
}
