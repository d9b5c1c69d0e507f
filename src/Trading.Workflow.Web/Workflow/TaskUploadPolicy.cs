using Trading.Workflow.Domain.Documents;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Web.Forms;

namespace Trading.Workflow.Web.Workflow;

/// <summary>
/// What a file field of a task form accepts: the kinds its <c>accept</c> names (<c>.pdf,.docx</c>), or the kinds of
/// trade documents when it names none, told from the file's content, with a name whose extension agrees. An
/// executable, a script or a renamed file is refused whatever its name says.
/// </summary>
public static class TaskUploadPolicy
{
    public static IReadOnlyList<FileKind> AllowedKinds(FormField field)
    {
        var named = (field.Accept ?? string.Empty)
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(e => e.StartsWith('.') ? e.ToLowerInvariant() : "." + e.ToLowerInvariant())
            .ToHashSet(StringComparer.Ordinal);
        var kinds = Enum.GetValues<FileKind>()
            .Where(k => k != FileKind.Unknown && FileKinds.Extensions(k).Any(named.Contains))
            .ToList();
        return kinds.Count > 0 ? kinds : FilePolicy.TradeDocuments.Allowed;
    }

    /// <summary>The file's kind, or a refusal naming the field and what it accepts. <paramref name="content"/> must be seekable.</summary>
    public static FileKind Check(FormField field, string fileName, Stream content)
    {
        var allowed = AllowedKinds(field);
        var kind = FileKinds.Detect(content);
        var extension = Path.GetExtension(fileName ?? string.Empty).ToLowerInvariant();
        var accepted = string.Join(", ", allowed.SelectMany(FileKinds.Extensions));
        if (!allowed.Contains(kind))
        {
            throw new InvalidVariableException(field.Key ?? "file",
                $"此字段只接受 {accepted} 文件，所选文件的内容不是其中任何一种。",
                $"this field accepts {accepted} files only; the content of the chosen file is none of them.");
        }

        if (!FileKinds.Extensions(kind).Contains(extension))
        {
            throw new InvalidVariableException(field.Key ?? "file",
                $"文件名的扩展名（{extension}）与其内容（{FileKinds.Extensions(kind)[0]}）不符。",
                $"the file name's extension ({extension}) does not match its content ({FileKinds.Extensions(kind)[0]}).");
        }

        return kind;
    }
}
