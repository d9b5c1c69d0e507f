using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Localization;

namespace Trading.Workflow.Web.Errors;

/// <summary>
/// The one place unhandled errors end up: logs them with the correlation id, answers API callers with
/// ProblemDetails and leaves pages to the /Error page, which shows a localized message and the id.
/// </summary>
public sealed partial class PlatformExceptionHandler(
    IStringLocalizer<SharedResource> text, IProblemDetailsService problemDetails, ILogger<PlatformExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        LogUnhandled(exception, httpContext.Request.Method, httpContext.Request.Path, httpContext.TraceIdentifier);
        if (!httpContext.Request.Path.StartsWithSegments("/api"))
        {
            return false;
        }

        httpContext.Response.StatusCode = StatusCodes.Status500InternalServerError;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = StatusCodes.Status500InternalServerError,
                Title = text["Error.Title"],
                Detail = text["Error.Message"],
                Extensions = { ["correlationId"] = httpContext.TraceIdentifier },
            },
        });
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error on {Method} {Path}, correlation id {CorrelationId}")]
    private partial void LogUnhandled(Exception exception, string method, string path, string correlationId);
}
