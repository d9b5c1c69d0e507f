using System.Diagnostics;

namespace Trading.Workflow.Web.Logging;

/// <summary>
/// Gives every request a correlation id (taken from X-Correlation-Id when the caller sends a sane one),
/// returns it in the response header, puts it in the log scope of everything logged for the request and
/// logs one line per completed request.
/// </summary>
public sealed partial class RequestLoggingMiddleware(RequestDelegate next, TimeProvider timeProvider, ILogger<RequestLoggingMiddleware> logger)
{
    public const string HeaderName = "X-Correlation-Id";
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

        using var scope = logger.BeginScope(new Dictionary<string, object> { ["CorrelationId"] = correlationId });
        var started = timeProvider.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            var elapsed = timeProvider.GetElapsedTime(started).TotalMilliseconds;
            if (IsRoutine(context.Request.Path))
            {
                LogRoutineRequest(context.Request.Method, context.Request.Path, context.Response.StatusCode, elapsed);
            }
            else
            {
                LogRequest(context.Request.Method, context.Request.Path, context.Response.StatusCode, elapsed);
            }
        }
    }

    // Health probes, scripts, styles and the circuit socket would drown the page requests at Information.
    private static bool IsRoutine(PathString path) =>
        path.StartsWithSegments("/health") || path.StartsWithSegments("/_framework") || path.StartsWithSegments("/_content")
        || path.StartsWithSegments("/_blazor") || path.StartsWithSegments("/css");

    internal static string? Accept(string incoming) =>
        incoming.Length is > 0 and <= MaxIncomingLength && incoming.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
            ? incoming
            : null;

    private static string NewId() => Activity.Current?.TraceId.ToHexString() ?? Guid.NewGuid().ToString("N");

    [LoggerMessage(Level = LogLevel.Information, Message = "HTTP {Method} {Path} responded {StatusCode} in {ElapsedMs:0.0} ms")]
    private partial void LogRequest(string method, string path, int statusCode, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Debug, Message = "HTTP {Method} {Path} responded {StatusCode} in {ElapsedMs:0.0} ms")]
    private partial void LogRoutineRequest(string method, string path, int statusCode, double elapsedMs);
}
