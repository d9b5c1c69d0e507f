using Trading.Workflow.Engine.Parsing;

namespace Trading.Workflow.Web.Workflow;

/// <summary>The names of a deployed definition's elements by id, so pages show 提交招标公告 rather than an element id.</summary>
internal static class ElementNames
{
    public static Dictionary<string, string> Of(string? xml)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        if (xml is null)
        {
            return names;
        }

        try
        {
            foreach (var element in BpmnParser.LoadXml(xml).Descendants())
            {
                if ((string?)element.Attribute("id") is { Length: > 0 } id && (string?)element.Attribute("name") is { Length: > 0 } name)
                {
                    names.TryAdd(id, name.Trim());
                }
            }
        }
        catch (BpmnParseException)
        {
            // A stored definition was parsed when it was deployed; should one be unreadable, ids stay the names.
        }

        return names;
    }
}
