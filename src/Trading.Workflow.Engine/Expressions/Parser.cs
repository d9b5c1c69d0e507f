using Trading.Workflow.Engine.Values;

namespace Trading.Workflow.Engine.Expressions;

/// <summary>Token cursor, nesting guard and error helpers shared by the FEEL and JUEL parsers.</summary>
internal abstract class ParserBase(List<Token> tokens, int maxDepth, HashSet<string> variables)
{
    private readonly List<Token> _tokens = tokens;
    private readonly int _maxDepth = maxDepth;
    private int _depth;

    protected int Index { get; set; }

    protected HashSet<string> Variables { get; } = variables;

    protected Token Current => _tokens[Index];

    protected Token PeekAt(int offset) => _tokens[Math.Min(Index + offset, _tokens.Count - 1)];

    protected Token Next() => _tokens[Index < _tokens.Count - 1 ? Index++ : Index];

    protected bool AcceptPunct(string punct)
    {
        if (Current.Is(punct))
        {
            Index++;
            return true;
        }

        return false;
    }

    protected bool AcceptWord(string word)
    {
        if (Current.IsWord(word))
        {
            Index++;
            return true;
        }

        return false;
    }

    protected Token ExpectPunct(string punct) =>
        Current.Is(punct) ? Next() : throw Unexpected($"'{punct}'");

    protected void ExpectWord(string word)
    {
        if (!AcceptWord(word))
        {
            throw Unexpected($"'{word}'");
        }
    }

    /// <summary>
    /// A left-associative chain <c>operand (operator operand)*</c>: each operator found by <paramref name="isOperator"/>
    /// is combined with the operands so far; every link counts one level of nesting.
    /// </summary>
    protected Node LeftAssociative(Func<Node> operand, Func<Token, bool> isOperator, Func<Node, Token, Node, Node> combine)
    {
        var left = operand();
        var chain = 0;
        while (isOperator(Current))
        {
            Enter();
            chain++;
            var op = Next();
            left = combine(left, op, operand());
        }

        Leave(chain);
        return left;
    }

    /// <summary>An arithmetic operator token (+ - * / % ** and JUEL's div, mod) as a binary node.</summary>
    protected static BinaryNode Arithmetic(Node left, Token op, Node right, bool juel)
    {
        var kind = op.Text switch
        {
            "+" => BinaryOp.Add,
            "-" => BinaryOp.Subtract,
            "*" => BinaryOp.Multiply,
            "/" or "div" => BinaryOp.Divide,
            "%" or "mod" => BinaryOp.Modulo,
            _ => BinaryOp.Power,
        };
        return new BinaryNode(kind, op.Text, left, right, juel, op.Position);
    }

    protected void Enter()
    {
        if (++_depth > _maxDepth)
        {
            throw ExpressionException.At(ExpressionErrorCode.NestingTooDeep, Current.Position,
                $"表达式嵌套超过 {_maxDepth} 层", $"the expression is nested deeper than {_maxDepth} levels");
        }
    }

    protected void Leave() => _depth--;

    protected void Leave(int count) => _depth -= count;

    public void ExpectEnd()
    {
        if (Current.Kind != TokenKind.End)
        {
            throw ExpressionException.At(ExpressionErrorCode.Syntax, Current.Position,
                $"多余的内容 '{Current.Text}'", $"unexpected '{Current.Text}' after the end of the expression");
        }
    }

    protected ExpressionException Unexpected(string expected)
    {
        var found = Current.Kind == TokenKind.End ? "表达式结尾" : $"'{Current.Text}'";
        var foundEn = Current.Kind == TokenKind.End ? "the end of the expression" : $"'{Current.Text}'";
        return ExpressionException.At(ExpressionErrorCode.Syntax, Current.Position, $"此处应为 {expected}，却是 {found}", $"expected {expected} but found {foundEn}");
    }

    protected static ExpressionException UnknownFunction(string name, int pos) =>
        ExpressionException.At(ExpressionErrorCode.UnknownFunction, pos, $"未知函数 '{name}'", $"unknown function '{name}'");

