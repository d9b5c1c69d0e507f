using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Trading.Workflow.Web.Errors;

namespace Trading.Workflow.Web.Workflow.Api;

/// <summary>Typed problem results titled like the exception map's.</summary>
internal static class ApiProblems
{
    public static ValidationProblem Validation(Dictionary<string, string[]> errors)
    {
        var culture = CultureInfo.CurrentUICulture;
        return TypedResults.ValidationProblem(errors, title: PlatformProblems.Create(StatusCodes.Status400BadRequest, "", culture).Title);
    }
}
