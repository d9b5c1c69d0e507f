using System.Globalization;
using System.Resources;
using Trading.Workflow.Domain;
using Trading.Workflow.Domain.Documents;
using Trading.Workflow.Web.Errors;

namespace Trading.Workflow.Web.Documents;

/// <summary>Document rule codes and a damaged file as problems, in the user's language (Resources/TrailResource.tsv, keys Rule.*).</summary>
public static class DocumentProblems
{
    private static readonly ResourceManager Text = new("Trading.Workflow.Web.Resources.TrailResource", typeof(TrailResource).Assembly);

    public static PlatformProblem? Describe(Exception exception, CultureInfo culture) => exception switch
    {
        DocumentDamagedException => PlatformProblems.Create(StatusCodes.Status409Conflict, Message(DocumentRules.Damaged, culture), culture),
        DomainRuleException e when e.RuleCode.StartsWith("Document.", StringComparison.Ordinal) =>
            PlatformProblems.Create(Status(e.RuleCode), Message(e.RuleCode, culture), culture),
        _ => null,
    };

    public static string Message(string ruleCode, CultureInfo culture) => Text.GetString($"Rule.{ruleCode}", culture) ?? ruleCode;

    private static int Status(string ruleCode) => ruleCode switch
    {
        DocumentRules.NotFound or DocumentRules.UploadNotFound => StatusCodes.Status404NotFound,
        DocumentRules.AccessDenied => StatusCodes.Status403Forbidden,
        DocumentRules.TooLarge or DocumentRules.ChunkTooLarge => StatusCodes.Status413PayloadTooLarge,
        DocumentRules.UploadBusy or DocumentRules.Damaged => StatusCodes.Status409Conflict,
        _ => StatusCodes.Status400BadRequest,
    };
}
