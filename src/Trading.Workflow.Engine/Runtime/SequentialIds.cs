namespace Trading.Workflow.Engine.Runtime;

/// <summary>
/// Version-7 style ids (48-bit millisecond time, then a 12-bit counter) that increase strictly within the process,
/// so records made in the same command sort in creation order (Guid.CreateVersion7 is random within a millisecond)
/// and database indexes stay append-friendly.
/// </summary>
internal static class SequentialIds
{
    private static long _last;

    public static Guid Next(DateTimeOffset now)
    {
        var candidate = Math.Max(0, now.ToUnixTimeMilliseconds()) << 12;
        long value;
        while (true)
        {
            var last = Volatile.Read(ref _last);
            value = Math.Max(candidate, last + 1);
            if (Interlocked.CompareExchange(ref _last, value, last) == last)
            {
                break;
            }
        }

        var milliseconds = value >> 12;
        var counter = (short)(0x7000 | (int)(value & 0xFFF));
        Span<byte> random = stackalloc byte[8];
        Random.Shared.NextBytes(random);
        random[0] = (byte)(0x80 | (random[0] & 0x3F));
        return new Guid((int)(milliseconds >> 16), (short)(milliseconds & 0xFFFF), counter, random[0], random[1], random[2], random[3], random[4], random[5], random[6], random[7]);
    }
}
