using System.Globalization;
using Microsoft.Extensions.Localization;
using Trading.Workflow.Domain;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Web.Errors;

namespace Trading.Workflow.Web.Projects;

/// <summary>What a refused project action means to the user, in the user's language; null for a defect.</summary>
public static class ProjectErrors
{
    public static string? Describe(Exception exception, IStringLocalizer<ProjectsResource> text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return exception switch
        {
            ProjectAccessDeniedException => text[ProjectAccessDeniedException.RuleCode],
            DomainRuleException rule when text[rule.RuleCode] is { ResourceNotFound: false } message => message,
            IOException => text["Projects.UploadFailed"],
            _ => PlatformProblems.Describe(exception, CultureInfo.CurrentUICulture)?.Detail,
        };
    }
}
