using System.Text;
using Trading.Workflow.Engine.Parsing;

namespace Trading.Workflow.Engine.Tests.Parsing;

public sealed class BpmnParserSafetyTests
{
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
