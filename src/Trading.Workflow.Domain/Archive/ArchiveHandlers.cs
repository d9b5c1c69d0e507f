using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Engine.Handlers;

namespace Trading.Workflow.Domain.Archive;

/// <summary>The process variables the archive's service task sets.</summary>
public static class ArchiveVariables
{
    /// <summary>Out: the package's document id (download: <c>/documents/{id}/content</c>, staff and supervisors).</summary>
    public const string PackageDocumentId = "archivePackageDocumentId";

    /// <summary>Out: the manifest's SM3 (hex).</summary>
    public const string ManifestSm3 = "archiveManifestSm3";
}

/// <summary>
/// <c>archive.archiveProject</c>, the procedure's last step: packs the project (business key = project code) into its
/// archive and makes it read-only. The shipped procedures run it as an engine job (<c>tw:async="true"</c>), so the
/// user's last command does not wait for the package nor fail with it; the package, its registration and the step's
/// completion commit together in the job's transaction, so a job that fails or dies half-way registers nothing and is
/// retried (then becomes an incident staff retry). Run again after it committed it changes nothing.
/// </summary>
public sealed class ArchiveProjectHandler(ITradingDatabase database) : IServiceTaskHandler
{
    public const string HandlerName = "archive.archiveProject";

    public string Name => HandlerName;

    public string Description => "资料归档：打包项目全部资料与全过程记录（含 SM3 清单），项目转为只读 / Archive the project with a manifest of SM3 hashes; the project becomes read-only";

    public async ValueTask ExecuteAsync(ServiceTaskContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var db = database.For(context);
        var projectId = (await ProjectLookup.RequireByBusinessKeyAsync(db, context.BusinessKey, ArchiveRules.ProjectNotFound, context.CancellationToken)).Id;
        var archive = await context.Services.GetRequiredService<ArchiveService>()
            .ArchiveAsync(db, projectId, "system:procedure", context.InstanceId.ToString(), context.CancellationToken,
                new ArchiveStep(context.InstanceId, context.ProcessId, context.ProcessVersion, context.BusinessKey, context.ElementId, context.ElementName, Name));
        context.SetVariable(ArchiveVariables.PackageDocumentId, archive.PackageDocumentId.ToString());
        context.SetVariable(ArchiveVariables.ManifestSm3, archive.ManifestSm3);
    }
}
