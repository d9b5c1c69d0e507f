using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Trading.Workflow.Engine.Expressions;

public enum ExpressionSyntax
{
    /// <summary>FEEL (DMN 1.3), also any text with a leading '=' as Camunda 8 writes it.</summary>
    Feel,

    /// <summary>Exactly one <c>${...}</c> or <c>#{...}</c>, as Camunda 7, Flowable and Activiti write it.</summary>
    Juel,

    /// <summary>Text with <c>${...}</c> parts embedded, rendered as a string (task names, documentation).</summary>
    Template,

    /// <summary>Plain text taken as it is (only from <see cref="ExpressionEngine.CompileValue"/>).</summary>
    Literal,
}

/// <summary>
/// Compiles expression text once into a reusable tree and caches it by text, so conditions evaluated on
/// every token never re-parse. Thread-safe; one instance serves the whole engine.
/// </summary>
public sealed class ExpressionEngine
{
    private readonly ConcurrentDictionary<string, CompiledExpression> _cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CompiledExpression> _templateCache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CompiledExpression> _valueCache = new(StringComparer.Ordinal);

    public ExpressionEngine(ExpressionOptions? options = null)
    {
        Options = options ?? new ExpressionOptions();
        Options.Validate();
    }

    public static ExpressionEngine Default { get; } = new();

    public ExpressionOptions Options { get; }

    /// <summary>Which syntax the text is read as (see <see cref="ExpressionSyntax"/>).</summary>
    public static ExpressionSyntax DetectSyntax(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var (start, end) = Trim(text);
        if (start < end && text[start] == '=')
        {
            return ExpressionSyntax.Feel;
        }

        var open = FindOpen(text, start, end);
        if (open < 0)
        {
            return ExpressionSyntax.Feel;
        }

        var close = FindClose(text, open, end);
        return open == start && close == end - 1 ? ExpressionSyntax.Juel : ExpressionSyntax.Template;
    }

    /// <summary>Compiles an expression (syntax detected from the text).</summary>
    /// <exception cref="ExpressionException">The text does not parse; Position says where.</exception>
    public CompiledExpression Compile(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (_cache.TryGetValue(text, out var cached))
        {
            return cached;
        }

        var compiled = Build(text, forceTemplate: false);
        Remember(_cache, text, compiled);
        return compiled;
    }

    /// <summary>
    /// Compiles text that is shown to people (task names, documentation): plain text stays as it is, every
    /// <c>${...}</c> / <c>#{...}</c> part is evaluated and formatted. Never read as FEEL.
    /// </summary>
    public CompiledExpression CompileTemplate(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (_templateCache.TryGetValue(text, out var cached))
        {
            return cached;
        }

        var compiled = Build(text, forceTemplate: true);
        Remember(_templateCache, text, compiled);
        return compiled;
    }

    /// <summary>
    /// Compiles an attribute value the way Camunda 7 and 8 read one (assignee, candidate users, due date, timer
    /// definition, form key): <c>${...}</c> or <c>#{...}</c> is JUEL, text with embedded <c>${...}</c> a template,
    /// <c>=...</c> FEEL, and anything else a literal string (so <c>P5D</c> or <c>demo</c> stay text).
    /// </summary>
    public CompiledExpression CompileValue(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (_valueCache.TryGetValue(text, out var cached))
        {
            return cached;
        }

        var (start, end) = Trim(text);
        var compiled = (start < end && text[start] == '=') || FindOpen(text, start, end) >= 0
            ? Compile(text)
            : new CompiledExpression(text, ExpressionSyntax.Literal, new ConstNode(text[start..end], start), [], this);
        Remember(_valueCache, text, compiled);
        return compiled;
    }

    public bool TryCompile(string text, [NotNullWhen(true)] out CompiledExpression? expression, [NotNullWhen(false)] out ExpressionException? error)
    {
        try
        {
            expression = Compile(text);
            error = null;
            return true;
        }
        catch (ExpressionException ex)
        {
            expression = null;
            error = ex;
            return false;
        }
    }

    /// <summary>Compiles (or takes from the cache) and evaluates in one call.</summary>
    public object? Evaluate(string text, IVariableScope scope, EvaluationContext context) => Compile(text).Evaluate(scope, context);

    private void Remember(ConcurrentDictionary<string, CompiledExpression> cache, string text, CompiledExpression compiled)
    {
        if (Options.CacheSize == 0)
        {
            return;
        }

        if (cache.Count >= Options.CacheSize)
        {
            // Procedures use a bounded set of expressions; hitting the limit means churn, and a reset is the cheap cure.
            cache.Clear();
        }

        cache.TryAdd(text, compiled);
    }