    protected static void CheckArity(Builtin function, int count, int pos)
    {
        if (count < function.MinArgs || count > function.MaxArgs)
        {
            var range = function.MinArgs == function.MaxArgs ? $"{function.MinArgs}"
                : function.MaxArgs == int.MaxValue ? $"{function.MinArgs}+" : $"{function.MinArgs}-{function.MaxArgs}";
            throw ExpressionException.At(ExpressionErrorCode.WrongArgumentCount, pos,
                $"函数 '{function.Name}' 需要 {range} 个参数，给了 {count} 个", $"the function '{function.Name}' takes {range} argument(s), {count} given");
        }
    }

    protected Node Variable(Token token)
    {
        Variables.Add(token.Text);
        return new VariableNode(token.Text, token.Position);
    }

    protected List<Node> Arguments(Func<Node> parseArgument)
    {
        var args = new List<Node>();
        if (AcceptPunct(")"))
        {
            return args;
        }

        do
        {
            args.Add(parseArgument());
        }
        while (AcceptPunct(","));

        ExpectPunct(")");
        return args;
    }

    public abstract Node ParseExpression();
}

/// <summary>FEEL (DMN 1.3 §10): the subset listed in Expressions/README.md.</summary>
internal sealed class FeelParser(List<Token> tokens, int maxDepth, HashSet<string> variables) : ParserBase(tokens, maxDepth, variables)
{
    public override Node ParseExpression() => Disjunction();

    private Node Disjunction() =>
        LeftAssociative(Conjunction, t => t.IsWord("or") || t.Is("||"), (left, op, right) => new OrNode(left, right, false, op.Position));

    private Node Conjunction() =>
        LeftAssociative(Comparison, t => t.IsWord("and") || t.Is("&&"), (left, op, right) => new AndNode(left, right, false, op.Position));

    private Node Comparison()
    {
        var left = Additive();
        var t = Current;
        if (t.Kind == TokenKind.Punct && t.Text is "=" or "==" or "!=" or "<" or "<=" or ">" or ">=")
        {
            Next();
            var op = t.Text switch
            {
                "=" or "==" => BinaryOp.Equal,
                "!=" => BinaryOp.NotEqual,
                "<" => BinaryOp.Less,
                "<=" => BinaryOp.LessOrEqual,
                ">" => BinaryOp.Greater,
                _ => BinaryOp.GreaterOrEqual,
            };
            return new BinaryNode(op, t.Text, left, Additive(), false, t.Position);
        }

        if (AcceptWord("between"))
        {
            var low = Additive();
            ExpectWord("and");
            return new BetweenNode(left, low, Additive(), t.Position);
        }

        if (AcceptWord("in"))
        {
            return new InNode(left, UnaryTests(), t.Position);
        }

        return left;
    }

    /// <summary>The right side of <c>in</c>: one test, or several in parentheses.</summary>
    private UnaryTest[] UnaryTests()
    {
        if (Current.Is("(") && TryRange() is { } range)
        {
            return [range];
        }

        if (Current.Is("(") && !PeekAt(1).Is(")"))
        {
            var start = Index;
            Next();
            var tests = new List<UnaryTest>();
            try
            {
                do
                {
                    tests.Add(UnaryTest());
                }
                while (AcceptPunct(","));

                ExpectPunct(")");
                return [.. tests];
            }
            catch (ExpressionException ex) when (ex.Code == ExpressionErrorCode.Syntax)
            {
                Index = start;
            }
        }

        return [UnaryTest()];
    }

    private UnaryTest UnaryTest()
    {
        var t = Current;
        if (t.Kind == TokenKind.Punct && t.Text is "<" or "<=" or ">" or ">=" or "=" or "!=")
        {
            Next();
            return new UnaryTest(t.Text, Additive(), null, null, false, false, t.Position);
        }

        if (t.Is("[") || t.Is("]") || t.Is("("))
        {
            if (TryRange() is { } range)
            {
                return range;
            }
        }

        return new UnaryTest(null, Additive(), null, null, false, false, t.Position);
    }

    /// <summary>Parses <c>[a..b]</c>, <c>(a..b)</c>, <c>]a..b[</c> and mixes; restores the cursor and returns null when it is not a range.</summary>
    private UnaryTest? TryRange()
    {
        var start = Index;
        var open = Next();
        try
        {
            var low = Additive();
            if (!AcceptPunct(".."))
            {
                Index = start;
                return null;
            }

            var high = Additive();
            var close = Current;
            if (!(close.Is("]") || close.Is(")") || close.Is("[")))
            {
                throw Unexpected("']' or ')'");
            }

            Next();
            return new UnaryTest(null, null, low, high, open.Is("["), close.Is("]"), open.Position);
        }
        catch (ExpressionException ex) when (ex.Code == ExpressionErrorCode.Syntax)
        {
            Index = start;
            return null;
        }
    }

