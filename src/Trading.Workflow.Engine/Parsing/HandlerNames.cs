using System.Text.RegularExpressions;

namespace Trading.Workflow.Engine.Parsing;

/// <summary>
/// Maps how Camunda, Flowable and Activiti name the code behind a service task to the handler name the
/// engine resolves in DI. The rules are documented in Model/EXTENSIONS.md.
/// </summary>
public static partial class HandlerNames
{
    /// <summary><c>com.acme.FooDelegate</c> → <c>FooDelegate</c>; a nested <c>Outer$Inner</c> → <c>Inner</c>.</summary>
    public static string? FromClass(string? className)
    {
        if (string.IsNullOrWhiteSpace(className))
        {
            return null;
        }

        var name = className.Trim();
        name = name[(name.LastIndexOf('.') + 1)..];
        name = name[(name.LastIndexOf('$') + 1)..];
        return IsIdentifierPath(name) ? name : null;
    }

    /// <summary><c>${fooService}</c> or <c>#{fooService}</c> → <c>fooService</c>; <c>${beans.foo}</c> → <c>beans.foo</c>.</summary>
    public static string? FromDelegateExpression(string? expression)
    {
        var body = Unwrap(expression);
        return body is not null && IsIdentifierPath(body) ? body : null;
    }

    /// <summary><c>${svc.run(execution)}</c> → <c>svc.run</c>: the method path, without its arguments.</summary>
    public static string? FromExpression(string? expression)
    {
        var body = Unwrap(expression);
        if (body is null)
        {
            return null;
        }

        var paren = body.IndexOf('(');
        if (paren >= 0)
        {
            if (!body.EndsWith(')'))
            {
                return null;
            }

            body = body[..paren].TrimEnd();
        }

        return IsIdentifierPath(body) ? body : null;
    }

    private static string? Unwrap(string? expression)
    {
        if (string.IsNullOrWhiteSpace(expression))
        {
            return null;
        }

        var text = expression.Trim();
        if ((text.StartsWith("${", StringComparison.Ordinal) || text.StartsWith("#{", StringComparison.Ordinal)) && text.EndsWith('}'))
        {
            text = text[2..^1].Trim();
        }

        return text.Length == 0 ? null : text;
    }

    private static bool IsIdentifierPath(string text) => IdentifierPath().IsMatch(text);

    [GeneratedRegex(@"^[\p{L}_$][\p{L}\p{Nd}_$]*(\.[\p{L}_$][\p{L}\p{Nd}_$]*)*$")]
    private static partial Regex IdentifierPath();
}
