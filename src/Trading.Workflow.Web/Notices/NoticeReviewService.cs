using System.Security.Claims;
using Trading.Workflow.Domain;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Notices;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Web.Forms;
using Trading.Workflow.Web.Logging;
using Trading.Workflow.Web.Workflow;

namespace Trading.Workflow.Web.Notices;

/// <summary>
/// The review step of <c>kernel.notice-review</c> as staff do it from their inbox: only the task's assignee, a staff
/// member of the notice's own trading centre who neither drafted nor submitted it, approves or returns it (with a
/// reason). The decision and the signed-in reviewer go into the task's completion; the procedure's service task then
/// publishes or returns the notice in the same command.
/// </summary>
public sealed class NoticeReviewService(ScreenTaskCompletion completion, NoticeService notices)
{
    public const string ComponentKey = "notice-review";

    /// <summary>The component of the review task; the generic completion path refuses it, so no browser can name the reviewer.</summary>
    public static BuiltInTaskComponent Component { get; } = new(ComponentKey, typeof(Components.Pages.Notices.NoticeReviewPanel), "公告审核", "Notice review",
        _ => new FormValidationResult(
            [new FormFieldError(NoticeReviewVariables.Approved, "此任务只能在公告审核页面办理。", "This task is completed on the notice review screen only.")],
            new Dictionary<string, object?>()));

    /// <summary>The notice a review task is about, or null when the task names none.</summary>
    public async Task<Notice?> NoticeOfAsync(IReadOnlyDictionary<string, object?> variables, CancellationToken cancellationToken = default) =>
        Guid.TryParse(variables.GetValueOrDefault(NoticeReviewVariables.NoticeId)?.ToString(), out var id)
            ? await notices.GetAsync(id, cancellationToken)
            : null;

    /// <summary>Null when <paramref name="principal"/> may review <paramref name="notice"/>, else the rule code that refuses it.</summary>
    public static string? CheckReviewer(ClaimsPrincipal principal, Notice notice)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(notice);
        if (!principal.IsInRole(PlatformRoles.Staff) || CentreOf(principal) != notice.CentreId)
        {
            return NoticeRules.NotAllowed;
        }

        var name = principal.Identity?.Name;
        return string.Equals(name, notice.DraftedBy, StringComparison.Ordinal) || string.Equals(name, notice.SubmittedBy, StringComparison.Ordinal)
            ? NoticeRules.ReviewerIsDrafter
            : null;
    }

    public async Task DecideAsync(ClaimsPrincipal principal, Guid taskId, bool approve, string? reason, CancellationToken cancellationToken = default)
    {
        var (user, view) = await completion.RequireAsync(principal, taskId, ComponentKey, cancellationToken);

        var notice = await NoticeOfAsync(view.Variables, cancellationToken)
            ?? throw new DomainRuleException(NoticeRules.NotFound, "The review task names no notice.");
        if (CheckReviewer(principal, notice) is { } refused)
        {
            throw new DomainRuleException(refused, "This user may not review this notice.");
        }

        var cleanReason = reason?.Trim();
        if (!approve && string.IsNullOrEmpty(cleanReason))
        {
            throw new DomainRuleException(NoticeRules.ReturnReasonRequired, "Returning a notice needs a reason.");
        }

        if (cleanReason?.Length > Notice.MaxReasonLength)
        {
            throw new DomainRuleException(NoticeRules.TooLong, "The reason is too long.");
        }

        await completion.CompleteAsync(user, taskId, new Dictionary<string, object?>
        {
            [NoticeReviewVariables.Approved] = approve,
            [NoticeReviewVariables.ReturnReason] = approve ? null : cleanReason,
            [NoticeReviewVariables.Reviewer] = user.UserId,
        }, cancellationToken);
    }

    public static Guid? CentreOf(ClaimsPrincipal principal) => CentreClaimsPrincipalFactory.CentreOf(principal);
}