    private Node Additive() =>
        LeftAssociative(Multiplicative, t => t.Is("+") || t.Is("-"), (left, op, right) => Arithmetic(left, op, right, juel: false));

    private Node Multiplicative() =>
        LeftAssociative(Power, t => t.Is("*") || t.Is("/") || t.Is("%"), (left, op, right) => Arithmetic(left, op, right, juel: false));

    private Node Power() =>
        LeftAssociative(Unary, t => t.Is("**"), (left, op, right) => Arithmetic(left, op, right, juel: false));

    private Node Unary()
    {
        Enter();
        try
        {
            var t = Current;
            if (AcceptPunct("-"))
            {
                var operand = Unary();
                return operand is ConstNode { Value: decimal d } ? new ConstNode(-d, t.Position) : new NegateNode(operand, false, t.Position);
            }

            if ((t.IsWord("not") && PeekAt(1).Is("(")) || t.Is("!"))
            {
                Next();
                return new NotNode(Unary(), false, t.Position);
            }

            return Postfix(Primary());
        }
        finally
        {
            Leave();
        }
    }

    private Node Postfix(Node node)
    {
        while (true)
        {
            var t = Current;
            if (AcceptPunct("."))
            {
                var name = Next();
                if (name.Kind is not (TokenKind.Name or TokenKind.QuotedName))
                {
                    Index--;
                    throw Unexpected("a name");
                }

                // Multi-word properties of dates ("time offset").
                var property = name.Text;
                if (property == "time" && Current.IsWord("offset"))
                {
                    Next();
                    property = "time offset";
                }

                if (Current.Is("("))
                {
                    throw UnknownFunction(property, name.Position);
                }

                node = new PropertyNode(node, property, false, t.Position);
            }
            else if (AcceptPunct("["))
            {
                var filter = ParseExpression();
                ExpectPunct("]");
                node = new FeelFilterNode(node, filter, t.Position);
            }
            else
            {
                return node;
            }
        }
    }

    private Node Primary()
    {
        var t = Current;
        switch (t.Kind)
        {
            case TokenKind.Number:
                Next();
                return new ConstNode(t.Number, t.Position);
            case TokenKind.String:
                Next();
                return new ConstNode(t.Text, t.Position);
            case TokenKind.QuotedName:
                Next();
                return Variable(t);
            case TokenKind.At:
                Next();
                var literal = Next();
                if (literal.Kind != TokenKind.String)
                {
                    Index--;
                    throw Unexpected("a string after '@'");
                }

                return new ConstNode(TemporalLiteral(literal), t.Position);
            case TokenKind.Name:
                return NameOrCall();
        }

        if (AcceptPunct("?"))
        {
            // The input value inside a unary test: x in (? > 5).
            return new VariableNode("?", t.Position);
        }

        if (AcceptPunct("("))
        {
            var inner = ParseExpression();
            ExpectPunct(")");
            return inner;
        }

        if (AcceptPunct("["))
        {
            var items = new List<Node>();
            if (!AcceptPunct("]"))
            {
                do
                {
                    items.Add(ParseExpression());
                }
                while (AcceptPunct(","));

                ExpectPunct("]");
            }

            return Fold(new ListNode([.. items], t.Position), items);
        }

        if (AcceptPunct("{"))
        {
            var keys = new List<string>();
            var values = new List<Node>();
            if (!AcceptPunct("}"))
            {
                do
                {
                    var key = Next();
                    if (key.Kind is not (TokenKind.Name or TokenKind.String or TokenKind.QuotedName))
                    {
                        Index--;
                        throw Unexpected("a context key");
                    }

                    if (keys.Contains(key.Text))
                    {
                        throw ExpressionException.At(ExpressionErrorCode.Syntax, key.Position, $"键 '{key.Text}' 重复", $"the key '{key.Text}' appears twice");
                    }

                    ExpectPunct(":");
                    keys.Add(key.Text);
                    values.Add(ParseExpression());
                }
                while (AcceptPunct(","));

                ExpectPunct("}");
            }

            return new ContextNode([.. keys], [.. values], t.Position);
        }

        throw Unexpected("a value");
    }