    private CompiledExpression Build(string text, bool forceTemplate)
    {
        try
        {
            if (text.Length > Options.MaxLength)
            {
                throw new ExpressionException(ExpressionErrorCode.TooLong,
                    $"表达式长度 {text.Length} 超过上限 {Options.MaxLength}", $"the expression is {text.Length} characters long, more than the limit of {Options.MaxLength}", 0);
            }

            var variables = new HashSet<string>(StringComparer.Ordinal);
            if (forceTemplate)
            {
                return new CompiledExpression(text, ExpressionSyntax.Template, BuildTemplate(text, 0, text.Length, variables), variables, this);
            }

            var (start, end) = Trim(text);
            if (start == end)
            {
                throw new ExpressionException(ExpressionErrorCode.Syntax, "表达式为空", "the expression is empty", 0);
            }

            if (text[start] == '=')
            {
                return new CompiledExpression(text, ExpressionSyntax.Feel, ParseFeel(text, start + 1, end, variables), variables, this);
            }

            var open = FindOpen(text, start, end);
            if (open < 0)
            {
                return new CompiledExpression(text, ExpressionSyntax.Feel, ParseFeel(text, start, end, variables), variables, this);
            }

            var close = FindClose(text, open, end);
            if (close < 0)
            {
                throw ExpressionException.At(ExpressionErrorCode.Syntax, open, "'${' 没有对应的 '}'", "'${' has no closing '}'");
            }

            if (open == start && close == end - 1)
            {
                return new CompiledExpression(text, ExpressionSyntax.Juel, ParseJuel(text, open + 2, close, variables), variables, this);
            }

            return new CompiledExpression(text, ExpressionSyntax.Template, BuildTemplate(text, 0, text.Length, variables), variables, this);
        }
        catch (ExpressionException ex)
        {
            throw ex.WithExpression(text);
        }
    }

    private Node ParseFeel(string text, int start, int end, HashSet<string> variables)
    {
        var tokens = Lexer.Tokenize(text, start, end);
        if (tokens.Count == 1)
        {
            throw ExpressionException.At(ExpressionErrorCode.Syntax, start, "表达式为空", "the expression is empty");
        }

        var parser = new FeelParser(tokens, Options.MaxDepth, variables);
        var node = parser.ParseExpression();
        parser.ExpectEnd();
        return node;
    }

    private Node ParseJuel(string text, int start, int end, HashSet<string> variables)
    {
        var tokens = Lexer.Tokenize(text, start, end);
        if (tokens.Count == 1)
        {
            throw ExpressionException.At(ExpressionErrorCode.Syntax, start, "'${}' 中没有表达式", "there is no expression inside '${}'");
        }

        var parser = new JuelParser(tokens, Options.MaxDepth, variables);
        var node = parser.ParseExpression();
        parser.ExpectEnd();
        return node;
    }

    private Node BuildTemplate(string text, int start, int end, HashSet<string> variables)
    {
        var literals = new List<string>();
        var parts = new List<Node>();
        var literal = new System.Text.StringBuilder();
        var i = start;
        while (i < end)
        {
            var c = text[i];
            if (c == '\\' && i + 2 < end && text[i + 1] is '$' or '#' && text[i + 2] == '{')
            {
                // \${ writes a literal ${, as in EL.
                literal.Append(text[i + 1]).Append('{');
                i += 3;
                continue;
            }

            if (c is '$' or '#' && i + 1 < end && text[i + 1] == '{')
            {
                var close = FindClose(text, i, end);
                if (close < 0)
                {
                    throw ExpressionException.At(ExpressionErrorCode.Syntax, i, "'${' 没有对应的 '}'", "'${' has no closing '}'");
                }

                literals.Add(literal.ToString());
                literal.Clear();
                parts.Add(ParseJuel(text, i + 2, close, variables));
                i = close + 1;
                continue;
            }

            literal.Append(c);
            i++;
        }

        literals.Add(literal.ToString());
        if (parts.Count == 0)
        {
            return new ConstNode(literals[0], start);
        }

        return new TemplateNode([.. literals], [.. parts], start);
    }

    private static (int Start, int End) Trim(string text)
    {
        var start = 0;
        var end = text.Length;
        while (start < end && char.IsWhiteSpace(text[start]))
        {
            start++;
        }

        while (end > start && char.IsWhiteSpace(text[end - 1]))
        {
            end--;
        }

        return (start, end);
    }

    private static int FindOpen(string text, int start, int end)
    {
        for (var i = start; i + 1 < end; i++)
        {
            if (text[i] is '$' or '#' && text[i + 1] == '{' && (i == 0 || text[i - 1] != '\\'))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// The '}' closing the <c>${</c> or <c>#{</c> at <paramref name="open"/>, skipping braces and quotes inside; -1 if
    /// none. Pages that show a template part by part (the web's DisplayNames) split it as the engine does.
    /// </summary>
    public static int ClosingBrace(string text, int open)
    {
        ArgumentNullException.ThrowIfNull(text);
        return FindClose(text, open, text.Length);
    }

    /// <summary>The '}' closing the <c>${</c> at <paramref name="open"/>, skipping braces and quotes inside; -1 if none.</summary>
    private static int FindClose(string text, int open, int end)
    {
        var depth = 0;
        char quote = '\0';
        for (var i = open + 2; i < end; i++)
        {
            var c = text[i];
            if (quote != '\0')
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == quote)
                {
                    quote = '\0';
                }

                continue;
            }

            switch (c)
            {
                case '\'' or '"':
                    quote = c;
                    break;
                case '{':
                    depth++;
                    break;
                case '}' when depth == 0:
                    return i;
                case '}':
                    depth--;
                    break;
            }
        }

        return -1;
    }
}
