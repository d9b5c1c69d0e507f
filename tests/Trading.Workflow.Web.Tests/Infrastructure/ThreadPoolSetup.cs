using System.Runtime.CompilerServices;

namespace Trading.Workflow.Web.Tests.Infrastructure;

/// <summary>
/// bUnit's synchronous waits and the app hosts' synchronous starts (<c>factory.Server</c>) block thread-pool threads while
/// the tests run side by side; on 2 cores the pool starts with 2 workers and adds more only slowly, so a bUnit wait could
/// time out before its check ever ran (seen once in a full run). More workers from the start, as bUnit advises.
/// </summary>
internal static class ThreadPoolSetup
{
    [ModuleInitializer]
    internal static void RaiseMinThreads()
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, Environment.ProcessorCount * 8), io);
    }
}
