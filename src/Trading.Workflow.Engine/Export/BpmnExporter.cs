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
            NewLineHandling = NewLineHandling.None,
            OmitXmlDeclaration = false,
            CloseOutput = false,
        };

        using var writer = XmlWriter.Create(stream, settings);
        var source = definitions.Source;
        switch (source.Declaration?.Standalone)
        {
            case "yes":
                writer.WriteStartDocument(standalone: true);
                break;
            case "no":
                writer.WriteStartDocument(standalone: false);
                break;
            default:
                writer.WriteStartDocument();
                break;
        }

        foreach (var node in source.Nodes())
        {
            node.WriteTo(writer);
        }

        writer.WriteEndDocument();
    }
}
