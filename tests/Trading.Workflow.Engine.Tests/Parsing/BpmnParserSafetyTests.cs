using System.Text;
using Trading.Workflow.Engine.Parsing;

namespace Trading.Workflow.Engine.Tests.Parsing;

public sealed class BpmnParserSafetyTests
{
    static BpmnParserSafetyTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private static BpmnParseException ParseUnsafe(string fileName, BpmnParserOptions? options = null) =>
        Assert.Throws<BpmnParseException>(() => BpmnParser.ParseFile(TestFiles.Parsing(Path.Combine("Unsafe", fileName)), options));

    [Fact]
    public void Parse_ExternalEntity_IsRefusedAsDtdWithLine()
    {
        var error = ParseUnsafe("xxe-external-entity.bpmn");

        Assert.Equal(BpmnParseErrorCodes.DtdProhibited, error.Code);
        Assert.Equal(2, error.LineNumber);
        Assert.Contains("XXE", error.MessageZh, StringComparison.Ordinal);
        Assert.Contains("external entities (XXE)", error.MessageEn, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ExternalDtd_IsRefused()
    {
        var error = ParseUnsafe("external-dtd.bpmn");

        Assert.Equal(BpmnParseErrorCodes.DtdProhibited, error.Code);
    }

    [Fact]
    public void Parse_BillionLaughs_IsRefusedBeforeAnyExpansion()
    {
        var error = ParseUnsafe("billion-laughs.bpmn");

        Assert.Equal(BpmnParseErrorCodes.DtdProhibited, error.Code);
        Assert.Contains("entity expansion", error.MessageEn, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DtdInString_IsRefused()
    {
        var text = File.ReadAllText(TestFiles.Parsing(Path.Combine("Unsafe", "xxe-external-entity.bpmn")));

        var error = Assert.Throws<BpmnParseException>(() => BpmnParser.Parse(text));

        Assert.Equal(BpmnParseErrorCodes.DtdProhibited, error.Code);
    }

    [Fact]
    public void Parse_FileLargerThanConfiguredMaximum_IsRefused()
    {
        var options = new BpmnParserOptions { MaxBytes = 1024 };

        var error = Assert.Throws<BpmnParseException>(() => BpmnParser.ParseFile(TestFiles.Parsing("camunda-modeler-5.bpmn"), options));

        Assert.Equal(BpmnParseErrorCodes.TooLarge, error.Code);
        Assert.Contains("1,024", error.MessageEn, StringComparison.Ordinal);
        Assert.Contains("大小上限", error.MessageZh, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnseekableStreamOverDefaultMaximum_IsRefused()
    {
        using var stream = new FillerStream(BpmnParserOptions.DefaultMaxBytes + 1);

        var error = Assert.Throws<BpmnParseException>(() => BpmnParser.Parse(stream));

        Assert.Equal(BpmnParseErrorCodes.TooLarge, error.Code);
    }

    [Fact]
    public void Parse_StringOverConfiguredMaximum_IsRefused()
    {
        var text = File.ReadAllText(TestFiles.Parsing("default-namespace.bpmn"));

        var error = Assert.Throws<BpmnParseException>(() => BpmnParser.Parse(text, new BpmnParserOptions { MaxBytes = 100 }));

        Assert.Equal(BpmnParseErrorCodes.TooLarge, error.Code);
    }

    [Fact]
    public void Parse_FileAtConfiguredMaximum_IsAccepted()
    {
        var path = TestFiles.Parsing("default-namespace.bpmn");
        var options = new BpmnParserOptions { MaxBytes = new FileInfo(path).Length };

        var definitions = BpmnParser.ParseFile(path, options);

        Assert.Equal("simple", definitions.Processes.Single().Id);
    }

    [Fact]
    public void Parse_MalformedXml_ReportsLineAndBothLanguages()
    {
        var error = ParseUnsafe("malformed.bpmn");

        Assert.Equal(BpmnParseErrorCodes.Malformed, error.Code);
        Assert.Equal(5, error.LineNumber);
        Assert.StartsWith("不是格式正确的 XML", error.MessageZh, StringComparison.Ordinal);
        Assert.StartsWith("Not well-formed XML", error.MessageEn, StringComparison.Ordinal);
        Assert.Contains("第 5 行", error.Message, StringComparison.Ordinal);
        Assert.Contains("line 5", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_XmlThatIsNotBpmn_IsRefused()
    {
        var error = ParseUnsafe("not-bpmn.bpmn");

        Assert.Equal(BpmnParseErrorCodes.NotBpmn, error.Code);
        Assert.Contains("http://maven.apache.org/POM/4.0.0", error.MessageEn, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_EmptyStream_IsRefused()
    {
        using var stream = new MemoryStream();

        var error = Assert.Throws<BpmnParseException>(() => BpmnParser.Parse(stream));

        Assert.Equal(BpmnParseErrorCodes.Empty, error.Code);
    }

    [Fact]
    public void Parse_UnknownDeclaredEncoding_IsRefusedAsMalformed()
    {
        var bytes = Encoding.ASCII.GetBytes("<?xml version=\"1.0\" encoding=\"x-no-such-charset\"?><definitions xmlns=\"http://www.omg.org/spec/BPMN/20100524/MODEL\"/>");
        using var stream = new MemoryStream(bytes);

        var error = Assert.Throws<BpmnParseException>(() => BpmnParser.Parse(stream));

        Assert.Equal(BpmnParseErrorCodes.Malformed, error.Code);
    }

    private static string WithExtension(string inner) =>
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<bpmn:definitions xmlns:bpmn=\"http://www.omg.org/spec/BPMN/20100524/MODEL\" xmlns:x=\"urn:probe\" id=\"d\" targetNamespace=\"t\">"
        + "<bpmn:process id=\"p\" isExecutable=\"true\"><bpmn:startEvent id=\"s\"><bpmn:extensionElements>"
        + inner
        + "</bpmn:extensionElements></bpmn:startEvent></bpmn:process></bpmn:definitions>";

    private static string Nested(int depth) =>
        WithExtension(string.Concat(Enumerable.Repeat("<x:a>", depth)) + string.Concat(Enumerable.Repeat("</x:a>", depth)));

    [Fact]
    public void Parse_DeeplyNestedExtensionElements_IsRefusedBeforeBuildingTheTree()
    {
        // Issue 16 §5: 100,000 nested elements cost 101 CPU-seconds in the designer, 200,000 ran the CLI past 120 s.
        var text = Nested(100_000);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var error = Assert.Throws<BpmnParseException>(() => BpmnParser.Parse(text));

        Assert.Equal(BpmnParseErrorCodes.TooDeep, error.Code);
        Assert.Contains("100", error.MessageEn, StringComparison.Ordinal);
        Assert.Contains("嵌套", error.MessageZh, StringComparison.Ordinal);
        Assert.Equal(2, error.LineNumber);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public void ParseFile_DeeplyNested_IsRefusedAsInTheDesigner()
    {
        var path = Path.Combine(Path.GetTempPath(), $"nested-{Guid.NewGuid():N}.bpmn");
        File.WriteAllText(path, Nested(200_000));
        try
        {
            var error = Assert.Throws<BpmnParseException>(() => BpmnParser.ParseFile(path));

            Assert.Equal(BpmnParseErrorCodes.TooDeep, error.Code);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Parse_NestingAtTheConfiguredDepth_IsAccepted()
    {
        // definitions, process, startEvent and extensionElements are four levels.
        var definitions = BpmnParser.Parse(Nested(6), new BpmnParserOptions { MaxDepth = 10 });

        Assert.Equal("p", definitions.Processes.Single().Id);
        Assert.Equal(BpmnParseErrorCodes.TooDeep, Assert.Throws<BpmnParseException>(() => BpmnParser.Parse(Nested(7), new BpmnParserOptions { MaxDepth = 10 })).Code);
    }

    [Fact]
    public void Parse_MoreElementsThanTheMaximum_IsRefused()
    {
        var text = WithExtension(string.Concat(Enumerable.Repeat("<x:a/>", 200_000)));

        var error = Assert.Throws<BpmnParseException>(() => BpmnParser.Parse(text));

        Assert.Equal(BpmnParseErrorCodes.TooManyElements, error.Code);
        Assert.Contains("100,000", error.MessageEn, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadXml_AppliesTheSameBounds()
    {
        Assert.Equal(BpmnParseErrorCodes.TooDeep, Assert.Throws<BpmnParseException>(() => BpmnParser.LoadXml(Nested(1_000))).Code);
        Assert.Equal(BpmnParseErrorCodes.DtdProhibited, Assert.Throws<BpmnParseException>(() =>
            BpmnParser.LoadXml(File.ReadAllText(TestFiles.Parsing(Path.Combine("Unsafe", "xxe-external-entity.bpmn"))))).Code);
        Assert.Equal("definitions", BpmnParser.LoadXml(Nested(2)).Root!.Name.LocalName);
    }

    [Fact]
    public void Parse_BytesInvalidInUtf8_AreRefusedWithTheirLine()
    {
        var bytes = Encoding.UTF8.GetBytes(WithExtension("").Replace("id=\"s\"", "\n id=\"s\" name=\"#\"", StringComparison.Ordinal));
        bytes[Array.IndexOf(bytes, (byte)'#')] = 0xFF;

        var error = Assert.Throws<BpmnParseException>(() => BpmnParser.Parse(new MemoryStream(bytes)));

        Assert.Equal(BpmnParseErrorCodes.InvalidEncoding, error.Code);
        Assert.Equal(3, error.LineNumber);
        Assert.Contains("UTF-8", error.MessageEn, StringComparison.Ordinal);
    }

    [Fact]
    public void DecodeText_BytesInvalidInDeclaredGbk_AreRefused()
    {
        var text = WithExtension("").Replace("UTF-8", "GBK", StringComparison.Ordinal).Replace("id=\"s\"", "id=\"s\" name=\"审核#\"", StringComparison.Ordinal);
        var bytes = Encoding.GetEncoding("GBK").GetBytes(text);
        // A lead byte followed by '"', which no GBK character has as its second byte.
        bytes[Array.IndexOf(bytes, (byte)'#')] = 0x81;

        var error = Assert.Throws<BpmnParseException>(() => BpmnParser.DecodeText(bytes));

        Assert.Equal(BpmnParseErrorCodes.InvalidEncoding, error.Code);
        Assert.Contains("GBK", error.MessageEn, StringComparison.Ordinal);
    }

    [Fact]
    public void DecodeText_ValidGbk_IsDecodedByItsDeclaration()
    {
        var text = WithExtension("").Replace("UTF-8", "GBK", StringComparison.Ordinal).Replace("id=\"s\"", "id=\"s\" name=\"审核\"", StringComparison.Ordinal);

        var decoded = BpmnParser.DecodeText(Encoding.GetEncoding("GBK").GetBytes(text));

        Assert.Equal(text, decoded);
        Assert.Equal("审核", BpmnParser.Parse(decoded).Processes.Single().Nodes.Single().Name);
    }

    [Fact]
    public void DecodeText_OverTheMaximum_GivesTheSizeMessage()
    {
        var error = Assert.Throws<BpmnParseException>(() => BpmnParser.DecodeText(new byte[2048], new BpmnParserOptions { MaxBytes = 1024 }));

        Assert.Equal(BpmnParseErrorCodes.TooLarge, error.Code);
    }

    /// <summary>An unseekable stream of spaces, so only reading can find out how long it is.</summary>
    private sealed class FillerStream(long length) : Stream
    {
        private long _remaining = length;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, _remaining);
            buffer.AsSpan(offset, n).Fill((byte)' ');
            _remaining -= n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
