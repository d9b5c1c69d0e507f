namespace Trading.Workflow.Engine.Parsing;

public sealed class BpmnParserOptions
{
    /// <summary>10 MB: far above any real procedure (a large one with its diagram is a few hundred KB).</summary>
    public const long DefaultMaxBytes = 10 * 1024 * 1024;

    public static BpmnParserOptions Default { get; } = new();

    /// <summary>
    /// Largest accepted file, in bytes (for a string, its UTF-8 size). Also bounds the characters the XML
    /// reader accepts, as every supported encoding needs at least one byte per character.
    /// </summary>
    public long MaxBytes { get; init; } = DefaultMaxBytes;
}
