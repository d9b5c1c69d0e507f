using System.Xml;

namespace Trading.Workflow.Web.Designer;

/// <summary>Process ids are XML NCNames (BPMN ids): a letter or underscore first, no spaces or colons.</summary>
public static class ProcessIds
{
    public const int MaxLength = 100;

    public static bool IsValid(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > MaxLength)
        {
            return false;
        }

        try
        {
            XmlConvert.VerifyNCName(id);
            return true;
        }
        catch (XmlException)
        {
            return false;
        }
    }
}
