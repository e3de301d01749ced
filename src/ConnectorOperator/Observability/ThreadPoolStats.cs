using Prometheus;

namespace ConnectorOperator.Observability;

/// <summary>
/// Thread pool series read at scrape time. prometheus-net's DotNetStats covers process and GC; its thread pool
/// numbers come only through the process-wide event counter listener, which a per-operator registry does not get.
/// </summary>
internal static class ThreadPoolStats
{
    public static void Register(CollectorRegistry registry)
    {
        var f = Metrics.WithCustomRegistry(registry);
        var threads = f.CreateGauge("dotnet_threadpool_threads", "Thread pool threads that exist now");
        var pending = f.CreateGauge("dotnet_threadpool_queue_length", "Work items queued to the thread pool and not yet started");
        var completed = f.CreateCounter("dotnet_threadpool_completed_items_total", "Work items the thread pool completed since the process started");
        registry.AddBeforeCollectCallback(() =>
        {
            threads.Set(ThreadPool.ThreadCount);
            pending.Set(ThreadPool.PendingWorkItemCount);
            completed.IncTo(ThreadPool.CompletedWorkItemCount);
        });
    }
}
