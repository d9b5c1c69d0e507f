using System.Xml.Linq;
using Trading.Workflow.Engine.Model;
using Trading.Workflow.Engine.Parsing;

namespace Trading.Workflow.Web.Designer;

/// <summary>Why a process could not take another id.</summary>
public enum AdoptionRefusal
{
    /// <summary>The file defines no process with the id to replace.</summary>
    ProcessMissing,

    /// <summary>Another element of the file already has the new id (ids are unique in a BPMN file).</summary>
    IdTaken,

    /// <summary>The new id is not a valid process id.</summary>
    InvalidId,
}

/// <summary>The XML with the process renamed, or why it could not be.</summary>
public sealed record AdoptionResult(string? Xml, AdoptionRefusal? Refusal)
{
    public bool Adopted => Xml is not null;
}

/// <summary>
/// Gives the process of an imported file another id, so a procedure exported by Camunda or Flowable under its own
/// process id can become the next draft of the procedure open in the designer. Every reference BPMN makes to a
/// process by id follows: the process's own id, a pool's <c>processRef</c>, a diagram plane's <c>bpmnElement</c>
/// and a call activity calling the process itself. Everything else is written as it was read.
/// </summary>
public static class ProcessAdoption
{
    private static readonly XNamespace Bpmn = BpmnNamespaces.Model;
    private static readonly XNamespace Di = "http://www.omg.org/spec/BPMN/20100524/DI";

    /// <exception cref="BpmnParseException">The text is not a readable BPMN file.</exception>
    public static AdoptionResult Rename(string xml, string fromId, string toId)
    {
        ArgumentNullException.ThrowIfNull(fromId);
        if (!ProcessIds.IsValid(toId))
        {
            return new AdoptionResult(null, AdoptionRefusal.InvalidId);
        }

        var document = BpmnParser.Parse(xml).Source;
        var process = document.Descendants(Bpmn + "process").FirstOrDefault(p => (string?)p.Attribute("id") == fromId);
        if (process is null)
        {
            return new AdoptionResult(null, AdoptionRefusal.ProcessMissing);
        }

        if (fromId == toId)
        {
            return new AdoptionResult(xml, null);
        }

        if (document.Descendants().Any(e => (string?)e.Attribute("id") == toId))
        {
            return new AdoptionResult(null, AdoptionRefusal.IdTaken);
        }

        process.SetAttributeValue("id", toId);
        foreach (var element in document.Descendants())
        {
            var reference = element.Name == Bpmn + "participant" ? element.Attribute("processRef")
                : element.Name == Bpmn + "callActivity" ? element.Attribute("calledElement")
                : element.Name == Di + "BPMNPlane" ? element.Attribute("bpmnElement")
                : null;
            if (reference is not null && reference.Value == fromId)
            {
                reference.Value = toId;
            }
        }

        return new AdoptionResult("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + document.Root!.ToString(SaveOptions.DisableFormatting), null);
    }
}
