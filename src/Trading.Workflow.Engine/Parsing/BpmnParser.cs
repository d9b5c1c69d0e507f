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
        if (bytes.Length == 0)
        {
            throw Empty();
        }

        var document = Load(() => XmlReader.Create(new MemoryStream(bytes, writable: false), CreateSettings(options)), () => FindDoctype(bytes));
        return new ModelReader(document).Read();
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

        if (string.IsNullOrWhiteSpace(xml))
        {
            throw Empty();
        }

        var document = Load(() => XmlReader.Create(new StringReader(xml), CreateSettings(options)), () => FindDoctype(xml));
        return new ModelReader(document).Read();
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
    private static XDocument Load(Func<XmlReader> createReader, Func<int?> findDoctype)
    {
        try
        {
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

    private static BpmnParseException TooLarge(long maxBytes) =>
        new(
            BpmnParseErrorCodes.TooLarge,
            $"文件超过允许的大小上限（{maxBytes:N0} 字节）。",
            $"The file is larger than the allowed maximum ({maxBytes:N0} bytes).");

    private static BpmnParseException Empty() =>
        new(BpmnParseErrorCodes.Empty, "文件为空。", "The file is empty.");

    /// <summary>Finds a DOCTYPE in the raw bytes, written in any ASCII-compatible encoding or in UTF-16; returns its line.</summary>
    private static int? FindDoctype(byte[] bytes)
    {
        foreach (var (pattern, newline) in new[]
        {
            ("<!DOCTYPE"u8.ToArray(), "\n"u8.ToArray()),
            (Encoding.Unicode.GetBytes("<!DOCTYPE"), Encoding.Unicode.GetBytes("\n")),
            (Encoding.BigEndianUnicode.GetBytes("<!DOCTYPE"), Encoding.BigEndianUnicode.GetBytes("\n")),
        })
        {
            var index = bytes.AsSpan().IndexOf(pattern);
            if (index >= 0)
            {
                return bytes.AsSpan(0, index).Count(newline) + 1;
            }
        }

        return null;
    }

    private static int? FindDoctype(string xml)
    {
        var index = xml.IndexOf("<!DOCTYPE", StringComparison.Ordinal);
        return index < 0 ? null : xml.AsSpan(0, index).Count('\n') + 1;
    }
}
