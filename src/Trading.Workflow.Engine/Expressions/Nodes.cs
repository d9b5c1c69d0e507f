using System.Text;
using Trading.Workflow.Engine.Values;

namespace Trading.Workflow.Engine.Expressions;

/// <summary>A compiled sub-expression. Trees are built once and evaluated many times; nodes hold no evaluation state.</summary>
internal abstract class Node(int position)
{
    public int Position { get; } = position;

    public abstract object? Evaluate(Frame f);
}

internal sealed class ConstNode(object? value, int position) : Node(position)
{
    public object? Value { get; } = value;

    public override object? Evaluate(Frame f) => Value;
}

internal sealed class VariableNode(string name, int position) : Node(position)
{
    public string Name { get; } = name;

    public override object? Evaluate(Frame f) => f.Lookup(Name, Position);
}

internal enum BinaryOp
{
    Add,
    Subtract,
    Multiply,
    Divide,
    Modulo,
    Power,
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}

internal sealed class BinaryNode(BinaryOp op, string symbol, Node left, Node right, bool juel, int position) : Node(position)
{
    public override object? Evaluate(Frame f)
    {
        f.Step(Position);
        var a = left.Evaluate(f);
        var b = right.Evaluate(f);
        try
        {
            switch (op)
            {
                case BinaryOp.Add: return Operators.Add(a, b, juel, Position, f);
                case BinaryOp.Subtract: return Operators.Subtract(a, b, juel, Position, f);
                case BinaryOp.Multiply: return Operators.Multiply(a, b, juel, Position);
                case BinaryOp.Divide: return Operators.Divide(a, b, juel, Position);
                case BinaryOp.Modulo: return Operators.Modulo(a, b, juel, Position);
                case BinaryOp.Power: return Operators.Power(a, b, Position);
                case BinaryOp.Equal: return VariableValues.Box(Operators.ValueEquals(a, b, juel));
                case BinaryOp.NotEqual: return VariableValues.Box(!Operators.ValueEquals(a, b, juel));
            }

            var c = Operators.Compare(a, b, symbol, Position, f);
            if (c is not { } order)
            {
                // EL: an ordering with null is false, except that null <= null and null >= null hold (A == B).
                return juel ? VariableValues.Box(a is null && b is null && (op is BinaryOp.LessOrEqual or BinaryOp.GreaterOrEqual)) : null;
            }

            return VariableValues.Box(op switch
            {
                BinaryOp.Less => order < 0,
                BinaryOp.LessOrEqual => order <= 0,
                BinaryOp.Greater => order > 0,
                _ => order >= 0,
            });
        }
        catch (OverflowException)
        {
            throw Operators.Overflow(Position);
        }
    }
}

internal sealed class NegateNode(Node operand, bool juel, int position) : Node(position)
{
    public override object? Evaluate(Frame f)
    {
        f.Step(Position);
        return Operators.Negate(operand.Evaluate(f), juel, Position);
    }
}

internal sealed class NotNode(Node operand, bool juel, int position) : Node(position)
{
    public override object? Evaluate(Frame f)
    {
        f.Step(Position);
        var value = operand.Evaluate(f);
        if (juel)
        {
            return VariableValues.Box(!Operators.JuelTruth(value, "not", Position));
        }

        return Operators.FeelTruth(value, "not", Position) is { } b ? VariableValues.Box(!b) : null;
    }
}

internal sealed class EmptyNode(Node operand, int position) : Node(position)
{
    public override object? Evaluate(Frame f)
    {
        f.Step(Position);
        return VariableValues.Box(Operators.IsEmpty(operand.Evaluate(f)));
    }
}

internal sealed class AndNode(Node left, Node right, bool juel, int position) : Node(position)
{
    public override object? Evaluate(Frame f)
    {
        f.Step(Position);
        if (juel)
        {
            return VariableValues.Box(Operators.JuelTruth(left.Evaluate(f), "and", Position) && Operators.JuelTruth(right.Evaluate(f), "and", Position));
        }

        // FEEL three-valued logic: false wins over null.
        var a = Operators.FeelTruth(left.Evaluate(f), "and", Position);
        if (a == false)
        {
            return VariableValues.False;
        }

        var b = Operators.FeelTruth(right.Evaluate(f), "and", Position);
        if (b == false)
        {
            return VariableValues.False;
        }

        return a == true && b == true ? VariableValues.True : null;
    }
}

