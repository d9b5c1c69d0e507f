using Microsoft.Extensions.Logging;

namespace Trading.Workflow.Cli.Logging;

/// <summary>
/// Writes log lines to a given writer (stderr) at once and in order, so they interleave with the step lines
/// on stdout exactly as they happened. One line per entry; an exception adds its message, never a stack trace.
/// </summary>
public sealed class TextWriterLoggerProvider(TextWriter writer, LogLevel minimum) : ILoggerProvider
{
    private readonly Lock _lock = new();
    private readonly LogLevel _minimum = minimum;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private void Write(LogLevel level, string category, EventId eventId, string message, Exception? exception)
    {
        var label = level switch
        {
            LogLevel.Trace => "trce",
            LogLevel.Debug => "dbug",
            LogLevel.Information => "info",
            LogLevel.Warning => "warn",
            LogLevel.Error => "fail",
            _ => "crit",
        };
        lock (_lock)
        {
            writer.WriteLine(exception is null
                ? $"{label}: {category}[{eventId.Id}] {message}"
                : $"{label}: {category}[{eventId.Id}] {message} ({exception.GetType().Name}: {exception.Message})");
            writer.Flush();
        }
    }

    private sealed class Logger(TextWriterLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= provider._minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                provider.Write(logLevel, category, eventId, formatter(state, exception), exception);
            }
        }
    }
}
