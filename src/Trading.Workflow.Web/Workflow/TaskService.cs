using Microsoft.AspNetCore.Identity;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Web.Access;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;
using Trading.Workflow.Web.Data;
using Trading.Workflow.Web.Forms;

namespace Trading.Workflow.Web.Workflow;

/// <summary>A task as its page shows it: the task, its instance, how it is completed, and what the user may do.</summary>
public sealed record TaskView(
    UserTaskInfo Task,
    ProcessInstanceInfo? Instance,
    FormSchema? Form,
    BuiltInTaskComponent? Component,
    IReadOnlyDictionary<string, object?> Variables,
    bool CanClaim,
    bool CanUnclaim,
    bool CanDelegate,
    bool CanComplete)
{
    /// <summary>The user's standing in the task's project; null when the task belongs to no project.</summary>
    public Domain.Access.ProjectStanding? Standing { get; init; }

    /// <summary>A form key that names neither a stored form nor a registered component.</summary>
    public bool FormMissing => Task.FormKey is not null && Form is null && Component is null;
}

/// <summary>The result of completing a task: done, or the problems with what was submitted (nothing was changed).</summary>
public sealed record TaskCompletion(bool Completed, IReadOnlyList<FormFieldError> Errors)
{
    public static TaskCompletion Done { get; } = new(true, []);
}

