using System.Diagnostics;
using Trading.Workflow.Engine.Values;

namespace Trading.Workflow.Engine.Expressions;

/// <summary>The state of one evaluation: variables, context, local names (loops, filters, contexts) and the step budget.</summary>
internal sealed class Frame
{
    [ThreadStatic]
    private static Frame? t_spare;

    private IVariableScope _scope;
    private int _maxSteps;
    private int _memoryBudget;
    private long _allocated;
    private long _deadline;
    private Local? _locals;
    private int _steps;

    private Frame(IVariableScope scope, EvaluationContext context, ExpressionEngine engine)
    {
        _scope = scope;
        Context = context;
        Engine = engine;
        _maxSteps = engine.Options.MaxSteps;
        _memoryBudget = engine.Options.MemoryBudget;
    }

    /// <summary>A frame for one evaluation; each thread keeps one spare, so a plain condition allocates nothing.</summary>
    public static Frame Rent(IVariableScope scope, EvaluationContext context, ExpressionEngine engine)
    {
        var frame = t_spare;
        if (frame is null)
        {
            return new Frame(scope, context, engine);
        }

        t_spare = null;
        frame._scope = scope;
        frame.Context = context;
        frame.Engine = engine;
        frame._maxSteps = engine.Options.MaxSteps;
        frame._memoryBudget = engine.Options.MemoryBudget;
        frame._allocated = 0;
        frame._deadline = 0;
        frame._steps = 0;
        frame._locals = null;
        return frame;
    }

    public void Return()
    {
        _scope = null!;
        Context = null!;
        Engine = null!;
        _locals = null;
        t_spare = this;
    }

    public EvaluationContext Context { get; private set; }

    public ExpressionEngine Engine { get; private set; }

    public void Step(int position)
    {
        if (++_steps > _maxSteps)
        {
            throw ExpressionException.At(ExpressionErrorCode.StepBudgetExceeded, position,
                $"求值超过 {_maxSteps} 步上限", $"the evaluation exceeded its budget of {_maxSteps} steps");
        }

        // The clock is read once every 256 steps, and only from the 256th on, so short expressions never pay for it;
        // the timeout then counts from that first reading, which is microseconds after the start.
        if ((_steps & 0xFF) == 0 && PastDeadline())
        {
            throw ExpressionException.At(ExpressionErrorCode.Timeout, position,
                "求值超时", $"the evaluation took longer than {Engine.Options.Timeout.TotalMilliseconds} ms");
        }
    }

    /// <summary>Counts <paramref name="units"/> (characters or list items) just created against the memory budget.</summary>
    public void Allocate(long units, int position)
    {
        Reserve(units, position);
        _allocated += units;
    }

    /// <summary>
    /// Throws when <paramref name="units"/> more would pass the memory budget; asked before a value is built, so
    /// nothing larger than the budget is ever made. Counts nothing by itself.
    /// </summary>
    public void Reserve(long units, int position)
    {
        if (units > _memoryBudget - _allocated)
        {
            throw ExpressionException.At(ExpressionErrorCode.MemoryBudgetExceeded, position,
                $"求值超过内存上限（{_memoryBudget:N0} 个字符或列表项）",
                $"the evaluation exceeded its memory budget of {_memoryBudget:N0} characters or list items");
        }
    }

    /// <summary>The size a created value counts for: a string's characters, a list's or context's items.</summary>
    public static long SizeOf(object? value) => value switch
    {
        string s => s.Length,
        IReadOnlyList<object?> l => l.Count,
        IReadOnlyDictionary<string, object?> m => m.Count,
        _ => 0,
    };

    /// <summary>Counts a value a function or operator returned, unless it is one of its own arguments handed back.</summary>
    public void AllocateResult(object? result, object?[] args, int position)
    {
        if (result is null or decimal or bool)
        {
            return;
        }

        foreach (var arg in args)
        {
            if (ReferenceEquals(arg, result))
            {
                return;
            }
        }

        Allocate(SizeOf(result), position);
    }

    private bool PastDeadline()
    {
        var now = Stopwatch.GetTimestamp();
        if (_deadline == 0)
        {
            _deadline = now + (long)(Engine.Options.Timeout.TotalSeconds * Stopwatch.Frequency);
            return false;
        }

        return now > _deadline;
    }

    public bool TryLookup(string name, out object? value)
    {
        for (var local = _locals; local is not null; local = local.Next)
        {
            if (local.Context is not null)
            {
                if (local.Context.TryGetValue(name, out value))
                {
                    return true;
                }
            }
            else if (local.Name == name)
            {
                value = local.Value;
                return true;
            }
        }

        if (_scope.TryGetVariable(name, out value))
        {
            value = Canonical(value, name);
            return true;
        }

        return false;
    }

    public object? Lookup(string name, int position) =>
        TryLookup(name, out var value) ? value : throw UnknownVariable(name, position);

    public static ExpressionException UnknownVariable(string name, int position) =>
        new(ExpressionErrorCode.UnknownVariable,
            $"第 {position + 1} 个字符处：变量 '{name}' 不存在",
            $"At character {position + 1}: the variable '{name}' does not exist",
            position, name);

    private static object? Canonical(object? value, string name) => value switch
    {
        null or string or decimal or bool or DateTimeOffset or DateOnly or IsoDuration
            or IReadOnlyList<object?> or IReadOnlyDictionary<string, object?> => value,
        _ => NormalizeVariable(value, name),
    };

    private static object? NormalizeVariable(object value, string name)
    {
        try
        {
            return VariableValues.Normalize(value);
        }
        catch (VariableValueException ex)
        {
            throw new ExpressionException(ExpressionErrorCode.TypeMismatch, $"变量 '{name}'：{ex.MessageZh}", $"Variable '{name}': {ex.MessageEn}", -1, name, ex);
        }
    }

    /// <summary>Binds a name for the inner part of a loop or filter; returns the mark to restore with <see cref="Pop"/>.</summary>
    public object? Push(string name, object? value)
    {
        var mark = _locals;
        _locals = new Local(name, value, null, _locals);
        return mark;
    }

    /// <summary>Makes the entries of a context visible by name (FEEL filters on lists of contexts).</summary>
    public object? PushContext(IReadOnlyDictionary<string, object?> context)
    {
        var mark = _locals;
        _locals = new Local(null, null, context, _locals);
        return mark;
    }

    public void Pop(object? mark) => _locals = (Local?)mark;

    private sealed class Local(string? name, object? value, IReadOnlyDictionary<string, object?>? context, Local? next)
    {
        public string? Name { get; } = name;

        public object? Value { get; set; } = value;

        public IReadOnlyDictionary<string, object?>? Context { get; } = context;

        public Local? Next { get; } = next;
    }
}
