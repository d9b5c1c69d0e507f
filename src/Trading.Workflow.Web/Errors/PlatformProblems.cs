using System.Globalization;
using System.Resources;
using System.Text.Json;
using Trading.Workflow.Domain.Persistence;
using Microsoft.AspNetCore.Mvc;
using Trading.Workflow.Domain.Access;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Values;
using Trading.Workflow.Web.Workflow;

namespace Trading.Workflow.Web.Errors;

/// <summary>What a refused request means to the user: status, title and detail in the user's language, field errors.</summary>
public sealed record PlatformProblem(int Status, string Title, string Detail, IReadOnlyDictionary<string, string[]>? Errors = null)
{
    public ProblemDetails ToProblemDetails() => Errors is { Count: > 0 }
        ? new HttpValidationProblemDetails(Errors.ToDictionary()) { Status = Status, Title = Title, Detail = Detail }
        : new ProblemDetails { Status = Status, Title = Title, Detail = Detail };
}

/// <summary>
/// The one exception → problem map. The API's exception handler answers with it, the pages show its detail
/// (WorkflowErrors.Describe) and the error page shows it for a failed page request, so a refusal reads the same
/// everywhere. Exceptions it does not know are defects: 500, the generic message and the correlation id.
/// </summary>
public static class PlatformProblems
{
    private static readonly ResourceManager Text = new("Trading.Workflow.Web.Resources.ProblemResource", typeof(ProblemResource).Assembly);

    public static PlatformProblem? Describe(Exception exception) => Describe(exception, CultureInfo.CurrentUICulture);

    public static PlatformProblem? Describe(Exception exception, CultureInfo culture)
    {
        var english = IsEnglish(culture);
        string Pick(string zh, string en) => english ? en : zh;
        return exception switch
        {
            WorkflowAccessDeniedException => Create(StatusCodes.Status403Forbidden, Pick(WorkflowAccessDeniedException.MessageZh, WorkflowAccessDeniedException.MessageEn), culture),
            ProjectAccessDeniedException => Create(StatusCodes.Status403Forbidden, Pick(ProjectAccessDeniedException.MessageZh, ProjectAccessDeniedException.MessageEn), culture),
            WorkflowNotFoundException e => Create(StatusCodes.Status404NotFound, Pick(e.MessageZh, e.MessageEn), culture),
            WorkflowConflictException e => Create(StatusCodes.Status409Conflict, Pick(e.MessageZh, e.MessageEn), culture),
            InvalidVariableException e => Create(StatusCodes.Status400BadRequest, Pick(e.MessageZh, e.MessageEn), culture, Field(e.VariableName, Pick(e.MessageZh, e.MessageEn))),
            WorkflowValidationException e => Create(StatusCodes.Status400BadRequest, Pick(e.MessageZh, e.MessageEn), culture, ValidationErrors(e, english)),
            WorkflowException e => Create(StatusCodes.Status400BadRequest, Pick(e.MessageZh, e.MessageEn), culture),
            VariableValueException e => Create(StatusCodes.Status400BadRequest, Pick(e.MessageZh, e.MessageEn), culture),
            Trading.Workflow.Domain.DomainRuleException e => Create(RuleStatus(e.RuleCode), RuleMessage(e, culture), culture),
            Trading.Workflow.Domain.Documents.DocumentDamagedException => Create(StatusCodes.Status409Conflict, Message("Problem.DocumentDamaged", culture), culture),
            // A body or parameter the framework could not read (RouteHandlerOptions.ThrowOnBadRequest is on everywhere):
            // a JSON value of the wrong type or out of range (1e30 for a decimal) names its field.
            BadHttpRequestException { InnerException: JsonException { Path: { Length: > 0 } path } } e => Create(
                e.StatusCode, Message("Input.Invalid", culture), culture, Field(JsonField(path), Message("Input.Unreadable", culture))),
            BadHttpRequestException e => Create(e.StatusCode, Message(e.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Input.BodyTooLarge" : "Problem.BadRequest", culture), culture),
            InputTooLongException e => Create(StatusCodes.Status400BadRequest, Message("Input.Invalid", culture), culture,
                Field(JsonNamingPolicy.CamelCase.ConvertName(e.Field), Message("Input.TooLong", culture, e.MaxLength, e.Length))),
            _ => null,
        };
    }

    /// <summary>A problem that is no exception (a missing header, a file too large), titled like the mapped ones.</summary>
    public static PlatformProblem Create(int status, string detail, CultureInfo culture, IReadOnlyDictionary<string, string[]>? errors = null) =>
        new(status, Text.GetString($"Problem.Title.{status}", culture) ?? Text.GetString("Problem.Title.400", culture)!, detail, errors);

    /// <summary>One of the problem messages (Resources/ProblemResource.tsv), formatted with its arguments.</summary>
    public static string Message(string key, CultureInfo culture, params object[] arguments) =>
        string.Format(culture, Text.GetString(key, culture) ?? key, arguments);

    /// <summary>Each part's rule messages (<c>Rule.&lt;code&gt;</c> in its own resource file).</summary>
    private static readonly ResourceManager[] RuleTexts =
    [
        new("Trading.Workflow.Web.Resources.NoticesResource", typeof(ProblemResource).Assembly),
        new("Trading.Workflow.Web.Resources.MarketResource", typeof(ProblemResource).Assembly),
        new("Trading.Workflow.Web.Resources.ArchiveResource", typeof(ProblemResource).Assembly),
        new("Trading.Workflow.Web.Resources.PrintingResource", typeof(ProblemResource).Assembly),
        new("Trading.Workflow.Web.Resources.BiddingResource", typeof(ProblemResource).Assembly),
        new("Trading.Workflow.Web.Resources.InstancesResource", typeof(ProblemResource).Assembly),
    ];

    private static string RuleMessage(Trading.Workflow.Domain.DomainRuleException exception, CultureInfo culture) =>
        RuleTexts.Select(t => t.GetString($"Rule.{exception.RuleCode}", culture)).FirstOrDefault(m => m is not null) ?? exception.Message;

    private static int RuleStatus(string ruleCode) => ruleCode switch
    {
        _ when ruleCode.EndsWith(".NotFound", StringComparison.Ordinal) => StatusCodes.Status404NotFound,
        _ when ruleCode.EndsWith(".NotAllowed", StringComparison.Ordinal) => StatusCodes.Status403Forbidden,
        _ when ruleCode.EndsWith(".Changed", StringComparison.Ordinal) || ruleCode.EndsWith(".Immutable", StringComparison.Ordinal) => StatusCodes.Status409Conflict,
        _ => StatusCodes.Status400BadRequest,
    };

    /// <summary><c>$.sections[0].estimatedPrice</c> → <c>sections[0].estimatedPrice</c>.</summary>
    private static string JsonField(string path) => path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');

    private static bool IsEnglish(CultureInfo culture) => culture.TwoLetterISOLanguageName == "en";

    private static Dictionary<string, string[]> Field(string name, string message) => new(StringComparer.Ordinal) { [name] = [message] };

    private static Dictionary<string, string[]> ValidationErrors(WorkflowValidationException exception, bool english) =>
        exception.Problems
            .Where(p => p.Severity == Engine.Validation.ValidationSeverity.Error)
            .GroupBy(p => p.ElementId ?? "definitions", StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(p => english ? p.MessageEn : p.MessageZh).ToArray(), StringComparer.Ordinal);
}
