using System.Collections;
using Microsoft.Extensions.Localization;
using Trading.Workflow.Domain.Experts;

namespace Trading.Workflow.Web.Workflow;

/// <summary>
/// The sealed experts' placeholder (<see cref="ExpertNameSeal.Placeholder"/>, both languages in one token so the API and
/// the record read the same) shown in the reader's language only, where an instance's history, tasks and variables are
/// displayed.
/// </summary>
public static class SealedExpertNames
{
    public const string LabelKey = "Expert.Sealed";

    /// <summary>The detail with every placeholder read as <paramref name="text"/>'s label (the same detail when none).</summary>
    public static InstanceDetail? Localize(InstanceDetail? detail, IStringLocalizer<SharedResource> text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (detail is null || !Mentions(detail))
        {
            return detail;
        }

        var label = text[LabelKey].Value;
        return detail with
        {
            History = [.. detail.History.Select(h => h with
            {
                UserId = Replace(h.UserId, label), Details = Replace(h.Details, label),
                OldValue = ReplaceValue(h.OldValue, label), NewValue = ReplaceValue(h.NewValue, label),
            })],
            Tasks = [.. detail.Tasks.Select(t => t with
            {
                Assignee = Replace(t.Assignee, label), Owner = Replace(t.Owner, label), ClaimedBy = Replace(t.ClaimedBy, label),
                CompletedBy = Replace(t.CompletedBy, label), CandidateUsers = [.. t.CandidateUsers.Select(u => Replace(u, label)!)],
            })],
            Variables = detail.Variables.ToDictionary(v => v.Key, v => ReplaceValue(v.Value, label), StringComparer.Ordinal),
        };
    }

    // The seal is applied to few instances; the rest are passed through untouched.
    private static bool Mentions(InstanceDetail detail) =>
        detail.History.Any(h => Has(h.UserId) || Has(h.Details) || HasValue(h.OldValue) || HasValue(h.NewValue))
        || detail.Tasks.Any(t => Has(t.Assignee) || Has(t.Owner) || Has(t.ClaimedBy) || Has(t.CompletedBy) || t.CandidateUsers.Any(Has))
        || detail.Variables.Values.Any(HasValue);

    private static bool Has(string? text) => text?.Contains(ExpertNameSeal.Placeholder, StringComparison.Ordinal) == true;

    private static bool HasValue(object? value) => value switch
    {
        string text => Has(text),
        IDictionary dictionary => dictionary.Values.Cast<object?>().Any(HasValue),
        IEnumerable items => items.Cast<object?>().Any(HasValue),
        _ => false,
    };

    private static string? Replace(string? text, string label) => text?.Replace(ExpertNameSeal.Placeholder, label, StringComparison.Ordinal);

    private static object? ReplaceValue(object? value, string label) => !HasValue(value)
        ? value
        : value switch
        {
            string text => Replace(text, label),
            IDictionary dictionary => dictionary.Keys.Cast<object>().ToDictionary(k => k.ToString() ?? string.Empty, k => ReplaceValue(dictionary[k], label)),
            IEnumerable items => items.Cast<object?>().Select(v => ReplaceValue(v, label)).ToList(),
            _ => value,
        };
}