    private static Node Fold(ListNode node, List<Node> items)
    {
        foreach (var item in items)
        {
            if (item is not ConstNode)
            {
                return node;
            }
        }

        var values = new object?[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            values[i] = ((ConstNode)items[i]).Value;
        }

        return new ConstNode(values, node.Position);
    }

    private static object TemporalLiteral(Token literal)
    {
        var text = literal.Text;
        if (Builtins.TryParseDate(text, out var date))
        {
            return date;
        }

        if (VariableValues.TryParseDuration(text, out var duration))
        {
            return duration;
        }

        if (text.Length >= 19 && (text.Contains('+') || text.EndsWith('Z') || text.LastIndexOf('-') > 10)
            && DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var dateTime))
        {
            return dateTime;
        }

        throw ExpressionException.At(ExpressionErrorCode.Syntax, literal.Position,
            $"'{text}' 不是日期、带时区的日期时间或时长", $"'{text}' is not a date, a date and time with an offset, or a duration");
    }

    private Node NameOrCall()
    {
        var t = Current;
        switch (t.Text)
        {
            case "true":
                Next();
                return new ConstNode(VariableValues.True, t.Position);
            case "false":
                Next();
                return new ConstNode(VariableValues.False, t.Position);
            case "null":
                Next();
                return new ConstNode(null, t.Position);
            case "if":
                Next();
                var condition = ParseExpression();
                ExpectWord("then");
                var then = ParseExpression();
                ExpectWord("else");
                return new ConditionalNode(condition, then, ParseExpression(), false, t.Position);
            case "for":
            case "some":
            case "every":
                return Iteration();
        }

        if (Current.IsWord("is") && PeekAt(1).IsWord("defined") && PeekAt(2).Is("("))
        {
            Index += 3;
            var target = ParseExpression();
            ExpectPunct(")");
            return new IsDefinedNode(target, t.Position);
        }

        var name = MatchMultiWord() ?? t.Text;
        if (name == t.Text)
        {
            Next();
        }

        if (!Current.Is("("))
        {
            return Variable(t);
        }

        if (!Builtins.Feel.TryGetValue(name, out var function))
        {
            throw UnknownFunction(name, t.Position);
        }

        Next();
        var args = Arguments(ParseExpression);
        CheckArity(function, args.Count, t.Position);
        return new CallNode(function, [.. args], t.Position);
    }

    /// <summary>Joins the tokens of a multi-word function name (string length, date and time) when a '(' follows.</summary>
    private string? MatchMultiWord()
    {
        foreach (var words in Builtins.FeelMultiWord)
        {
            var matched = true;
            for (var i = 0; i < words.Length && matched; i++)
            {
                var token = PeekAt(i);
                matched = token.Kind == TokenKind.Name && token.Text == words[i];
            }

            if (matched && PeekAt(words.Length).Is("("))
            {
                Index += words.Length;
                return string.Join(' ', words);
            }
        }

        return null;
    }

    private Node Iteration()
    {
        var t = Next();
        var names = new List<string>();
        var sources = new List<Node>();
        do
        {
            var name = Next();
            if (name.Kind is not (TokenKind.Name or TokenKind.QuotedName))
            {
                Index--;
                throw Unexpected("a name");
            }

            ExpectWord("in");
            var source = ParseExpression();
            if (AcceptPunct(".."))
            {
                source = new NumberRangeNode(source, ParseExpression(), name.Position);
            }

            names.Add(name.Text);
            sources.Add(source);
        }
        while (AcceptPunct(","));

        ExpectWord(t.Text == "for" ? "return" : "satisfies");
        var body = ParseExpression();
        foreach (var name in names)
        {
            Variables.Remove(name);
        }

        return new IterationNode(t.Text, [.. names], [.. sources], body, t.Position);
    }
}

/// <summary>JUEL / Unified EL as Camunda 7, Flowable and Activiti write it inside <c>${...}</c> or <c>#{...}</c>.</summary>
internal sealed class JuelParser(List<Token> tokens, int maxDepth, HashSet<string> variables) : ParserBase(tokens, maxDepth, variables)
{
    private static readonly HashSet<string> VariableRoots = new(StringComparer.Ordinal) { "execution", "task" };