/// <summary>
/// Task commands for people, with the rules checked here on the server whatever the page shows: only a candidate
/// claims an unclaimed task; only the assignee unclaims, delegates, uploads to or completes it; completion goes
/// through the task's form (or built-in component) validation; supervisors change nothing.
/// </summary>
public sealed class TaskService(
    IWorkflowEngine engine,
    FormStore forms,
    BuiltInTaskComponentRegistry components,
    DocumentStore documents,
    UserManager<AppUser> users,
    WorkflowAccess access)
{
    public async Task<TaskView> GetAsync(WorkflowUser user, Guid taskId, CancellationToken cancellationToken = default)
    {
        var task = await engine.GetTaskAsync(taskId, cancellationToken) ?? throw new WorkflowNotFoundException("task", taskId.ToString());
        var standing = await access.StandingAsync(user, task.BusinessKey, cancellationToken);
        if (!WorkflowAccess.MayView(user, task, standing))
        {
            throw new WorkflowAccessDeniedException();
        }

        var instance = await engine.GetInstanceAsync(task.InstanceId, cancellationToken);
        var variables = await engine.GetVariablesAsync(task.InstanceId, cancellationToken);
        var component = components.Find(task.FormKey);
        FormSchema? form = null;
        if (component is null && task.FormKey is { } formKey && !BuiltInTaskComponentRegistry.IsComponentKey(formKey))
        {
            form = (await forms.GetForVersionAsync(task.ProcessId, task.ProcessVersion, formKey, cancellationToken))?.Schema;
        }

        if (standing is { OwnDataOnly: true })
        {
            // A bidder or a drawn expert sees the variables of its own task's form, not the whole instance.
            variables = ParticipantVariables.Filter(variables, ParticipantVariables.Of(form).Concat(component?.ParticipantVariables ?? []));
        }

        var open = task.State == UserTaskState.Open;
        // In a project only its acting parties work on its tasks (not parent-centre staff, supervisors or administrators).
        var mayAct = !IsSupervisorOnly(user) && (standing is null || standing.MayReceiveTasks);
        var mine = string.Equals(task.Assignee, user.UserId, StringComparison.Ordinal);
        return new TaskView(
            task, instance, form, component, variables,
            CanClaim: open && mayAct && task.Assignee is null && WorkflowAccess.IsCandidate(user, task, standing),
            CanUnclaim: open && mayAct && mine,
            CanDelegate: open && mayAct && mine,
            CanComplete: open && mayAct && mine)
        {
            Standing = standing,
        };
    }

    public async Task ClaimAsync(WorkflowUser user, Guid taskId, CancellationToken cancellationToken = default)
    {
        var view = await GetAsync(user, taskId, cancellationToken);
        Require(view.CanClaim);
        await engine.ClaimTaskAsync(taskId, user.UserId, cancellationToken);
    }

    public async Task UnclaimAsync(WorkflowUser user, Guid taskId, CancellationToken cancellationToken = default)
    {
        var view = await GetAsync(user, taskId, cancellationToken);
        Require(view.CanUnclaim);
        await engine.UnclaimTaskAsync(taskId, user.UserId, cancellationToken);
    }

    /// <summary>Hands the task to another user with a note kept in history.</summary>
    /// <exception cref="WorkflowNotFoundException">No user has the name <paramref name="delegateTo"/>.</exception>
    public async Task DelegateAsync(WorkflowUser user, Guid taskId, string delegateTo, string? note, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(delegateTo);
        var view = await GetAsync(user, taskId, cancellationToken);
        Require(view.CanDelegate);
        var target = await users.FindByNameAsync(delegateTo.Trim()) ?? throw new WorkflowNotFoundException("user", delegateTo);
        await engine.DelegateTaskAsync(taskId, target.UserName!, string.IsNullOrWhiteSpace(note) ? null : note.Trim(), user.UserId, cancellationToken);
    }

    /// <summary>
    /// Validates the submission against the task's form (or built-in component) and completes the task with the
    /// form's values only; with problems nothing changes and the problems come back.
    /// </summary>
    public async Task<TaskCompletion> CompleteAsync(
        WorkflowUser user, Guid taskId, IReadOnlyDictionary<string, object?> submitted, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(submitted);
        var view = await GetAsync(user, taskId, cancellationToken);
        Require(view.CanComplete);
        if (view.FormMissing)
        {
            throw new WorkflowDefinitionException(
                $"任务表单“{view.Task.FormKey}”不存在，请联系流程管理员。", $"The task form '{view.Task.FormKey}' does not exist; ask a process administrator.");
        }

        IReadOnlyDictionary<string, object?> values = new Dictionary<string, object?>();
        if (view.Form is not null || view.Component is not null)
        {
            var result = view.Component is { } component ? component.Validate(submitted) : FormValidator.Validate(view.Form!, submitted);
            if (!result.IsValid)
            {
                return new TaskCompletion(false, result.Errors);
            }

            values = result.Values;
            if (view.Form is not null)
            {
                var errors = await CheckDocumentsAsync(view, values, cancellationToken);
                if (errors.Count > 0)
                {
                    return new TaskCompletion(false, errors);
                }
            }
        }

        await engine.CompleteTaskAsync(taskId, values, user.UserId, cancellationToken);
        return TaskCompletion.Done;
    }

    /// <summary>Stores a file for a field of the task's form; only the assignee uploads.</summary>
    public async Task<DocumentInfo> UploadAsync(
        WorkflowUser user, Guid taskId, string fieldKey, string fileName, string contentType, Stream content, CancellationToken cancellationToken = default)
    {
        var view = await GetAsync(user, taskId, cancellationToken);
        Require(view.CanComplete);
        var field = view.Form?.InputFields.FirstOrDefault(f => f.Type == FormFieldTypes.File && string.Equals(f.Key, fieldKey, StringComparison.Ordinal))
                    ?? throw new InvalidVariableException(fieldKey, "该表单没有这个文件字段。", "The form has no such file field.");

        // Checked by content against the field's allow-list, before anything is stored.
        await using var buffer = new FileStream(
            Path.Combine(Path.GetTempPath(), $"tw-upload-{Guid.NewGuid():N}"), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose);
        await content.CopyToAsync(buffer, cancellationToken);
        buffer.Position = 0;
        var kind = TaskUploadPolicy.Check(field, fileName, buffer);
        return await documents.SaveAsync(
            view.Task.InstanceId, view.Task.BusinessKey, taskId, fieldKey, fileName, Trading.Workflow.Domain.Documents.FileKinds.ContentType(kind), buffer, user.UserId, cancellationToken);
    }

    /// <summary>Supervisors read and intervene through the regulator's channels, never act in a trade (domain.md): no task or instance command.</summary>
    public static bool IsSupervisorOnly(WorkflowUser user) =>
        user.IsInRole(PlatformRoles.Supervisor) && !user.IsAdministrator;

    private async Task<List<FormFieldError>> CheckDocumentsAsync(TaskView view, IReadOnlyDictionary<string, object?> values, CancellationToken cancellationToken)
    {
        var errors = new List<FormFieldError>();
        var fileFields = view.Form!.InputFields.Where(f => f.Type == FormFieldTypes.File && f.Key is not null).ToList();
        if (fileFields.Count == 0)
        {
            return errors;
        }

        var known = (await documents.ListAsync(view.Task.InstanceId, cancellationToken)).Select(d => d.Id.ToString()).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var field in fileFields)
        {
            var ids = values.GetValueOrDefault(field.Key!) switch
            {
                string id => [id],
                IEnumerable<object?> list => list.Select(i => i?.ToString() ?? string.Empty).ToList(),
                _ => new List<string>(),
            };
            if (ids.Any(id => !known.Contains(id)))
            {
                errors.Add(new FormFieldError(field.Key!, $"“{field.Label ?? field.Key}”的文件不属于本项目。", $"The file of '{field.LabelEn ?? field.Key}' does not belong to this project."));
            }
        }

        return errors;
    }

    private static void Require(bool allowed)
    {
        if (!allowed)
        {
            throw new WorkflowAccessDeniedException();
        }
    }
}
