using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Engine.Expressions;
using Trading.Workflow.Engine.Handlers;
using Trading.Workflow.Engine.History;
using Trading.Workflow.Engine.Model;
using Trading.Workflow.Engine.Store;
using Trading.Workflow.Engine.Values;

namespace Trading.Workflow.Engine.Runtime;

internal enum OpKind
{
    /// <summary>A token arrives at a node.</summary>
    Enter,

    /// <summary>A token arrives at a catch event or boundary event whose trigger already happened.</summary>
    EnterTriggered,

    /// <summary>The node is done: continue on the outgoing flows.</summary>
    Leave,

    /// <summary>A called instance ended: its call activity continues.</summary>
    ResumeCaller,

    /// <summary>A signal thrown inside the command is delivered.</summary>
    DeliverSignal,
}

internal readonly record struct Op(OpKind Kind, LoadedInstance Instance, ExecutionRecord Execution, FlowNode? Node, SequenceFlow? Flow = null, bool FromJob = false, string? SignalName = null);

/// <summary>
/// One command's run: the instances it loaded, the agenda of work, and the history it wrote. Behaviours report what
/// happens next through its methods; <see cref="RunAsync"/> works the agenda until every token waits (a loop, so a
/// long chain needs no recursion), and <see cref="CommitAsync"/> stores everything at once.
/// The class is split by concern: CommandContext.Loading (instances), .Flow (tokens and jobs), .Joins,
/// .EventsAndErrors (triggers, boundaries, event sub-processes, errors, signals), .MultiInstance, .CallActivities,
/// .Variables (and expressions) and .Commit (history and commit).
/// </summary>
internal sealed partial class CommandContext : IAsyncDisposable
{
    private readonly EngineServices _services;
    // A command usually loads one instance or a short call chain: a list searched in order until a broadcast loads many.
    private const int IndexLoadedAbove = 8;
    private readonly List<LoadedInstance> _order = [];
    private readonly Queue<Op> _agenda = new();
    private Dictionary<Guid, LoadedInstance>? _byId;
    private AsyncServiceScope? _scope;
    private IServiceProvider? _handlerServices;
    private int _steps;

    public CommandContext(EngineServices services, IWorkflowSession session, string? userId, CancellationToken cancellationToken)
    {
        _services = services;
        Session = session;
        UserId = userId;
        CancellationToken = cancellationToken;
        Now = services.Time.GetUtcNow();
    }

    public IWorkflowSession Session { get; }

    public string? UserId { get; }

    public CancellationToken CancellationToken { get; }

    public DateTimeOffset Now { get; }

    /// <summary>A fresh copy of the host's roles for user tasks whose model names nobody.</summary>
    public string[] DefaultCandidateRoles => [.. _services.DefaultCandidateRoles];

    public WorkflowChangeSet Changes { get; } = new();

    public EngineServices Services => _services;

    public IEnumerable<LoadedInstance> Instances => _order;

    public async ValueTask DisposeAsync()
    {
        if (_scope is { } scope)
        {
            await scope.DisposeAsync();
        }

        await Session.DisposeAsync();
    }

    // ---------------------------------------------------------------- handlers

    /// <summary>
    /// The command's DI scope for handlers, opened on first use: most commands run no handler, and handlers added as
    /// instances need none, so a scope per command would be pure cost.
    /// </summary>
    public IServiceProvider HandlerServices => _handlerServices ??= new LazyScopeProvider(this);

    public IServiceTaskHandler? ResolveHandler(string name) => _services.Handlers.Resolve(name, HandlerServices);

    private IServiceProvider Scope => (_scope ??= _services.ScopeFactory.CreateAsyncScope()).ServiceProvider;

    private sealed class LazyScopeProvider(CommandContext context) : IServiceProvider, IKeyedServiceProvider, ISupportRequiredService
    {
        public object? GetService(Type serviceType) => context.Scope.GetService(serviceType);

        public object GetRequiredService(Type serviceType) => context.Scope.GetRequiredService(serviceType);

        public object? GetKeyedService(Type serviceType, object? serviceKey) => context.Scope.GetKeyedService(serviceType, serviceKey);

        public object GetRequiredKeyedService(Type serviceType, object? serviceKey) => context.Scope.GetRequiredKeyedService(serviceType, serviceKey);
    }
}
