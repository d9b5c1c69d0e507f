using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Serilog.Events;

namespace Trading.Workflow.Web.Tests.Infrastructure;

/// <summary>Records every log entry with the properties of its scopes (e.g. CorrelationId).</summary>
public sealed partial class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public ConcurrentQueue<LogEntry> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    public sealed record LogEntry(string Category, LogLevel Level, string Message, IReadOnlyDictionary<string, object?> Scope);

    [GeneratedRegex(@"\{@?([A-Za-z0-9_]+)(?:[,:][^}]*)?\}")]
    private static partial Regex Placeholder();

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
            if (state is IReadOnlyList<KeyValuePair<string, object?>> values && state.GetType().FullName == "Serilog.Extensions.Logging.SerilogLogValues")
            {
                // An event of the app's Serilog: its properties (correlation id, user...) stand in for the scopes and
                // the message is rendered with strings unquoted, as the console shows it.
                foreach (var (key, value) in values.Where(v => v.Key != "{OriginalFormat}"))
                {
                    scope[key] = value is ScalarValue scalar ? scalar.Value : value;
                }

                var template = (string)values.First(v => v.Key == "{OriginalFormat}").Value!;
                var message = Placeholder().Replace(template, m => scope.TryGetValue(m.Groups[1].Value, out var v) ? Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) ?? "" : m.Value);
                owner.Entries.Enqueue(new LogEntry(category, logLevel, message, scope));
                return;
            }

            owner.Entries.Enqueue(new LogEntry(category, logLevel, formatter(state, exception), scope));
        }
    }
}
