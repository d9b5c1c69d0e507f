namespace Trading.Workflow.Engine.Expressions;

/// <summary>Sandbox limits of the expression engine. The defaults suit conditions and mappings of procedures.</summary>
public sealed class ExpressionOptions
{
    public const string SectionName = "Workflow:Expressions";

    /// <summary>Longest expression text accepted (characters). Default 10,000.</summary>
    public int MaxLength { get; set; } = 10_000;

    /// <summary>Deepest nesting the parser accepts: parentheses, unary operators and chained binary operators each count one level. Default 100.</summary>
    public int MaxDepth { get; set; } = 100;

    /// <summary>Evaluation steps (operators, calls, loop iterations) one evaluation may take. Default 100,000.</summary>
    public int MaxSteps { get; set; } = 100_000;

    /// <summary>
    /// Memory budget of one evaluation: the characters of every string and the items of every list and context it
    /// creates, counted before each is made, so a model cannot make the server build gigabytes of text. Default
    /// 2,000,000 (about 4 MB of text).
    /// </summary>
    public int MemoryBudget { get; set; } = 2_000_000;

    /// <summary>Wall-clock limit of one evaluation. Default 1 second.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Limit of one regular-expression match. Default 100 ms.</summary>
    public TimeSpan RegexTimeout { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Compiled expressions kept by text; the cache is emptied when it grows beyond this. Default 10,000.</summary>
    public int CacheSize { get; set; } = 10_000;

    internal void Validate()
    {
        if (MaxLength <= 0 || MaxDepth <= 0 || MaxSteps <= 0 || MemoryBudget <= 0 || Timeout <= TimeSpan.Zero || RegexTimeout <= TimeSpan.Zero || CacheSize < 0)
        {
            throw new ArgumentException("ExpressionOptions: MaxLength, MaxDepth, MaxSteps, MemoryBudget, Timeout and RegexTimeout must be positive, CacheSize not negative.");
        }
    }
}
