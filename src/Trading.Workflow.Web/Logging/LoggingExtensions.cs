using Serilog;
using Serilog.Extensions.Logging;
using Serilog.Settings.Configuration;

namespace Trading.Workflow.Web.Logging;

public static class LoggingExtensions
{
    /// <summary>
    /// Serilog as the only logging provider, configured from the "Serilog" section. A relative file sink
    /// path is placed under Storage:DataFolder so logs sit beside the database.
    /// </summary>
    public static WebApplicationBuilder AddPlatformLogging(this WebApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();

        // Built when the container first needs logging, so settings added by hosts and tests are seen.
        builder.Services.AddSingleton<ILoggerProvider>(services =>
            new SerilogLoggerProvider(CreateLogger(services.GetRequiredService<IConfiguration>()), dispose: true));
        return builder;
    }

    internal static Serilog.Core.Logger CreateLogger(IConfiguration configuration)
    {
        var dataFolder = Path.GetFullPath(configuration["Storage:DataFolder"] is { Length: > 0 } folder ? folder : "data");
        var overrides = new Dictionary<string, string?>();
        foreach (var sink in configuration.GetSection("Serilog:WriteTo").GetChildren())
        {
            if (sink["Args:path"] is { Length: > 0 } path && !Path.IsPathRooted(path))
            {
                overrides[$"Serilog:WriteTo:{sink.Key}:Args:path"] = Path.Combine(dataFolder, path);
            }
        }

        var effective = new ConfigurationBuilder().AddConfiguration(configuration).AddInMemoryCollection(overrides).Build();
        var readerOptions = new ConfigurationReaderOptions(
            typeof(ConsoleLoggerConfigurationExtensions).Assembly, typeof(FileLoggerConfigurationExtensions).Assembly);
        return new LoggerConfiguration().ReadFrom.Configuration(effective, readerOptions).CreateLogger();
    }
}
