using Trading.Workflow.Engine.Persistence.Versions;
using Trading.Workflow.Engine.Runtime;

namespace Trading.Workflow.Web.Designer;

/// <summary>A procedure (process id) with its newest published version and whether a draft is open.</summary>
public sealed record ProcedureSummary(string ProcessId, string? Name, int? LatestVersion, bool HasDraft, int PublishedCount);

/// <summary>What the designer needs from the procedure versions: drafts, publishing, retiring, re-publishing.</summary>
public interface IProcedureCatalog
{
    Task<IReadOnlyList<ProcedureSummary>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Every version of the procedure, oldest first, the draft (if any) last.</summary>
    Task<IReadOnlyList<ProcessVersionInfo>> GetVersionsAsync(string processId, CancellationToken cancellationToken = default);

    /// <summary>The XML of a version, or of the draft when <paramref name="version"/> is null; null when there is none.</summary>
    Task<string?> GetXmlAsync(string processId, int? version, CancellationToken cancellationToken = default);

    /// <summary>
    /// Keeps the XML as the draft of every process it defines, with the forms the procedure had that the XML lacks
    /// written into it; returns the XML saved.
    /// </summary>
    Task<string> SaveDraftAsync(string xml, string? userId, CancellationToken cancellationToken = default);

    /// <summary>
    /// As above, refused (nothing saved) when the draft of <paramref name="basedOn"/>'s process changed since the
    /// editor read it (<see cref="WorkflowConflictException"/>).
    /// </summary>
    Task<string> SaveDraftAsync(string xml, string? userId, DraftBase basedOn, CancellationToken cancellationToken = default);

    /// <summary>Publishes the draft as version n+1 with the change note; returns the new version number.</summary>
    Task<int> PublishAsync(string processId, string? userId, string? changeNote, CancellationToken cancellationToken = default);

    Task RetireAsync(string processId, int version, string? userId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Publishes an earlier version again as version n+1; returns the new version number. Without a change note the
    /// note says so in the centre's language.
    /// </summary>
    Task<int> RepublishAsync(string processId, int version, string? userId, string? changeNote, CancellationToken cancellationToken = default);
}
