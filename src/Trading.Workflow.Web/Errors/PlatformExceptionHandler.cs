using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Localization;

namespace Trading.Workflow.Web.Errors;

/// <summary>
/// The one place unhandled errors end up: logs them with the correlation id, answers API callers with
/// ProblemDetails from <see cref="PlatformProblems"/> and leaves pages to the /Error page, which shows the same
/// problem's detail (or a generic message) and the id.
/// </summary>
public sealed partial class PlatformExceptionHandler(
    IStringLocalizer<SharedResource> text, IProblemDetailsService problemDetails, ILogger<PlatformExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        // By now the middleware has pointed the request at /Error: the feature keeps the path that failed.
        var path = new PathString(httpContext.Features.Get<IExceptionHandlerFeature>()?.Path ?? httpContext.Request.Path.Value);
        // The handler runs outside the localization middleware, whose culture does not flow back out: take the
        // request's culture from its feature (this async method's own change does not leak to the caller).
        if (httpContext.Features.Get<IRequestCultureFeature>()?.RequestCulture.UICulture is { } culture)
        {
            CultureInfo.CurrentUICulture = culture;
        }

        var problem = PlatformProblems.Describe(exception, CultureInfo.CurrentUICulture);
        if (problem is null)
        {
            LogUnhandled(exception, httpContext.Request.Method, path, httpContext.TraceIdentifier);
        }
        else
        {
            // A refusal the user can act on (not found, not allowed, invalid value): no defect, no stack trace.
            LogRefused(httpContext.Request.Method, path, problem.Status, exception.GetType().Name, exception.Message, httpContext.TraceIdentifier);
        }

        // A request the framework could not read is answered here on any path: re-running it on the error page would
        // read the same bad form (or antiforgery token) again. A download's link opened in a tab is the exception: a
        // GET whose query the error page does not read, shown there as the refused-file page.
        if (!path.StartsWithSegments("/api") && exception is not BadHttpRequestException)
        {
            return false;
        }

        if (exception is BadHttpRequestException bad
            && FileRefusals.KeepForErrorPage(httpContext, httpContext.Features.Get<IExceptionHandlerFeature>()?.Endpoint, bad.StatusCode))
        {
            return false;
        }

        problem ??= new PlatformProblem(StatusCodes.Status500InternalServerError, text["Error.Title"], text["Error.Message"]);
        var details = problem.ToProblemDetails();
        details.Extensions["correlationId"] = httpContext.TraceIdentifier;
        httpContext.Response.StatusCode = problem.Status;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = details,
        });
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error on {Method} {Path}, correlation id {CorrelationId}")]
    private partial void LogUnhandled(Exception exception, string method, string path, string correlationId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused {Method} {Path} with {StatusCode} ({ErrorType}: {ErrorMessage}), correlation id {CorrelationId}")]
    private partial void LogRefused(string method, string path, int statusCode, string errorType, string errorMessage, string correlationId);
}
