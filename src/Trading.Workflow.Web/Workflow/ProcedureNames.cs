using System.Collections.Concurrent;
using System.Xml.Linq;
using Trading.Workflow.Engine.Parsing;
using Trading.Workflow.Engine.Persistence.Queries;

namespace Trading.Workflow.Web.Workflow;

/// <summary>
/// The names of one deployed version as written: the process's and each element's name and English name
/// (<c>tw:nameEn</c>), and the documentation of each element that has it in English (<c>tw:documentationEn</c>). What a
/// reader sees is picked per call for the current UI culture (<see cref="DisplayNames.Choose"/>).
/// </summary>
public sealed class DefinitionNames
{
    public static readonly DefinitionNames None = new(null, null, new Dictionary<string, (string?, string?)>(), new Dictionary<string, (string?, string?)>());

    private readonly IReadOnlyDictionary<string, (string? Name, string? NameEn)> _elements;

    private readonly IReadOnlyDictionary<string, (string? Documentation, string? DocumentationEn)> _documentation;

    private DefinitionNames(
        string? processName,
        string? processNameEn,
        IReadOnlyDictionary<string, (string? Name, string? NameEn)> elements,
        IReadOnlyDictionary<string, (string? Documentation, string? DocumentationEn)> documentation) =>
        (ProcessNameAsWritten, ProcessNameEn, _elements, _documentation) = (processName, processNameEn, elements, documentation);

    public string? ProcessNameAsWritten { get; }

    public string? ProcessNameEn { get; }

    /// <summary>The process's name for the current UI culture; null when it has none.</summary>
    public string? ProcessName => DisplayNames.Render(DisplayNames.Choose(ProcessNameAsWritten, ProcessNameEn), null) is { Length: > 0 } name ? name : null;

    /// <summary>The names of a definition's XML; <paramref name="processId"/> picks the process of a collaboration.</summary>
    public static DefinitionNames Read(string? xml, string processId)
    {
        if (xml is null)
        {
            return None;
        }

        XDocument document;
        try
        {
            document = BpmnParser.LoadXml(xml);
        }
        catch (BpmnParseException)
        {
            // A stored definition was parsed when it was deployed; should one be unreadable, ids stay the names.
            return None;
        }

        var elements = new Dictionary<string, (string?, string?)>(StringComparer.Ordinal);
        var documentation = new Dictionary<string, (string?, string?)>(StringComparer.Ordinal);
        string? processName = null, processNameEn = null;
        foreach (var element in document.Descendants())
        {
            if ((string?)element.Attribute("id") is not { Length: > 0 } id)
            {
                continue;
            }

            var names = (((string?)element.Attribute("name"))?.Trim(), ((string?)element.Attribute(DisplayNames.NameEn))?.Trim());
            if (element.Name.LocalName == "process" && id == processId)
            {
                (processName, processNameEn) = names;
            }

            if (names.Item1 is { Length: > 0 } || names.Item2 is { Length: > 0 })
            {
                elements.TryAdd(id, names);
            }

            // Only an element with an English documentation has anything to pick; the engine's reading of the
            // documentation (its texts trimmed, joined by line breaks) is what a task stores, rendered.
            if (((string?)element.Attribute(DisplayNames.DocumentationEn))?.Trim() is { Length: > 0 } documentationEn)
            {
                var texts = element.Elements(element.Name.Namespace + "documentation").Select(d => d.Value.Trim()).Where(t => t.Length > 0);
                documentation.TryAdd(id, (string.Join('\n', texts) is { Length: > 0 } text ? text : null, documentationEn));
            }
        }

        return new DefinitionNames(processName, processNameEn, elements, documentation);
    }

    /// <summary>The element's name for the current UI culture, rendered from <paramref name="variables"/>; null when it has none.</summary>
    public string? ElementName(string elementId, IReadOnlyDictionary<string, object?>? variables = null) =>
        _elements.TryGetValue(elementId, out var names) && DisplayNames.Render(DisplayNames.Choose(names.Name, names.NameEn), variables) is { Length: > 0 } name
            ? name
            : null;

    /// <summary>Element id → its name for the current UI culture, rendered from <paramref name="variables"/>; elements without a name are not listed.</summary>
    public Dictionary<string, string> ElementNames(IReadOnlyDictionary<string, object?>? variables)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var id in _elements.Keys)
        {
            if (ElementName(id, variables) is { } name)
            {
                names[id] = name;
            }
        }

        return names;
    }

    /// <summary>
    /// A name the engine stored for the element (a task's, a history event's) for the current UI culture
    /// (<see cref="DisplayNames.TaskName"/>); not rendered.
    /// </summary>
    public string? Localized(string? elementId, string? stored) =>
        elementId is not null && _elements.TryGetValue(elementId, out var names) ? DisplayNames.TaskName(stored, names.Name, names.NameEn) : stored;

    /// <summary>
    /// A task's documentation as the engine stored it, for the current UI culture: in English the element's English
    /// documentation with the ${...} parts the stored one filled in taken from it (as <see cref="Localized"/> does for
    /// names); not rendered.
    /// </summary>
    public string? LocalizedDocumentation(string? elementId, string? stored) =>
        elementId is not null && _documentation.TryGetValue(elementId, out var texts)
            ? DisplayNames.TaskName(stored, texts.Documentation, texts.DocumentationEn)
            : stored;
}

/// <summary>
/// The names of every deployed version, read once per version (a published version never changes), so a list names its
/// rows from memory: one query per version the first time, none per row.
/// </summary>
public sealed class ProcedureNames(WorkflowQueries queries)
{
    private readonly ConcurrentDictionary<(string ProcessId, int Version), DefinitionNames> _names = new();

    public async ValueTask<DefinitionNames> OfAsync(string processId, int version, CancellationToken cancellationToken = default)
    {
        if (_names.TryGetValue((processId, version), out var cached))
        {
            return cached;
        }

        var xml = await queries.DefinitionXmlAsync(processId, version, cancellationToken);
        var names = DefinitionNames.Read(xml, processId);
        if (xml is not null)
        {
            _names[(processId, version)] = names;
        }

        return names;
    }
}
