namespace Trading.Workflow.Domain.Documents;

/// <summary>Rule codes raised by the file store; the web app maps each to a localized message.</summary>
public static class DocumentRules
{
    public const string Empty = "Document.Empty";
    public const string TooLarge = "Document.TooLarge";
    public const string TypeNotAllowed = "Document.TypeNotAllowed";
    public const string ContentDoesNotMatchName = "Document.ContentDoesNotMatchName";
    public const string NameInvalid = "Document.NameInvalid";
    public const string NotFound = "Document.NotFound";
    public const string Damaged = "Document.Damaged";
}
