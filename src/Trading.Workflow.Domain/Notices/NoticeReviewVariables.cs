namespace Trading.Workflow.Domain.Notices;

/// <summary>The process variables of the notice review procedure (workflows/kernel/notice-review.bpmn).</summary>
public static class NoticeReviewVariables
{
    public const string NoticeId = "noticeId";
    public const string Title = "noticeTitle";
    public const string ProjectCode = "projectCode";
    public const string ProjectName = "projectName";
    public const string CentreId = "centreId";
    public const string TradeType = "tradeType";
    public const string SubmittedBy = "noticeSubmittedBy";

    /// <summary>Set by the review, never by the browser: the server adds the signed-in reviewer.</summary>
    public const string Reviewer = "noticeReviewer";
    public const string Approved = "noticeApproved";
    public const string ReturnReason = "noticeReturnReason";

    public static Dictionary<string, object?> ForStart(Notice notice, string submittedBy) => new()
    {
        [NoticeId] = notice.Id.ToString(),
        [Title] = notice.Title,
        [ProjectCode] = notice.ProjectCode,
        [ProjectName] = notice.ProjectName,
        [CentreId] = notice.CentreId.ToString(),
        [TradeType] = notice.TradeType,
        [SubmittedBy] = submittedBy,
    };
}