    public override Node ParseExpression()
    {
        var condition = Or();
        var t = Current;
        if (!AcceptPunct("?"))
        {
            return condition;
        }

        Enter();
        var then = ParseExpression();
        ExpectPunct(":");
        var otherwise = ParseExpression();
        Leave();
        return new ConditionalNode(condition, then, otherwise, true, t.Position);
    }

    private Node Or() =>
        LeftAssociative(And, t => t.Is("||") || t.IsWord("or"), (left, op, right) => new OrNode(left, right, true, op.Position));

    private Node And() =>
        LeftAssociative(Equality, t => t.Is("&&") || t.IsWord("and"), (left, op, right) => new AndNode(left, right, true, op.Position));

    private Node Equality() =>
        LeftAssociative(Relational, t => t.Is("==") || t.IsWord("eq") || t.Is("!=") || t.IsWord("ne"), (left, op, right) =>
            new BinaryNode(op.Is("==") || op.IsWord("eq") ? BinaryOp.Equal : BinaryOp.NotEqual, op.Text, left, right, true, op.Position));

    private Node Relational() =>
        LeftAssociative(Additive, t => RelationalOp(t) is not null, (left, op, right) => new BinaryNode(RelationalOp(op)!.Value, op.Text, left, right, true, op.Position));

    private static BinaryOp? RelationalOp(Token t) => t.Kind is not (TokenKind.Punct or TokenKind.Name) ? null : t.Text switch
    {
        "<" or "lt" => BinaryOp.Less,
        "<=" or "le" => BinaryOp.LessOrEqual,
        ">" or "gt" => BinaryOp.Greater,
        ">=" or "ge" => BinaryOp.GreaterOrEqual,
        _ => null,
    };

    private Node Additive() =>
        LeftAssociative(Multiplicative, t => t.Is("+") || t.Is("-"), (left, op, right) => Arithmetic(left, op, right, juel: true));

    private Node Multiplicative() =>
        LeftAssociative(Unary, t => t.Is("*") || t.Is("/") || t.IsWord("div") || t.Is("%") || t.IsWord("mod"), (left, op, right) => Arithmetic(left, op, right, juel: true));

    private Node Unary()
    {
        Enter();
        try
        {
            var t = Current;
            if (AcceptPunct("-"))
            {
                var operand = Unary();
                return operand is ConstNode { Value: decimal d } ? new ConstNode(-d, t.Position) : new NegateNode(operand, true, t.Position);
            }

            if (AcceptPunct("!") || AcceptWord("not"))
            {
                return new NotNode(Unary(), true, t.Position);
            }

            if (AcceptWord("empty"))
            {
                return new EmptyNode(Unary(), t.Position);
            }

            return Postfix(Primary());
        }
        finally
        {
            Leave();
        }
    }

    private Node Postfix(Node node)
    {
        while (true)
        {
            var t = Current;
            if (AcceptPunct("."))
            {
                var name = Next();
                if (name.Kind != TokenKind.Name)
                {
                    Index--;
                    throw Unexpected("a property name");
                }

                if (AcceptPunct("("))
                {
                    var args = Arguments(ParseExpression);
                    node = Method(node, name, args);
                }
                else
                {
                    node = new PropertyNode(node, name.Text, true, t.Position);
                }
            }
            else if (AcceptPunct("["))
            {
                var index = ParseExpression();
                ExpectPunct("]");
                node = new JuelIndexNode(node, index, t.Position);
            }
            else
            {
                return node;
            }
        }
    }

    private Node Method(Node target, Token name, List<Node> args)
    {
        // Camunda's execution.getVariable('x') / hasVariable('x'): reading a variable that may be absent.
        if (target is VariableNode { Name: var root } && VariableRoots.Contains(root) && args.Count == 1 && args[0] is ConstNode { Value: string variable })
        {
            var kind = name.Text switch
            {
                "getVariable" or "getVariableLocal" => "get",
                "hasVariable" or "hasVariableLocal" => "exists",
                _ => null,
            };
            if (kind is not null)
            {
                Variables.Remove(root);
                Variables.Add(variable);
                return new VariableAccessNode(kind, variable, null, name.Position);
            }
        }

        if (!Builtins.MethodNames.Contains(name.Text))
        {
            throw UnknownFunction(name.Text, name.Position);
        }

        return new MethodNode(target, name.Text, [.. args], name.Position);
    }

