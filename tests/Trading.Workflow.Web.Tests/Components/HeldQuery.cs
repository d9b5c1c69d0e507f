using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Trading.Workflow.Web.Tests.Components;

/// <summary>
/// Holds the first query that reads <paramref name="table"/> until <see cref="Release"/>, as a slow database would: for
/// pages that are live before their load finished. <paramref name="afterItRan"/> holds the answer rather than the
/// question (the read saw the database as it was before anything the test does meanwhile).
/// </summary>
public sealed class HeldQuery(string table, bool afterItRan = false) : DbCommandInterceptor
{
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _held;

    public void Release() => _released.TrySetResult();

    public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        if (!afterItRan)
        {
            await HoldAsync(command, cancellationToken);
        }

        return result;
    }

    public override async ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result,
        CancellationToken cancellationToken = default)
    {
        if (afterItRan)
        {
            await HoldAsync(command, cancellationToken);
        }

        return result;
    }

    private async Task HoldAsync(DbCommand command, CancellationToken cancellationToken)
    {
        if (command.CommandText.Contains(table, StringComparison.Ordinal) && Interlocked.Exchange(ref _held, 1) == 0)
        {
            await _released.Task.WaitAsync(cancellationToken);
        }
    }
}
