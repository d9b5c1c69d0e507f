using Trading.Workflow.Domain.Accounts;

namespace Trading.Workflow.Domain.Documents;

/// <summary>Who acts on a document: the user name, their roles and their trading centre (null for province-wide users).</summary>
public sealed record DocumentActor(string UserName, IReadOnlyCollection<string> Roles, Guid? CentreId)
{
    public bool IsInRole(string role) => Roles.Contains(role, StringComparer.Ordinal);

    /// <summary>Staff of the document's centre (any staff when the document names no centre), and supervisors.</summary>
    public bool MayOverseeDocument(Document document) =>
        IsInRole(PlatformRoles.Supervisor)
        || (IsInRole(PlatformRoles.Staff) && (document.CentreId is null || CentreId is null || document.CentreId == CentreId));

    /// <summary>Staff and supervisors see download records; tenderees and bidders never do.</summary>
    public bool MaySeeDownloads => IsInRole(PlatformRoles.Supervisor) || IsInRole(PlatformRoles.Staff);
}

/// <summary>
/// A further reason someone may download a document, added by another part (e.g. the parties of the document's
/// project). The uploader, staff of its centre and supervisors may always; a rule only adds.
/// </summary>
public interface IDocumentAccessRule
{
    ValueTask<bool> MayDownloadAsync(DocumentActor actor, Document document, CancellationToken cancellationToken);
}

/// <summary>What an upload is for: the centre, project and section it belongs to, when known.</summary>
public sealed record DocumentScope(Guid? CentreId = null, Guid? ProjectId = null, Guid? SectionId = null);