internal sealed class OrNode(Node left, Node right, bool juel, int position) : Node(position)
{
    public override object? Evaluate(Frame f)
    {
        f.Step(Position);
        if (juel)
        {
            return VariableValues.Box(Operators.JuelTruth(left.Evaluate(f), "or", Position) || Operators.JuelTruth(right.Evaluate(f), "or", Position));
        }

        // FEEL three-valued logic: true wins over null.
        var a = Operators.FeelTruth(left.Evaluate(f), "or", Position);
        if (a == true)
        {
            return VariableValues.True;
        }

        var b = Operators.FeelTruth(right.Evaluate(f), "or", Position);
        if (b == true)
        {
            return VariableValues.True;
        }

        return a == false && b == false ? VariableValues.False : null;
    }
}

internal sealed class ConditionalNode(Node condition, Node then, Node otherwise, bool juel, int position) : Node(position)
{
    public override object? Evaluate(Frame f)
    {
        f.Step(Position);
        var c = condition.Evaluate(f);
        var yes = juel ? Operators.JuelTruth(c, "?:", Position) : Operators.FeelTruth(c, "if", Position) == true;
        return yes ? then.Evaluate(f) : otherwise.Evaluate(f);
    }
}

internal sealed class ListNode(Node[] items, int position) : Node(position)
{
    public override object? Evaluate(Frame f)
    {
        f.Step(Position);
        f.Allocate(items.Length, Position);
        var result = new object?[items.Length];
        for (var i = 0; i < items.Length; i++)
        {
            result[i] = items[i].Evaluate(f);
        }

        return result;
    }
}

/// <summary>FEEL context literal; later entries see earlier ones by name.</summary>
internal sealed class ContextNode(string[] keys, Node[] values, int position) : Node(position)
{
    public override object? Evaluate(Frame f)
    {
        f.Step(Position);
        f.Allocate(keys.Length, Position);
        var result = new Dictionary<string, object?>(keys.Length, StringComparer.Ordinal);
        var mark = f.PushContext(result);
        try
        {
            for (var i = 0; i < keys.Length; i++)
            {
                result[keys[i]] = values[i].Evaluate(f);
            }
        }
        finally
        {
            f.Pop(mark);
        }

        return result;
    }
}

/// <summary>a.b: an object's entry (null when missing), a date's or duration's property; in FEEL, on a list, the entry of every element.</summary>
internal sealed class PropertyNode(Node target, string name, bool juel, int position) : Node(position)
{
    public Node Target { get; } = target;

    public string Name { get; } = name;

    public override object? Evaluate(Frame f)
    {
        f.Step(Position);
        return Get(Target.Evaluate(f), f, 0);
    }

    private object? Get(object? value, Frame f, int depth)
    {
        switch (value)
        {
            case null:
                return null;
            case IReadOnlyDictionary<string, object?> map:
                return map.TryGetValue(Name, out var entry) ? entry : null;
            case IReadOnlyList<object?> list when !juel && depth < VariableValues.MaxDepth:
                var result = new object?[list.Count];
                for (var i = 0; i < list.Count; i++)
                {
                    f.Step(Position);
                    result[i] = Get(list[i], f, depth + 1);
                }

                return result;
        }

        if (Builtins.TryGetProperty(value, Name, out var property))
        {
            return property;
        }

        throw ExpressionException.At(ExpressionErrorCode.TypeMismatch, Position,
            $"{VariableValues.TypeNameZh(value)}没有属性 '{Name}'", $"a {VariableValues.TypeName(value)} has no property '{Name}'");
    }
}

