namespace Trading.Workflow.Domain.Openings;

/// <summary>Rule codes raised by bid openings; the web app maps each to a message in Chinese and English.</summary>
public static class OpeningRules
{
    public const string NotFound = "Opening.NotFound";
    public const string AlreadyStarted = "Opening.AlreadyStarted";
    public const string NotDecrypting = "Opening.NotDecrypting";
    public const string WindowClosed = "Opening.WindowClosed";
    public const string NotABidder = "Opening.NotABidder";
    public const string AlreadySettled = "Opening.AlreadySettled";
    public const string KeyMalformed = "Opening.KeyMalformed";
    public const string CloseEarlyNeedsAll = "Opening.CloseEarlyNeedsAll";
    public const string NotClosed = "Opening.NotClosed";
    public const string ObjectionRequired = "Opening.ObjectionRequired";
    public const string ObjectionTooLong = "Opening.ObjectionTooLong";
    public const string ObjectionsClosed = "Opening.ObjectionsClosed";
    public const string ObjectionAnswered = "Opening.ObjectionAnswered";
    public const string AnswerRequired = "Opening.AnswerRequired";
    public const string NotAllowed = "Opening.NotAllowed";
    public const string SectionRequired = "Opening.SectionRequired";
    public const string Changed = "Opening.Changed";
}
