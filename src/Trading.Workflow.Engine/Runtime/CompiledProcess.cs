using Trading.Workflow.Engine.Model;
using Trading.Workflow.Engine.Runtime.Behaviors;

namespace Trading.Workflow.Engine.Runtime;

/// <summary>
/// Per-process lookups computed once at deploy: behaviours per node, the start nodes of every scope and the
/// reachability sets of inclusive joins, so the hot path does no searching.
/// </summary>
internal sealed class CompiledProcess
{
    private readonly Dictionary<IFlowScope, ScopeInfo> _scopes = new(ReferenceEqualityComparer.Instance);

    private CompiledProcess(ProcessModel process)
    {
        Process = process;
    }

    public ProcessModel Process { get; }

    /// <summary>The node an instance started by API begins at.</summary>
    public FlowNode? InitialNode { get; private set; }

    public ScopeInfo Scope(IFlowScope scope) => _scopes[scope];

    public static CompiledProcess For(ProcessModel process)
    {
        if (process.Compiled is { } existing)
        {
            return existing;
        }

        lock (process)
        {
            if (process.Compiled is { } again)
            {
                return again;
            }

            var compiled = new CompiledProcess(process);
            compiled.CompileScope(process);
            compiled.InitialNode = process.StartEvents.Count > 0
                ? process.StartEvents[0]
                : FirstStartEvent(process);
            process.Compiled = compiled;
            return compiled;
        }
    }

    private static FlowNode? FirstStartEvent(IFlowScope scope)
    {
        foreach (var node in scope.Nodes)
        {
            if (node is StartEvent)
            {
                return node;
            }
        }

        return null;
    }

    private void CompileScope(IFlowScope scope)
    {
        var info = new ScopeInfo(scope);
        _scopes[scope] = info;
        foreach (var node in scope.Nodes)
        {
            node.Behavior = NodeBehavior.For(node);
            if (node is SubProcess sub)
            {
                CompileScope(sub);
            }
        }

        foreach (var esp in scope.EventSubProcesses)
        {
            esp.Behavior ??= NodeBehavior.For(esp);
            if (!_scopes.ContainsKey(esp))
            {
                CompileScope(esp);
            }

            foreach (var start in esp.Nodes)
            {
                if (start is StartEvent { Definition: not null } se && start.Incoming.Count == 0)
                {
                    info.EventSubProcessStarts.Add((esp, se));
                }
            }
        }

        // Start nodes: the none start events, else (BPMN allows it in sub-processes) every node without incoming flows.
        if (scope.StartEvents.Count > 0)
        {
            info.StartNodes.AddRange(scope.StartEvents);
        }
        else
        {
            foreach (var node in scope.Nodes)
            {
                if (node.Incoming.Count == 0 && node is not BoundaryEvent && node is not StartEvent && node is not SubProcess { TriggeredByEvent: true })
                {
                    info.StartNodes.Add(node);
                }
            }
        }

        foreach (var node in scope.Nodes)
        {
            if (node is InclusiveGateway && node.Incoming.Count > 1)
            {
                node.ReachableFrom = ReverseReachable(node);
            }
        }
    }

    /// <summary>Every node of the same scope with a path to the target (boundary events count as paths from their activity).</summary>
    private static HashSet<string> ReverseReachable(FlowNode target)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<FlowNode>();
        stack.Push(target);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            foreach (var flow in node.Incoming)
            {
                if (seen.Add(flow.Source.Id))
                {
                    stack.Push(flow.Source);
                }
            }

            if (node is BoundaryEvent boundary && seen.Add(boundary.AttachedTo.Id))
            {
                stack.Push(boundary.AttachedTo);
            }
        }

        return seen;
    }
}

internal sealed class ScopeInfo(IFlowScope scope)
{
    public IFlowScope FlowScope { get; } = scope;

    public List<FlowNode> StartNodes { get; } = [];

    /// <summary>Start events (message, signal, timer, error) of the event sub-processes directly in this scope.</summary>
    public List<(SubProcess EventSubProcess, StartEvent Start)> EventSubProcessStarts { get; } = [];
}
