namespace Trading.Workflow.Engine.Parsing;

/// <summary>Codes of <see cref="BpmnParseException"/>: why a file could not be read at all.</summary>
public static class BpmnParseErrorCodes
{
    public const string TooLarge = "XML_TOO_LARGE";
    public const string DtdProhibited = "XML_DTD_PROHIBITED";
    public const string Malformed = "XML_MALFORMED";
    public const string NotBpmn = "NOT_BPMN";
    public const string Empty = "XML_EMPTY";
    public const string TooDeep = "XML_TOO_DEEP";
    public const string TooManyElements = "XML_TOO_MANY_ELEMENTS";
    public const string InvalidEncoding = "XML_ENCODING_INVALID";
}

/// <summary>
/// The file could not be read as BPMN: unsafe, too large, not well-formed XML, or not a BPMN document.
/// Problems inside a readable BPMN document are not thrown; see <c>BpmnDefinitions.ParseProblems</c>.
/// </summary>
public sealed class BpmnParseException : Exception
{
    public BpmnParseException(string code, string messageZh, string messageEn, int? lineNumber = null, int? linePosition = null, Exception? inner = null)
        : base(Compose(messageZh, messageEn, lineNumber, linePosition), inner)
    {
        Code = code;
        MessageZh = messageZh;
        MessageEn = messageEn;
        LineNumber = lineNumber;
        LinePosition = linePosition;
    }

    public string Code { get; }

    public string MessageZh { get; }

    public string MessageEn { get; }

    /// <summary>1-based line of the problem, when known.</summary>
    public int? LineNumber { get; }

    /// <summary>1-based column of the problem, when known.</summary>
    public int? LinePosition { get; }

    private static string Compose(string zh, string en, int? line, int? position) =>
        (line, position) switch
        {
            (null, _) => $"{zh} / {en}",
            (_, null) => $"{zh}（第 {line} 行） / {en} (line {line})",
            _ => $"{zh}（第 {line} 行，第 {position} 列） / {en} (line {line}, position {position})",
        };
}
