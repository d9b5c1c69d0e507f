namespace Trading.Workflow.Domain.Printing;

/// <summary>
/// Issues the platform's official PDF documents (opening records, evaluation reports, award and result notices,
/// land-rights 成交确认书...): renders the spec into a PDF with an embedded CJK font and a QR code that leads to the
/// public verify page, stores it through the Documents part (visible to the spec's audience, staff of the project's
/// centre and supervisors) and records it with its SM3 so anyone holding a copy can check it on the portal.
/// Shared by every trade type.
/// </summary>
public interface IOfficialDocuments
{
    /// <summary>Renders, stores and records one document. Refused on an archived project (Archive.ProjectArchived).</summary>
    Task<IssuedDocument> IssueAsync(OfficialDocumentSpec spec, CancellationToken cancellationToken = default);

    /// <summary>
    /// The same inside the caller's transaction: a service-task handler passes <c>ITradingDatabase.For(context)</c>, so
    /// the document is recorded with the engine command (and not at all if it fails); the caller (engine) saves.
    /// </summary>
    Task<IssuedDocument> IssueAsync(Persistence.TradingDbContext db, OfficialDocumentSpec spec, CancellationToken cancellationToken = default);

    /// <summary>One issued document by its id (the id in the verify path); null when unknown.</summary>
    Task<IssuedDocument?> FindAsync(Guid issuedDocumentId, CancellationToken cancellationToken = default);

    /// <summary>The documents issued for a project, oldest first (the archive packs them).</summary>
    Task<IReadOnlyList<IssuedDocument>> ListForProjectAsync(Guid projectId, CancellationToken cancellationToken = default);
}

/// <summary>What to print.</summary>
/// <param name="ProjectId">The project the document belongs to (its centre is taken from the project).</param>
/// <param name="Kind">What it is: one of <see cref="OfficialDocumentKinds"/> or a trade type's own kind (lower-case, dashes).</param>
/// <param name="Title">The title printed at the top (e.g. 中标通知书).</param>
/// <param name="Issuer">Who issues it, printed under the title and at the foot (e.g. the centre's or the tenderee's name).</param>
/// <param name="Blocks">The body, in order.</param>
/// <param name="Audience">Who may download the PDF besides staff of the project's centre and supervisors.</param>
public sealed record OfficialDocumentSpec(
    Guid ProjectId,
    string Kind,
    string Title,
    string Issuer,
    IReadOnlyList<DocumentBlock> Blocks,
    DocumentAudience Audience)
{
    /// <summary>The section (标段) the document is about, when it is about one.</summary>
    public Guid? SectionId { get; init; }

    /// <summary>The file name to store it under (".pdf" added when missing); by default the title and the project code.</summary>
    public string? FileName { get; init; }

    /// <summary>A document number printed under the title (e.g. the notice number); optional.</summary>
    public string? Number { get; init; }

    /// <summary>The user or handler issuing it (recorded, and on the trail); by default "system".</summary>
    public string IssuedBy { get; init; } = "system";
}

/// <summary>A piece of a document's body.</summary>
public abstract record DocumentBlock;

/// <summary>A heading; level 1 is a section heading, 2 a sub-heading.</summary>
public sealed record HeadingBlock(string Text, int Level = 1) : DocumentBlock;

/// <summary>A paragraph of running text (wrapped; line breaks kept).</summary>
public sealed record ParagraphBlock(string Text) : DocumentBlock;

/// <summary>Label–value lines (项目编号：…), printed as a two-column grid.</summary>
public sealed record FieldsBlock(IReadOnlyList<KeyValuePair<string, string>> Fields) : DocumentBlock;

/// <summary>A table with a header row; <paramref name="Widths"/> are relative column widths (equal when null).</summary>
public sealed record TableBlock(IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows, IReadOnlyList<double>? Widths = null) : DocumentBlock;

/// <summary>Signature lines at the foot (e.g. 评标委员会成员签字 with the names that confirmed online).</summary>
public sealed record SignaturesBlock(IReadOnlyList<string> Labels) : DocumentBlock;

/// <summary>Who may read an issued document, on top of staff of the project's centre and supervisors.</summary>
/// <param name="EntityIds">Entities (bidders, the tenderee...) whose users may read it.</param>
/// <param name="Roles">Platform roles whose users may read it when they are a party of the project (e.g. Tenderee, Expert).</param>
/// <param name="UserNames">Individual users who may read it.</param>
/// <param name="Public">Anyone may download it (a published result notice).</param>
public sealed record DocumentAudience(
    IReadOnlyCollection<Guid> EntityIds,
    IReadOnlyCollection<string> Roles,
    IReadOnlyCollection<string> UserNames,
    bool Public = false)
{
    /// <summary>Staff of the centre and supervisors only.</summary>
    public static DocumentAudience StaffOnly { get; } = new([], [], []);

    /// <summary>Anyone.</summary>
    public static DocumentAudience Everyone { get; } = new([], [], [], Public: true);

    public static DocumentAudience ForEntities(params Guid[] entityIds) => new(entityIds, [], []);

    public static DocumentAudience ForRoles(params string[] roles) => new([], roles, []);
}

/// <summary>An issued document.</summary>
/// <param name="Id">The issued document's id (in the verify path and the QR code).</param>
/// <param name="DocumentId">The stored PDF in the Documents part (download through the documents endpoint).</param>
/// <param name="Sm3">SM3 of the PDF's bytes, lower-case hex.</param>
/// <param name="VerifyPath">The portal page that verifies it, relative to the site root (e.g. /verify/{id}).</param>
public sealed record IssuedDocument(
    Guid Id,
    Guid DocumentId,
    Guid ProjectId,
    Guid? SectionId,
    string Kind,
    string Title,
    string Issuer,
    string? Number,
    string FileName,
    long Length,
    string Sm3,
    DateTimeOffset IssuedAt,
    string IssuedBy,
    string VerifyPath);

/// <summary>The kinds the shared parts issue; trade types may add their own strings.</summary>
public static class OfficialDocumentKinds
{
    /// <summary>开标记录.</summary>
    public const string OpeningRecord = "opening-record";

    /// <summary>评标报告.</summary>
    public const string EvaluationReport = "evaluation-report";

    /// <summary>中标通知书.</summary>
    public const string AwardNotice = "award-notice";

    /// <summary>中标结果通知书 (to the bidders who did not win).</summary>
    public const string ResultNotice = "result-notice";

    /// <summary>成交确认书 (land and property trades).</summary>
    public const string DealConfirmation = "deal-confirmation";

    /// <summary>保证金退还/没收 records.</summary>
    public const string DepositStatement = "deposit-statement";
}

/// <summary>Rule codes of the printing part.</summary>
public static class PrintingRules
{
    public const string TitleRequired = "Printing.TitleRequired";
    public const string KindInvalid = "Printing.KindInvalid";
    public const string ProjectNotFound = "Printing.ProjectNotFound";
    public const string EmptyDocument = "Printing.EmptyDocument";
    public const string FontMissing = "Printing.FontMissing";
    public const string ReportNotConfirmed = "Printing.ReportNotConfirmed";
    public const string OpeningNotClosed = "Printing.OpeningNotClosed";
}
