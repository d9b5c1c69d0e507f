namespace Trading.Workflow.Domain.Notices;

/// <summary>Rule codes raised by notices; the web app maps each to a localized message.</summary>
public static class NoticeRules
{
    public const string TitleRequired = "Notice.TitleRequired";
    public const string BodyRequired = "Notice.BodyRequired";
    public const string TooLong = "Notice.TooLong";
    public const string NotEditable = "Notice.NotEditable";
    public const string NotUnderReview = "Notice.NotUnderReview";
    public const string ReturnReasonRequired = "Notice.ReturnReasonRequired";
    public const string ReviewerIsDrafter = "Notice.ReviewerIsDrafter";
    public const string CorrectsUnpublished = "Notice.CorrectsUnpublished";
    public const string CorrectsOtherProject = "Notice.CorrectsOtherProject";
    public const string ProjectRequired = "Notice.ProjectRequired";
    public const string AttachmentInvalid = "Notice.AttachmentInvalid";
    public const string TooManyAttachments = "Notice.TooManyAttachments";
    public const string NotFound = "Notice.NotFound";
    public const string NotAllowed = "Notice.NotAllowed";
    public const string Immutable = "Notice.Immutable";
    public const string Changed = "Notice.Changed";
}
