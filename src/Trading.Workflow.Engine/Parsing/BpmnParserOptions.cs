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

    /// <summary>
    /// Deepest element nesting accepted (the root is level 1). A real procedure with its diagram and extensions
    /// nests fewer than 15 levels; the XML tree builder slows down quadratically with depth, so a deeper file is
    /// refused before any tree is built. Default 100.
    /// </summary>
    public int MaxDepth { get; init; } = 100;

    /// <summary>Most elements accepted in one file. A large procedure with its diagram has a few thousand. Default 100,000.</summary>
    public int MaxElements { get; init; } = 100_000;
}