/// <summary>JUEL a[b]: object entry by key, list element by 0-based index (null when out of range, as in EL).</summary>
internal sealed class JuelIndexNode(Node target, Node index, int position) : Node(position)
{
    public override object? Evaluate(Frame f)
    {
        f.Step(Position);
        var value = target.Evaluate(f);
        var key = index.Evaluate(f);
        switch (value)
        {
            case null:
                return null;
            case IReadOnlyDictionary<string, object?> map:
                return map.TryGetValue(key as string ?? Operators.Show(key), out var entry) ? entry : null;
            case IReadOnlyList<object?> list:
                if (key is not decimal n || n != decimal.Truncate(n))
                {
                    throw ExpressionException.At(ExpressionErrorCode.TypeMismatch, Position,
                        $"列表下标必须是整数，得到 {Operators.Show(key)}", $"a list index must be a whole number, got {Operators.Show(key)}");
                }

                return n >= 0 && n < list.Count ? list[(int)n] : null;
            default:
                if (key is string name && Builtins.TryGetProperty(value, name, out var property))
                {
                    return property;
                }

                throw ExpressionException.At(ExpressionErrorCode.TypeMismatch, Position,
                    $"不能对{VariableValues.TypeNameZh(value)}使用下标", $"a {VariableValues.TypeName(value)} cannot be indexed");
        }
    }
}

/// <summary>
/// FEEL a[x]: a number picks an element (1-based, negative from the end, null when out of range); a string
/// picks a context entry; anything else is a filter evaluated per element with <c>item</c> and the element's
/// entries in scope, keeping the elements for which it is true.
/// </summary>
internal sealed class FeelFilterNode(Node target, Node filter, int position) : Node(position)
{
    public override object? Evaluate(Frame f)
    {
        f.Step(Position);
        var value = target.Evaluate(f);
        if (value is null)
        {
            return null;
        }

        if (value is IReadOnlyDictionary<string, object?> map)
        {
            var key = filter.Evaluate(f);
            return key is string k && map.TryGetValue(k, out var entry) ? entry : null;
        }

        if (value is not IReadOnlyList<object?> list)
        {
            // FEEL treats a single value as a list of one.
            list = [value];
        }

        if (list.Count == 0)
        {
            return list;
        }

        var first = EvaluateFor(list[0], f);
        if (first is decimal n)
        {
            if (n != decimal.Truncate(n))
            {
                throw ExpressionException.At(ExpressionErrorCode.TypeMismatch, Position,
                    $"列表下标必须是整数，得到 {Operators.Show(n)}", $"a list index must be a whole number, got {Operators.Show(n)}");
            }

            var i = n > 0 ? n - 1 : list.Count + n;
            return n != 0 && i >= 0 && i < list.Count ? list[(int)i] : null;
        }

        var result = new List<object?>();
        for (var i = 0; i < list.Count; i++)
        {
            var keep = i == 0 ? first : EvaluateFor(list[i], f);
            if (keep is bool b)
            {
                if (b)
                {
                    f.Allocate(1, Position);
                    result.Add(list[i]);
                }
            }
            else if (keep is not null)
            {
                throw ExpressionException.At(ExpressionErrorCode.TypeMismatch, Position,
                    $"过滤条件必须是布尔值或数字，得到 {Operators.Show(keep)}", $"a filter must be a boolean or a number, got {Operators.Show(keep)}");
            }
        }

        return result;
    }

    private object? EvaluateFor(object? element, Frame f)
    {
        f.Step(Position);
        var mark = f.Push("item", element);
        if (element is IReadOnlyDictionary<string, object?> context)
        {
            f.PushContext(context);
        }

        try
        {
            return filter.Evaluate(f);
        }
        finally
        {
            f.Pop(mark);
        }
    }
}

/// <summary>One test on the right of FEEL's <c>in</c>: a comparison (&lt; 5), a range ([1..10)) or a value (equal, or contained when it is a list).</summary>
internal sealed class UnaryTest(string? comparison, Node? value, Node? low, Node? high, bool lowClosed, bool highClosed, int position)
{
    public int Position { get; } = position;

