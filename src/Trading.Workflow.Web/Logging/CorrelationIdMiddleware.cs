using System.Diagnostics;
using Serilog.Context;

namespace Trading.Workflow.Web.Logging;

/// <summary>
/// Gives every request a correlation id (taken from X-Correlation-Id when the caller sends a sane one), returns it
/// in the response header and puts it on everything logged for the request, the request line included. The error
/// page shows it, so a user can quote it.
/// </summary>
public sealed class CorrelationIdMiddleware(RequestDelegate next)
{
    public const string HeaderName = "X-Correlation-Id";
    public const string PropertyName = "CorrelationId";
    private const int MaxIncomingLength = 64;

    public async Task InvokeAsync(HttpContext context)
    {
        var correlationId = Accept(context.Request.Headers[HeaderName].ToString()) ?? NewId();
        context.TraceIdentifier = correlationId;
        context.Response.OnStarting(() =>
        {
            context.Response.Headers[HeaderName] = correlationId;
            return Task.CompletedTask;
        });

        using (LogContext.PushProperty(PropertyName, correlationId))
        {
            await next(context);
        }
    }

    internal static string? Accept(string incoming) =>
        incoming.Length is > 0 and <= MaxIncomingLength && incoming.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
            ? incoming
            : null;

    private static string NewId() => Activity.Current?.TraceId.ToHexString() ?? Guid.NewGuid().ToString("N");
}
