using Microsoft.JSInterop;

namespace Trading.Workflow.Web.Tests.Components;

/// <summary>Static rendering runs no script; Radzen components only need the service to exist.</summary>
internal sealed class NoJsRuntime : IJSRuntime
{
    public ValueTask<TValue> InvokeAsync<TValue>(string identifier, object?[]? args) =>
        throw new InvalidOperationException("No JavaScript during static rendering.");

    public ValueTask<TValue> InvokeAsync<TValue>(string identifier, CancellationToken cancellationToken, object?[]? args) =>
        throw new InvalidOperationException("No JavaScript during static rendering.");
}