    public bool? Matches(object? input, Frame f)
    {
        if (comparison is not null)
        {
            var other = value!.Evaluate(f);
            if (comparison is "=" or "!=")
            {
                var eq = Operators.ValueEquals(input, other, false);
                return comparison == "=" ? eq : !eq;
            }

            if (Operators.Compare(input, other, comparison, Position, f) is not { } c)
            {
                return null;
            }

            return comparison switch
            {
                "<" => c < 0,
                "<=" => c <= 0,
                ">" => c > 0,
                _ => c >= 0,
            };
        }

        if (low is not null)
        {
            var lo = low.Evaluate(f);
            var hi = high!.Evaluate(f);
            if (Operators.Compare(input, lo, "in", Position, f) is not { } cl || Operators.Compare(input, hi, "in", Position, f) is not { } ch)
            {
                return null;
            }

            return (lowClosed ? cl >= 0 : cl > 0) && (highClosed ? ch <= 0 : ch < 0);
        }

        var expected = value!.Evaluate(f);
        if (expected is IReadOnlyList<object?> list)
        {
            for (var i = 0; i < list.Count; i++)
            {
                f.Step(Position);
                if (Operators.ValueEquals(input, list[i], false))
                {
                    return true;
                }
            }

            return false;
        }

        if (expected is bool b && input is not bool)
        {
            // A boolean expression used as a test (e.g. x in (> 3 and < 5) written as a condition on ?).
            return b;
        }

        return Operators.ValueEquals(input, expected, false);
    }
}

internal sealed class InNode(Node input, UnaryTest[] tests, int position) : Node(position)
{
    public override object? Evaluate(Frame f)
    {
        f.Step(Position);
        var value = input.Evaluate(f);
        var mark = f.Push("?", value);
        try
        {
            var sawNull = false;
            foreach (var test in tests)
            {
                var r = test.Matches(value, f);
                if (r == true)
                {
                    return VariableValues.True;
                }

                sawNull |= r is null;
            }

            return sawNull ? null : VariableValues.False;
        }
        finally
        {
            f.Pop(mark);
        }
    }
}

internal sealed class BetweenNode(Node input, Node low, Node high, int position) : Node(position)
{
    public override object? Evaluate(Frame f)
    {
        f.Step(Position);
        var value = input.Evaluate(f);
        var lo = Operators.Compare(value, low.Evaluate(f), "between", Position, f);
        var hi = Operators.Compare(value, high.Evaluate(f), "between", Position, f);
        if (lo is null || hi is null)
        {
            return null;
        }

        return VariableValues.Box(lo >= 0 && hi <= 0);
    }
}

/// <summary>FEEL <c>for x in list, y in list return body</c> and the quantifiers <c>some/every ... satisfies</c>.</summary>
internal sealed class IterationNode(string kind, string[] names, Node[] sources, Node body, int position) : Node(position)
{
    public override object? Evaluate(Frame f)
    {
        f.Step(Position);
        var results = kind == "for" ? new List<object?>() : null;
        var state = kind == "every" ? (bool?)true : false;
        Iterate(0, f, results, ref state);
        if (results is not null)
        {
            return results;
        }

        return state is { } b ? VariableValues.Box(b) : null;
    }

    private bool Iterate(int level, Frame f, List<object?>? results, ref bool? state)
    {
        if (level == names.Length)
        {
            var value = body.Evaluate(f);
            if (results is not null)
            {
                f.Allocate(1, Position);
                results.Add(value);
                return true;
            }

            var truth = Operators.FeelTruth(value, kind, Position);
            if (kind == "some")
            {
                if (truth == true)
                {
                    state = true;
                    return false;
                }

                if (truth is null)
                {
                    state = null;
                }

                return true;
            }

            if (truth == false)
            {
                state = false;
                return false;
            }

            if (truth is null)
            {
                state = null;
            }

            return true;
        }

        var source = sources[level].Evaluate(f);
        var list = source as IReadOnlyList<object?> ?? (source is null ? [] : [source]);
        for (var i = 0; i < list.Count; i++)
        {
            f.Step(Position);
            var mark = f.Push(names[level], list[i]);
            try
            {
                if (!Iterate(level + 1, f, results, ref state))
                {
                    return false;
                }
            }
            finally
            {
                f.Pop(mark);
            }
        }

        return true;
    }
}

/// <summary>FEEL range [a..b] used as a list source of <c>for</c>: every whole number from a to b.</summary>
internal sealed class NumberRangeNode(Node from, Node to, int position) : Node(position)
{
    public override object? Evaluate(Frame f)
    {
        f.Step(Position);
        if (from.Evaluate(f) is not decimal a || to.Evaluate(f) is not decimal b || a != decimal.Truncate(a) || b != decimal.Truncate(b))
        {
            throw ExpressionException.At(ExpressionErrorCode.TypeMismatch, Position, "范围的两端必须是整数", "both ends of the range must be whole numbers");
        }

        var step = a <= b ? 1 : -1;
        var result = new List<object?>();
        for (var x = a; step > 0 ? x <= b : x >= b; x += step)
        {
            f.Step(Position);
            f.Allocate(1, Position);
            result.Add(x);
        }

        return result;
    }
}

