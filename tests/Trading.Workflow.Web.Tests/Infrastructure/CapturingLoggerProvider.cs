using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Trading.Workflow.Web.Tests.Infrastructure;

/// <summary>Records every log entry with the properties of its scopes (e.g. CorrelationId).</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public ConcurrentQueue<LogEntry> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    public sealed record LogEntry(string Category, LogLevel Level, string Message, IReadOnlyDictionary<string, object?> Scope);

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scope = new Dictionary<string, object?>();
            owner._scopes.ForEachScope(
                (value, properties) =>
                {
                    if (value is IEnumerable<KeyValuePair<string, object>> pairs)
                    {
                        foreach (var (key, item) in pairs)
                        {
                            properties[key] = item;
                        }
                    }
                },
                scope);
            owner.Entries.Enqueue(new LogEntry(category, logLevel, formatter(state, exception), scope));
        }
    }
}
