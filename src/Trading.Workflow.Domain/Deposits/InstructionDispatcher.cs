namespace Trading.Workflow.Domain.Deposits;

/// <summary>
/// Sends one instruction to the bank so that it is paid at most once, however often it is retried: an instruction
/// tried before is first asked about (the earlier attempt may have reached the bank although its answer was lost);
/// only when the bank does not know it is it sent again, under the same id. The attempt is counted and stored
/// before the adapter is called.
/// </summary>
public static class InstructionDispatcher
{
    /// <returns>The bank's answer, or null when the bank could not be reached (the instruction stays as it was).</returns>
    public static async Task<BankInstructionReply?> DispatchAsync(
        BankInstruction instruction, IBankAdapter adapter, TimeProvider time, Func<CancellationToken, Task> saveAttempt,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instruction);
        ArgumentNullException.ThrowIfNull(adapter);
        ArgumentNullException.ThrowIfNull(saveAttempt);
        if (!instruction.IsOpen)
        {
            return null;
        }

        try
        {
            if (instruction.Attempts > 0 || instruction.State == InstructionState.Accepted)
            {
                var known = await adapter.QueryAsync(instruction.Id, cancellationToken);
                if (known.Status != BankInstructionStatus.Unknown)
                {
                    Apply(instruction, known, time);
                    return known;
                }
            }

            instruction.CountAttempt(time.GetUtcNow());
            await saveAttempt(cancellationToken);
            var reply = await adapter.SendAsync(instruction.ToMessage(), cancellationToken);
            Apply(instruction, reply, time);
            return reply;
        }
        catch (Exception error) when (error is TimeoutException or HttpRequestException or IOException)
        {
            instruction.Failed(error.Message);
            return null;
        }
    }

    /// <summary>Notes that the bank has the instruction; its payment or rejection is left to the caller.</summary>
    private static void Apply(BankInstruction instruction, BankInstructionReply reply, TimeProvider time)
    {
        switch (reply.Status)
        {
            case BankInstructionStatus.Accepted:
                instruction.AcceptedByBank();
                break;
            // Paid and rejected change the ledger and the trail: the caller records them in one transaction.
        }
    }
}