internal sealed class CallNode(Builtin function, Node[] args, int position) : Node(position)
{
    public override object? Evaluate(Frame f)
    {
        f.Step(Position);
        var values = args.Length == 0 ? [] : new object?[args.Length];
        for (var i = 0; i < args.Length; i++)
        {
            values[i] = args[i].Evaluate(f);
        }

        try
        {
            return function.Invoke(values, f, Position);
        }
        catch (OverflowException)
        {
            throw Operators.Overflow(Position);
        }
    }
}

/// <summary>JUEL method syntax on a value (<c>s.startsWith('a')</c>, <c>list.size()</c>), dispatched to built-ins by the receiver's type.</summary>
internal sealed class MethodNode(Node target, string name, Node[] args, int position) : Node(position)
{
    public override object? Evaluate(Frame f)
    {
        f.Step(Position);
        var receiver = target.Evaluate(f);
        var values = new object?[args.Length];
        for (var i = 0; i < args.Length; i++)
        {
            values[i] = args[i].Evaluate(f);
        }

        return Builtins.InvokeMethod(receiver, name, values, f, Position);
    }
}

/// <summary>Existence checks that must not fail on a missing variable: FEEL <c>is defined(x)</c>, Flowable <c>variables:exists(x)</c>, Camunda <c>execution.hasVariable('x')</c>.</summary>
internal sealed class VariableAccessNode(string kind, string name, Node? fallback, int position) : Node(position)
{
    public override object? Evaluate(Frame f)
    {
        f.Step(Position);
        var exists = f.TryLookup(name, out var value);
        return kind switch
        {
            "exists" => VariableValues.Box(exists),
            "get" => exists ? value : null,
            "getOrDefault" => exists && value is not null ? value : fallback!.Evaluate(f),
            "isEmpty" => VariableValues.Box(!exists || Operators.IsEmpty(value)),
            "isNotEmpty" => VariableValues.Box(exists && !Operators.IsEmpty(value)),
            _ => throw new InvalidOperationException(kind),
        };
    }
}

/// <summary>FEEL <c>is defined(a.b)</c>: the root variable exists and every step of the path holds an entry.</summary>
internal sealed class IsDefinedNode(Node target, int position) : Node(position)
{
    public override object? Evaluate(Frame f)
    {
        f.Step(Position);
        return VariableValues.Box(Defined(target, f, out _));
    }

    private static bool Defined(Node node, Frame f, out object? value)
    {
        switch (node)
        {
            case VariableNode v:
                return f.TryLookup(v.Name, out value);
            case PropertyNode p:
                value = null;
                if (!Defined(p.Target, f, out var parent))
                {
                    return false;
                }

                if (parent is IReadOnlyDictionary<string, object?> map)
                {
                    return map.TryGetValue(p.Name, out value);
                }

                value = p.Evaluate(f);
                return true;
            default:
                value = node.Evaluate(f);
                return true;
        }
    }
}

/// <summary>Text with embedded <c>${...}</c> parts; values are formatted invariantly.</summary>
internal sealed class TemplateNode(string[] literals, Node[] parts, int position) : Node(position)
{
    [ThreadStatic]
    private static StringBuilder? t_builder;

    public override object? Evaluate(Frame f)
    {
        var sb = t_builder ?? new StringBuilder(64);
        t_builder = null;
        sb.Clear();
        for (var i = 0; i < parts.Length; i++)
        {
            sb.Append(literals[i]);
            var value = parts[i].Evaluate(f);
            if (value is not null)
            {
                var formatted = VariableValues.Format(value);
                f.Reserve((long)sb.Length + formatted.Length + literals[parts.Length].Length, Position);
                sb.Append(formatted);
            }
        }

        sb.Append(literals[parts.Length]);
        f.Allocate(sb.Length, Position);
        var text = sb.ToString();
        if (sb.Capacity <= 1024)
        {
            t_builder = sb;
        }

        return text;
    }
}
