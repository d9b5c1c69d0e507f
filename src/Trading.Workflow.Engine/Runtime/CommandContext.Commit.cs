using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Engine.Expressions;
using Trading.Workflow.Engine.Handlers;
using Trading.Workflow.Engine.History;
using Trading.Workflow.Engine.Model;
using Trading.Workflow.Engine.Store;
using Trading.Workflow.Engine.Values;

namespace Trading.Workflow.Engine.Runtime;

// History, and the commit with the commit observers (scheduler, notifier) told afterwards.
internal sealed partial class CommandContext
{
    // ---------------------------------------------------------------- history

    public void History(
        LoadedInstance instance,
        HistoryEventType type,
        ExecutionRecord? execution,
        FlowNode? node,
        Guid? taskId = null,
        string? elementId = null,
        string? elementType = null,
        string? variableName = null,
        object? oldValue = null,
        object? newValue = null,
        string? details = null,
        string? userId = null,
        string? elementName = null)
    {
        if (!Records(_services.Options.HistoryLevel, type))
        {
            return;
        }

        Changes.History.Add(new HistoryEvent(instance.Record.Id, type, Now)
        {
            ProcessId = instance.Record.ProcessId,
            BusinessKey = instance.Record.BusinessKey,
            ElementId = elementId ?? node?.Id,
            ElementType = elementType ?? node?.ElementType,
            ElementName = elementName ?? node?.Name,
            ExecutionId = execution?.Id,
            TaskId = taskId,
            UserId = userId ?? UserId,
            VariableName = variableName,
            OldValue = oldValue,
            NewValue = newValue,
            Details = details,
        });
    }

    private static bool Records(HistoryLevel level, HistoryEventType type) => level switch
    {
        HistoryLevel.Full => true,
        HistoryLevel.None => false,
        _ => type is not (HistoryEventType.VariableCreated or HistoryEventType.VariableUpdated or HistoryEventType.VariableDeleted),
    };

    // ---------------------------------------------------------------- commit

    public async ValueTask CommitAsync()
    {
        foreach (var instance in _order)
        {
            instance.Record.Version = instance.ExpectedVersion + 1;
            Changes.Instances.Add(new InstanceChange(instance.Record, instance.ExpectedVersion, instance.IsNew) { OnLatestVersion = instance.OnLatestVersion });
        }

        await Session.CommitAsync(Changes, CancellationToken);
        await NotifyObserversAsync();
    }

    private async ValueTask NotifyObserversAsync()
    {
        var observers = _services.CommitObservers;
        if (observers.Length == 0)
        {
            return;
        }

        List<TimerInfo>? scheduledTimers = null;
        List<Guid>? removedTimers = null;
        List<JobInfo>? scheduledJobs = null;
        List<Guid>? removedJobs = null;
        foreach (var instance in _order)
        {
            var resend = instance.Resumed;
            var timers = instance.Record.Timers;
            var suspended = instance.Record.State == InstanceState.Suspended;
            foreach (var timer in timers)
            {
                if (!suspended && (resend || !Array.Exists(instance.OriginalTimers, o => o.Id == timer.Id && o.Due == timer.Due)))
                {
                    (scheduledTimers ??= []).Add(TimerInfo.From(timer));
                }
            }

            foreach (var (id, _) in instance.OriginalTimers)
            {
                if (!timers.Exists(t => t.Id == id))
                {
                    (removedTimers ??= []).Add(id);
                }
            }

            var jobs = instance.Record.Jobs;
            foreach (var job in jobs)
            {
                if (!suspended && job.RetriesLeft > 0 && (resend || !Array.Exists(instance.OriginalJobs, o => o.Id == job.Id && o.Due == job.Due)))
                {
                    (scheduledJobs ??= []).Add(JobInfo.From(job));
                }
            }

            foreach (var (id, _) in instance.OriginalJobs)
            {
                if (!jobs.Exists(j => j.Id == id))
                {
                    (removedJobs ??= []).Add(id);
                }
            }
        }

        foreach (var timer in Changes.SavedStartTimers)
        {
            (scheduledTimers ??= []).Add(TimerInfo.From(timer));
        }

        foreach (var id in Changes.RemovedStartTimerIds)
        {
            (removedTimers ??= []).Add(id);
        }

        var commit = new WorkflowCommit(Changes, scheduledTimers ?? [], removedTimers ?? [], scheduledJobs ?? [], removedJobs ?? []);
        foreach (var observer in observers)
        {
            try
            {
                // Not the command's token: the command is committed, observers must hear of it.
                await observer.OnCommittedAsync(commit, CancellationToken.None);
            }
            catch (Exception e)
            {
                _services.Log.CommitObserverFailed(observer.GetType().Name, e);
            }
        }
    }
}
