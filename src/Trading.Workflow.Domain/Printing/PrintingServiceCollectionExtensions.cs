using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Trading.Workflow.Domain.Documents;

namespace Trading.Workflow.Domain.Printing;

public static class PrintingServiceCollectionExtensions
{
    /// <summary>
    /// Official PDF documents: options (validated at start; the host binds section <c>Printing</c>), the schema module,
    /// <see cref="IOfficialDocuments"/>, the record printer of the opening record and evaluation report, and the
    /// document access rule of the documents' audiences.
    /// </summary>
    public static IServiceCollection AddPrinting(this IServiceCollection services)
    {
        services.AddOptions<PrintingOptions>().ValidateOnStart();
        services.AddSingleton<IValidateOptions<PrintingOptions>, PrintingOptionsValidation>();
        services.AddTradingSchemaModule("printing", "Trading.Workflow.Domain.Printing.Schema");
        services.TryAddSingleton<OfficialDocuments>();
        services.TryAddSingleton<IOfficialDocuments>(sp => sp.GetRequiredService<OfficialDocuments>());
        services.TryAddSingleton<IProjectRecordPrinter, ProjectRecordPrinter>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDocumentAccessRule, OfficialDocumentAccess>());
        return services;
    }

    private sealed class PrintingOptionsValidation : IValidateOptions<PrintingOptions>
    {
        public ValidateOptionsResult Validate(string? name, PrintingOptions options)
        {
            var failures = options.Validate().ToList();
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
