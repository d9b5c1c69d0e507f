using System.Text;
using System.Text.RegularExpressions;

namespace Trading.Workflow.Domain.Notices;

/// <summary>
/// The name a notice's file (a 中标通知书, a 成交确认书...) downloads under: what it is, the project code and what tells
/// it apart (the section, the recipient), joined by "-". Readable in a downloads folder (it used to be an English
/// kind, the code and a GUID) and safe on Windows: no reserved character or device name, no trailing dot or space.
/// </summary>
public static partial class NoticeFileName
{
    /// <summary>Longest name (extension included): well under the 255 a file system allows and the store's 200.</summary>
    public const int MaxLength = 120;

    private const string Fallback = "notice";

    /// <summary>The parts (empty ones skipped) made a file name ending in <paramref name="extension"/> (".pdf").</summary>
    public static string Of(string extension, params string?[] parts)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(extension);
        ArgumentNullException.ThrowIfNull(parts);
        var stem = string.Join("-", parts.Where(p => !string.IsNullOrWhiteSpace(p)).Select(Clean).Where(p => p.Length > 0));
        var room = MaxLength - extension.Length;
        if (stem.Length > room)
        {
            // Never cut a character in two (a CJK extension character is a surrogate pair).
            stem = stem[..(char.IsHighSurrogate(stem[room - 1]) ? room - 1 : room)];
        }

        stem = stem.TrimEnd('.', ' ', '-');
        if (stem.Length == 0)
        {
            stem = Fallback;
        }

        // CON, NUL, COM1... name a device on Windows, with any extension.
        if (ReservedName().IsMatch(stem.Split('.')[0]))
        {
            stem = "_" + stem;
        }

        return stem + extension;
    }

    private static string Clean(string? part)
    {
        var text = new StringBuilder(part!.Length);
        foreach (var c in part.Trim())
        {
            // A tab or a line break in a title is a space; other control characters and Windows' reserved ones are "_".
            text.Append(char.IsWhiteSpace(c) ? ' ' : c is '<' or '>' or ':' or '"' or '/' or '\\' or '|' or '?' or '*' || char.IsControl(c) ? '_' : c);
        }

        return Spaces().Replace(text.ToString(), " ").Trim('.', ' ');
    }

    [GeneratedRegex(@"^(CON|PRN|AUX|NUL|COM[0-9]|LPT[0-9])$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ReservedName();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
