using System.Collections;
using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Projects;

namespace Trading.Workflow.Domain.Experts;

/// <summary>
/// The names of a project's drawn experts that one viewer may not read yet: until the committee's unseal time
/// (<see cref="ExpertCommittee.UnsealAt"/>) everybody but supervisors reads a placeholder wherever the procedure's history,
/// its tasks or its variables name a drawn expert (the user name or the display name). Applied when the record is read,
/// never to the stored record, so its chain of hashes stays as it was written.
/// </summary>
public sealed class ExpertNameSeal
{
    /// <summary>What a reader sees in place of a sealed expert's name.</summary>
    public const string Placeholder = "［评标专家（密封）/ sealed expert］";

    /// <summary>Nothing sealed: supervisors, projects without a committee, committees past their unseal time.</summary>
    public static readonly ExpertNameSeal None = new(new HashSet<string>(StringComparer.Ordinal), null);

    private readonly HashSet<string> _names;

    public ExpertNameSeal(IReadOnlySet<string> names, DateTimeOffset? sealedUntil)
    {
        ArgumentNullException.ThrowIfNull(names);
        _names = new HashSet<string>(names.Where(n => !string.IsNullOrWhiteSpace(n)), StringComparer.Ordinal);
        SealedUntil = _names.Count == 0 ? null : sealedUntil;
    }

    public bool IsSealed => _names.Count > 0;

    /// <summary>The unseal time of the sealed committee (null when nothing is sealed).</summary>
    public DateTimeOffset? SealedUntil { get; }

    /// <summary>
    /// A text with every sealed name replaced: a text that is one of the names, or names as JSON string values
    /// (<c>"expert3"</c>) inside a text (a history event's details). A name inside a longer word is left alone, so
    /// <c>expert1</c> never changes <c>expert10</c>.
    /// </summary>
    public string? Redact(string? text)
    {
        if (text is null || _names.Count == 0)
        {
            return text;
        }

        if (_names.Contains(text.Trim()))
        {
            return Placeholder;
        }

        foreach (var name in _names.Where(n => text.Contains(n, StringComparison.Ordinal)))
        {
            text = text.Replace("\"" + name + "\"", "\"" + Placeholder + "\"", StringComparison.Ordinal);
        }

        return text;
    }

    /// <summary>A variable's value with every sealed name replaced: a text, or each item of a list of values.</summary>
    public object? RedactValue(object? value) => _names.Count == 0
        ? value
        : value switch
        {
            string text => Redact(text),
            IDictionary dictionary => dictionary.Keys.Cast<object>().ToDictionary(k => k.ToString() ?? string.Empty, k => RedactValue(dictionary[k])),
            IEnumerable items => items.Cast<object?>().Select(RedactValue).ToList(),
            _ => value,
        };

    /// <summary>Every variable with its value redacted.</summary>
    public IReadOnlyDictionary<string, object?> RedactVariables(IReadOnlyDictionary<string, object?> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        return _names.Count == 0 ? variables : variables.ToDictionary(v => v.Key, v => RedactValue(v.Value), StringComparer.Ordinal);
    }
}

/// <summary>Finds the <see cref="ExpertNameSeal"/> of a project for a viewer.</summary>
public sealed class ExpertNameSeals(ITradingDatabase database, TimeProvider clock)
{
    /// <summary>
    /// The seal for <paramref name="viewerRoles"/> on the project with code <paramref name="projectCode"/> (the
    /// procedure's business key): supervisors read every name; anybody else reads placeholders for the experts drawn
    /// for a committee of the project whose unseal time has not come.
    /// </summary>
    public async Task<ExpertNameSeal> ForProjectCodeAsync(string? projectCode, IReadOnlyCollection<string> viewerRoles, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(viewerRoles);
        if (string.IsNullOrWhiteSpace(projectCode) || viewerRoles.Contains(PlatformRoles.Supervisor))
        {
            return ExpertNameSeal.None;
        }

        await using var db = database.Create();
        var projectId = await db.Set<Project>().AsNoTracking().Where(p => p.Code == projectCode).Select(p => (Guid?)p.Id).FirstOrDefaultAsync(cancellationToken);
        if (projectId is not { } id)
        {
            return ExpertNameSeal.None;
        }

        var now = clock.GetUtcNow();
        var sealedCommittees = (await db.Set<ExpertCommittee>().AsNoTracking().Include(c => c.Invitations)
                .Where(c => c.ProjectId == id).ToListAsync(cancellationToken))
            .Where(c => c.UnsealAt > now)
            .ToList();
        if (sealedCommittees.Count == 0)
        {
            return ExpertNameSeal.None;
        }

        var names = sealedCommittees.SelectMany(c => c.Invitations).SelectMany(i => new[] { i.UserName, i.DisplayName }).ToHashSet(StringComparer.Ordinal);
        return new ExpertNameSeal(names, sealedCommittees.Max(c => c.UnsealAt));
    }
}
