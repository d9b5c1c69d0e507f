using System.Text;
using System.Xml;
using System.Xml.Linq;
using Trading.Workflow.Engine.Model;

namespace Trading.Workflow.Engine.Parsing;

/// <summary>
/// Reads BPMN 2.0 XML into <see cref="BpmnDefinitions"/>. Elements are matched by namespace URI, never by
/// prefix. DTDs are refused outright, which rules out external entities (XXE) and entity expansion
/// ("billion laughs"); nothing is ever fetched from a URL or file.
/// </summary>
public static class BpmnParser
{
    private const int MaxCharactersFromEntities = 1024;

    static BpmnParser()
    {
        // GB2312, GBK and GB18030 files come from Chinese modelling tools; .NET only knows them through this provider.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
    }

    /// <summary>Parses a BPMN file from a stream; the encoding comes from the XML declaration or byte-order mark.</summary>
    /// <exception cref="BpmnParseException">The file is unsafe, too large, not well-formed or not BPMN.</exception>
    public static BpmnDefinitions Parse(Stream stream, BpmnParserOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options ??= BpmnParserOptions.Default;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxBytes);
        var bytes = ReadLimited(stream, options.MaxBytes);
        var text = DecodeText(bytes, options);
        return new ModelReader(LoadText(text, options)).Read();
    }

    /// <summary>Parses BPMN XML text. An encoding named in its declaration is ignored: the text is already decoded.</summary>
    /// <exception cref="BpmnParseException">The text is unsafe, too large, not well-formed or not BPMN.</exception>
    public static BpmnDefinitions Parse(string xml, BpmnParserOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(xml);
        options ??= BpmnParserOptions.Default;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxBytes);
        if (xml.Length > options.MaxBytes || Encoding.UTF8.GetByteCount(xml) > options.MaxBytes)
        {
            throw TooLarge(options.MaxBytes);
        }

        return new ModelReader(LoadXml(xml, options)).Read();
    }

    /// <summary>
    /// Reads BPMN XML text into an XML tree under the same rules as <see cref="Parse(string, BpmnParserOptions?)"/>
    /// (size, no DTD, nesting depth, element count) without reading it as BPMN: for every other place that looks
    /// into a model's XML (forms, element names, variables).
    /// </summary>
    /// <exception cref="BpmnParseException">The text is unsafe, too large, too deep or not well-formed.</exception>
    public static XDocument LoadXml(string xml, BpmnParserOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(xml);
        options ??= BpmnParserOptions.Default;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxBytes);
        if (xml.Length > options.MaxBytes || Encoding.UTF8.GetByteCount(xml) > options.MaxBytes)
        {
            throw TooLarge(options.MaxBytes);
        }

        return LoadText(xml, options);
    }

    /// <summary>
    /// Decodes a file's bytes the way the parser reads them: by its byte-order mark, else the encoding its XML
    /// declaration names, else UTF-8; bytes that are not valid in that encoding are refused, never replaced. The
    /// designer reads uploads with it, so a file gets the same answer there as from the command line.
    /// </summary>
    /// <exception cref="BpmnParseException">Too large, empty, an unknown encoding, or bytes invalid in it.</exception>
    public static string DecodeText(byte[] bytes, BpmnParserOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        options ??= BpmnParserOptions.Default;
        if (bytes.LongLength > options.MaxBytes)
        {
            throw TooLarge(options.MaxBytes);
        }

        if (bytes.Length == 0)
        {
            throw Empty();
        }

        var (encodingName, skip) = DetectEncoding(bytes);
        Encoding encoding;
        try
        {
            encoding = Encoding.GetEncoding(encodingName, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
        }
        catch (ArgumentException ex)
        {
            throw new BpmnParseException(
                BpmnParseErrorCodes.Malformed,
                $"无法读取文件的字符编码：{ex.Message}",
                $"The file's character encoding cannot be read: {ex.Message}",
                inner: ex);
        }

        try
        {
            return encoding.GetString(bytes, skip, bytes.Length - skip);
        }
        catch (DecoderFallbackException ex)
        {
            var at = skip + Math.Max(ex.Index, 0);
            var line = Encoding.Latin1.GetString(bytes, 0, Math.Min(at, bytes.Length)).Count(c => c == '\n') + 1;
            if (encoding is UnicodeEncoding)
            {
                line = encoding.GetString(bytes, skip, Math.Max(0, at - skip) & ~1).Count(c => c == '\n') + 1;
            }

            throw new BpmnParseException(
                BpmnParseErrorCodes.InvalidEncoding,
                $"文件第 {line} 行含有在其声明的字符编码 {encodingName.ToUpperInvariant()} 中无效的字节（0x{bytes[Math.Min(at, bytes.Length - 1)]:X2}）。请用正确的编码保存文件后再导入。",
                $"Line {line} of the file holds bytes that are not valid in its declared encoding {encodingName.ToUpperInvariant()} (0x{bytes[Math.Min(at, bytes.Length - 1)]:X2}). Save the file in the right encoding and import it again.",
                line,
                null,
                ex);
        }
    }

    private static readonly System.Text.RegularExpressions.Regex DeclaredEncoding = new(
        @"^<\?xml[^>]*?\sencoding\s*=\s*[""']([A-Za-z][A-Za-z0-9._:-]*)[""']",
        System.Text.RegularExpressions.RegexOptions.CultureInvariant,
        TimeSpan.FromMilliseconds(100));

    /// <summary>The encoding by byte-order mark, UTF-16 without one, or the declaration; and how many mark bytes to skip.</summary>
    private static (string Name, int Skip) DetectEncoding(byte[] bytes)
    {
        var span = bytes.AsSpan();
        if (span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return ("utf-8", 3);
        }

        if (span.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            return ("utf-16LE", 2);
        }

        if (span.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return ("utf-16BE", 2);
        }

        if (span.StartsWith((ReadOnlySpan<byte>)[0x3C, 0x00]))
        {
            return ("utf-16LE", 0);
        }

        if (span.StartsWith((ReadOnlySpan<byte>)[0x00, 0x3C]))
        {
            return ("utf-16BE", 0);
        }

        // The declaration is ASCII in every ASCII-compatible encoding; it ends at the first '>'.
        var end = span[..Math.Min(span.Length, 512)].IndexOf((byte)'>');
        if (end > 0)
        {
            var match = DeclaredEncoding.Match(Encoding.ASCII.GetString(bytes, 0, end + 1));
            if (match.Success)
            {
                return (match.Groups[1].Value, 0);
            }
        }

        return ("utf-8", 0);
    }

    private static XDocument LoadText(string xml, BpmnParserOptions options)
    {
        if (string.IsNullOrWhiteSpace(xml))
        {
            throw Empty();
        }

        return Load(() => XmlReader.Create(new StringReader(xml), CreateSettings(options)), () => FindDoctype(xml), options);
    }

    /// <summary>Parses a BPMN file from disk.</summary>
    /// <exception cref="BpmnParseException">The file is unsafe, too large, not well-formed or not BPMN.</exception>
    public static BpmnDefinitions ParseFile(string path, BpmnParserOptions? options = null)
    {
        using var stream = File.OpenRead(path);
        return Parse(stream, options);
    }

    private static XmlReaderSettings CreateSettings(BpmnParserOptions options) => new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = options.MaxBytes,
        MaxCharactersFromEntities = MaxCharactersFromEntities,
        IgnoreProcessingInstructions = false,
        CloseInput = true,
    };

    /// <param name="findDoctype">The 1-based line of a DOCTYPE in the raw input, or null; asked only when reading fails.</param>
    private static XDocument Load(Func<XmlReader> createReader, Func<int?> findDoctype, BpmnParserOptions options)
    {
        try
        {
            // The shape is checked by a streaming pass first: building the tree of a deeply nested file takes time
            // that grows with the square of its depth (100,000 levels took minutes), the pass only microseconds a level.
            using (var scan = createReader())
            {
                CheckShape(scan, options);
            }

            using var reader = createReader();
            return XDocument.Load(reader, LoadOptions.PreserveWhitespace | LoadOptions.SetLineInfo);
        }
        catch (XmlException ex) when (findDoctype() is { } doctypeLine)
        {
            throw new BpmnParseException(
                BpmnParseErrorCodes.DtdProhibited,
                "文件包含 DTD（<!DOCTYPE>）。出于安全原因，不接受 DTD、外部实体（XXE）和实体展开，请删除 DOCTYPE 声明后再导入。",
                "The file contains a DTD (<!DOCTYPE>). For security, DTDs, external entities (XXE) and entity expansion are refused; remove the DOCTYPE declaration and import again.",
                doctypeLine,
                1,
                ex);
        }
        catch (XmlException ex)
        {
            throw new BpmnParseException(
                BpmnParseErrorCodes.Malformed,
                $"不是格式正确的 XML：{ex.Message}",
                $"Not well-formed XML: {ex.Message}",
                NullIfZero(ex.LineNumber),
                NullIfZero(ex.LinePosition),
                ex);
        }
        catch (ArgumentException ex)
        {
            // An encoding named in the declaration that .NET does not know surfaces as ArgumentException.
            throw new BpmnParseException(
                BpmnParseErrorCodes.Malformed,
                $"无法读取文件的字符编码：{ex.Message}",
                $"The file's character encoding cannot be read: {ex.Message}",
                inner: ex);
        }
    }

    private static void CheckShape(XmlReader reader, BpmnParserOptions options)
    {
        var elements = 0;
        while (reader.Read())
        {
            if (reader.NodeType != XmlNodeType.Element)
            {
                continue;
            }

            var (line, position) = reader is IXmlLineInfo info && info.HasLineInfo() ? (NullIfZero(info.LineNumber), NullIfZero(info.LinePosition)) : (null, null);
            if (reader.Depth >= options.MaxDepth)
            {
                throw new BpmnParseException(
                    BpmnParseErrorCodes.TooDeep,
                    $"XML 元素嵌套超过 {options.MaxDepth} 层，超出允许的上限。",
                    $"The XML elements nest deeper than the allowed {options.MaxDepth} levels.",
                    line,
                    position);
            }

            if (++elements > options.MaxElements)
            {
                throw new BpmnParseException(
                    BpmnParseErrorCodes.TooManyElements,
                    $"文件包含超过 {options.MaxElements:N0} 个 XML 元素，超出允许的上限。",
                    $"The file holds more than the allowed {options.MaxElements:N0} XML elements.",
                    line,
                    position);
            }
        }
    }

    private static int? NullIfZero(int value) => value == 0 ? null : value;

    private static byte[] ReadLimited(Stream stream, long maxBytes)
    {
        if (stream.CanSeek && stream.Length - stream.Position > maxBytes)
        {
            throw TooLarge(maxBytes);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw TooLarge(maxBytes);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>The answer for a file over <paramref name="maxBytes"/>, for callers that know the size before reading (uploads).</summary>
    public static BpmnParseException TooLarge(long maxBytes) =>
        new(
            BpmnParseErrorCodes.TooLarge,
            $"文件超过允许的大小上限（{maxBytes:N0} 字节）。",
            $"The file is larger than the allowed maximum ({maxBytes:N0} bytes).");

    private static BpmnParseException Empty() =>
        new(BpmnParseErrorCodes.Empty, "文件为空。", "The file is empty.");

    private static int? FindDoctype(string xml)
    {
        var index = xml.IndexOf("<!DOCTYPE", StringComparison.Ordinal);
        return index < 0 ? null : xml.AsSpan(0, index).Count('\n') + 1;
    }
}
