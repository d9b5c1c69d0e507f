using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Trading.Workflow.Domain.Documents;

namespace Trading.Workflow.Domain;

public static class DocumentsServiceCollectionExtensions
{
    /// <summary>
    /// Documents: the options (validated at start; the host binds section <c>Documents</c>), the file store over
    /// <see cref="DocumentStorage"/> (which the host registers with the resolved folder), the registry's schema
    /// (module "documents") and <see cref="DocumentService"/>.
    /// </summary>
    public static IServiceCollection AddDocuments(this IServiceCollection services)
    {
        services.AddOptions<DocumentOptions>()
            .Validate(o => !o.Problems().Any(), "Documents settings are invalid: Documents:MaxBytes ≥ 1, Documents:ChunkBytes 65536–67108864, Documents:ChunkedAboveBytes ≥ 0, Documents:UploadExpiry > 0, Documents:AllowedKinds without Unknown.")
            .ValidateOnStart();
        services.AddTradingSchemaModule("documents", "Trading.Workflow.Domain.Documents.Schema");
        services.TryAddSingleton<IFileStore>(sp => new DataFolderFileStore(sp.GetRequiredService<DocumentStorage>().Root));
        services.TryAddSingleton<DocumentService>();
        return services;
    }
}