    private Node Primary()
    {
        var t = Current;
        switch (t.Kind)
        {
            case TokenKind.Number:
                Next();
                return new ConstNode(t.Number, t.Position);
            case TokenKind.String:
                Next();
                return new ConstNode(t.Text, t.Position);
            case TokenKind.Name:
                return NameOrCall();
        }

        if (AcceptPunct("("))
        {
            var inner = ParseExpression();
            ExpectPunct(")");
            return inner;
        }

        if (AcceptPunct("["))
        {
            var items = new List<Node>();
            if (!AcceptPunct("]"))
            {
                do
                {
                    items.Add(ParseExpression());
                }
                while (AcceptPunct(","));

                ExpectPunct("]");
            }

            return new ListNode([.. items], t.Position);
        }

        if (AcceptPunct("{"))
        {
            var keys = new List<string>();
            var values = new List<Node>();
            if (!AcceptPunct("}"))
            {
                do
                {
                    var key = Next();
                    if (key.Kind is not (TokenKind.Name or TokenKind.String))
                    {
                        Index--;
                        throw Unexpected("a map key");
                    }

                    ExpectPunct(":");
                    keys.Add(key.Text);
                    values.Add(ParseExpression());
                }
                while (AcceptPunct(","));

                ExpectPunct("}");
            }

            return new ContextNode([.. keys], [.. values], t.Position);
        }

        throw Unexpected("a value");
    }

    private Node NameOrCall()
    {
        var t = Next();
        switch (t.Text)
        {
            case "true":
                return new ConstNode(VariableValues.True, t.Position);
            case "false":
                return new ConstNode(VariableValues.False, t.Position);
            case "null":
                return new ConstNode(null, t.Position);
        }

        // prefix:function(...) written without spaces, as Flowable and JSTL do (variables:get(x), fn:contains(s, 'a')).
        var colon = Current;
        var fn = PeekAt(1);
        if (colon.Is(":") && colon.Position == t.Position + t.Text.Length && fn.Kind == TokenKind.Name
            && fn.Position == colon.Position + 1 && PeekAt(2).Is("("))
        {
            Index += 3;
            return Namespaced(t, fn);
        }

        if (!AcceptPunct("("))
        {
            return Variable(t);
        }

        if (!Builtins.Juel.TryGetValue(t.Text, out var function))
        {
            throw UnknownFunction(t.Text, t.Position);
        }

        var args = Arguments(ParseExpression);
        CheckArity(function, args.Count, t.Position);
        return new CallNode(function, [.. args], t.Position);
    }

    private Node Namespaced(Token prefix, Token name)
    {
        var args = Arguments(ParseExpression);
        if (prefix.Text is "variables" or "vars" or "var")
        {
            var kind = name.Text switch
            {
                "get" when args.Count == 1 => "get",
                "getOrDefault" when args.Count == 2 => "getOrDefault",
                "exists" when args.Count == 1 => "exists",
                "isEmpty" or "empty" when args.Count == 1 => "isEmpty",
                "isNotEmpty" or "notEmpty" when args.Count == 1 => "isNotEmpty",
                _ => null,
            };
            if (kind is null)
            {
                throw UnknownFunction($"{prefix.Text}:{name.Text}", prefix.Position);
            }

            // The variable is named bare (variables:get(amount)) or as a string (variables:get('amount')).
            var variable = args[0] switch
            {
                VariableNode v => v.Name,
                ConstNode { Value: string s } => s,
                _ => throw ExpressionException.At(ExpressionErrorCode.Syntax, args[0].Position,
                    $"{prefix.Text}:{name.Text} 的第一个参数必须是变量名", $"the first argument of {prefix.Text}:{name.Text} must be a variable name"),
            };
            if (args[0] is VariableNode)
            {
                Variables.Remove(variable);
            }

            return new VariableAccessNode(kind, variable, args.Count > 1 ? args[1] : null, prefix.Position);
        }

        if (prefix.Text == "fn" && Builtins.Juel.TryGetValue(name.Text, out var function))
        {
            CheckArity(function, args.Count, prefix.Position);
            return new CallNode(function, [.. args], prefix.Position);
        }

        throw UnknownFunction($"{prefix.Text}:{name.Text}", prefix.Position);
    }
}
