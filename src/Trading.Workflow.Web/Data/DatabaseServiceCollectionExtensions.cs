using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Web.Configuration;

namespace Trading.Workflow.Web.Data;

public static class DatabaseServiceCollectionExtensions
{
    /// <summary>
    /// The application database (SQLite or PostgreSQL by configuration), its schema upgrade at start
    /// and, when enabled, the demo data.
    /// </summary>
    public static IServiceCollection AddPlatformDatabase(this IServiceCollection services)
    {
        services.AddValidatedOptions<StorageOptions, StorageOptions.Validator>(StorageOptions.SectionName);
        services.AddValidatedOptions<DatabaseOptions, DatabaseOptions.Validator>(DatabaseOptions.SectionName);
        services.AddValidatedOptions<DemoDataOptions, DemoDataOptions.Validator>(DemoDataOptions.SectionName);
        services.AddSingleton<DatabaseTarget>();

        // Sign-in cookies survive restarts and move between nodes: the key ring lives in the keys folder, outside the
        // database (a copy of the database alone cannot forge a sign-in).
        services.AddDataProtection().SetApplicationName("Trading.Workflow");
        services.AddOptions<KeyManagementOptions>().Configure<IOptions<StorageOptions>>((keys, storage) =>
            keys.XmlRepository = new FileSystemXmlRepository(new DirectoryInfo(storage.Value.ResolveKeysFolder()), NullLoggerFactory.Instance));
        services.AddDbContext<AppDbContext>((provider, options) =>
        {
            var target = provider.GetRequiredService<DatabaseTarget>();
            _ = target.Provider switch
            {
                DatabaseProvider.PostgreSql => options.UseNpgsql(target.ConnectionString),
                _ => options.UseSqlite(target.ConnectionString),
            };
        });
        services.AddSingleton<SchemaMigrator>();
        services.AddHostedService<StartupLock>();
        services.AddScoped<DemoDataSeeder>();
        services.AddScoped<Centres.ICentreDirectory, Centres.CentreDirectory>();
        services.AddHostedService<DatabaseInitializer>();
        return services;
    }
}
