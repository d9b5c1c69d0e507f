using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Trading.Workflow.Engine.Tests.Runtime.Support;

public sealed record LogEntry(string Category, LogLevel Level, string Message, IReadOnlyDictionary<string, object?> State, EventId EventId, Exception? Exception);

/// <summary>
/// Keeps every log entry with its structured properties, so tests can assert what was logged. Shared by the engine
/// tests and, linked, by the persistence and Quartz tests.
/// </summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<LogEntry> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = new Dictionary<string, object?>();
            if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
            {
                foreach (var (key, value) in pairs)
                {
                    values[key] = value;
                }
            }

            owner.Entries.Enqueue(new LogEntry(category, logLevel, formatter(state, exception), values, eventId, exception));
        }
    }
}
