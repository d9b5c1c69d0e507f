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
    public const string ChunkTooLarge = "Document.ChunkTooLarge";
    public const string UploadNotFound = "Document.UploadNotFound";
    public const string UploadBusy = "Document.UploadBusy";
    public const string AccessDenied = "Document.AccessDenied";
}
