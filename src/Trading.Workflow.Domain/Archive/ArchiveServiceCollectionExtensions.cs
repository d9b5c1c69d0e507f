using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Trading.Workflow.Domain.Archive;

public static class ArchiveServiceCollectionExtensions
{
    /// <summary>The archive (资料归档): the schema module, the read-only guard the other services ask, the service and its handler, the supplements made when an archived project's deposits settle, and the package downloads of the parties a part lets read its archives (<see cref="IArchiveReaders"/>).</summary>
    public static IServiceCollection AddArchive(this IServiceCollection services)
    {
        services.AddTradingSchemaModule("archive", "Trading.Workflow.Domain.Archive.Schema");
        services.TryAddSingleton<ArchiveGuard>();
        services.TryAddSingleton<ArchiveService>();
        services.TryAddSingleton<ArchiveQueue>();
        services.AddServiceTaskHandler<ArchiveProjectHandler>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Deposits.IDepositSettlementObserver, ArchiveDepositSupplements>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Documents.IDocumentAccessRule, ArchivePackageAccess>());
        return services;
    }
}
