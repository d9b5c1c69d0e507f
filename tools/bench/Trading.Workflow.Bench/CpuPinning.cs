using System.Runtime.InteropServices;

namespace Trading.Workflow.Bench;

/// <summary>
/// Pins the calling thread to CPU 0 on Linux (sched_setaffinity with pid 0 = this thread). Process.ProcessorAffinity
/// would pin only the main thread, which is not necessarily the one that runs the loop after an await.
/// </summary>
internal static partial class CpuPinning
{
    public static bool PinCurrentThreadToFirstCpu()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        ulong mask = 1;
        return SchedSetAffinity(0, sizeof(ulong), ref mask) == 0;
    }

    [LibraryImport("libc", EntryPoint = "sched_setaffinity", SetLastError = true)]
    private static partial int SchedSetAffinity(int pid, nint cpuSetSize, ref ulong mask);
}
