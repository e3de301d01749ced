using System.Text;
using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Api;
using ConnectorOperator.LocalCluster.Faults;
using ConnectorOperator.LocalCluster.Primitives;
using ConnectorOperator.LocalCluster.Selectors;
using ConnectorOperator.LocalCluster.Storage;
using Microsoft.AspNetCore.Http;

namespace ConnectorOperator.LocalCluster.Http;

/// <summary>
/// Serves one watch: a chunked 200 response of newline-delimited {"type","object"} events, flushed per batch, with
/// bookmarks, timeoutSeconds, and the fault injector's cut/stall/410 behaviours. Timing uses the real clock.
/// </summary>
internal sealed class WatchStream(ObjectStore store, FaultInjector faults, TimeProvider time, TimeSpan bookmarkInterval, CancellationToken serverStopping)
{
    private static readonly TimeSpan StallPoll = TimeSpan.FromMilliseconds(20);

    public async Task ServeAsync(HttpContext context, ResourceType resource, string? ns, LabelSelector labels, FieldSelector fields, RequestQuery query, ResponseFormat format)
    {
        var timeout = query.Long("timeoutSeconds") is { } seconds and > 0 ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
        var bookmarks = query.Flag("allowWatchBookmarks");
        var requested = query["resourceVersion"];
        var forced = faults.TakeForcedGone();
        var tooOld = $"too old resource version: {requested} ({store.CurrentResourceVersion})";
        if (forced == WatchGoneStyle.HttpStatus)
        {
            throw StatusObjects.Gone(tooOld);
        }

        WatchSubscription? subscription = null;
        string? expired = forced == WatchGoneStyle.ErrorEvent ? tooOld : null;
        if (expired is null)
        {
            try
            {
                subscription = store.Watch(resource, ns, labels, fields, requested);
            }
            catch (WatchExpiredException e)
            {
                expired = e.Message;
            }
        }

        using var owned = subscription;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, serverStopping);
        var ct = stop.Token;
        context.Response.StatusCode = 200;
        context.Response.ContentType = MediaTypes.Json;
        context.Response.Headers["Cache-Control"] = "no-cache, private";
        await context.Response.StartAsync(ct).ConfigureAwait(false);
        await context.Response.Body.FlushAsync(ct).ConfigureAwait(false);
        if (subscription is null)
        {
            await WriteEventAsync(context, WatchEventTypes.Error, StatusObjects.Failure(410, "Expired", expired!), ct).ConfigureAwait(false);
            await context.Response.Body.FlushAsync(ct).ConfigureAwait(false);
            return;
        }

        using var end = new CancellationTokenSource();
        using var registration = faults.WatchOpened(context.Abort, () => CancelQuietly(end));
        var render = new Representations(format, resource, query["includeObject"] ?? "Metadata", time.GetUtcNow());
        try
        {
            await PumpAsync(context, subscription, render, timeout, bookmarks, ct, end.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // The client went away or the stream was cut: nothing left to tell anyone.
        }
    }

    private static void CancelQuietly(CancellationTokenSource source)
    {
        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The watch already ended.
        }
    }

    /// <summary>
    /// kube-apiserver's schedule: every interval, but no later than 2 s before the watch's deadline, so a client
    /// whose watch times out quietly still leaves with a fresh resume point.
    /// </summary>
    private static DateTimeOffset NextBookmark(DateTimeOffset now, TimeSpan interval, DateTimeOffset deadline)
    {
        var periodic = now + interval;
        if (deadline == DateTimeOffset.MaxValue) return periodic;
        var beforeDeadline = deadline - TimeSpan.FromSeconds(2);
        return beforeDeadline > now && beforeDeadline < periodic ? beforeDeadline : periodic;
    }

    private async Task PumpAsync(HttpContext context, WatchSubscription subscription, Representations render, TimeSpan? timeout, bool bookmarks, CancellationToken ct, CancellationToken end)
    {
        var clock = TimeProvider.System;
        var deadline = timeout is null ? DateTimeOffset.MaxValue : clock.GetUtcNow() + timeout.Value;
        var interval = bookmarkInterval > TimeSpan.Zero ? bookmarkInterval : TimeSpan.FromMinutes(1);
        var nextBookmark = NextBookmark(clock.GetUtcNow(), interval, deadline);
        var reader = subscription.Events;
        while (!ct.IsCancellationRequested && !end.IsCancellationRequested)
        {
            if (faults.WatchesStalled)
            {
                await Task.Delay(StallPoll, ct).ConfigureAwait(false);
                continue;
            }

            var now = clock.GetUtcNow();
            if (now >= deadline)
            {
                return;
            }

            if (bookmarks && now >= nextBookmark)
            {
                store.RequestBookmark(subscription);
                nextBookmark = NextBookmark(now, interval, deadline);
            }

            var wrote = false;
            while (!faults.WatchesStalled && reader.TryRead(out var e))
            {
                var seen = subscription.AsClientSees(e);
                var obj = seen.Type == WatchEventTypes.Bookmark ? render.Bookmark(seen.Object) : render.Object(seen.Object);
                await WriteEventAsync(context, seen.Type, obj, ct).ConfigureAwait(false);
                wrote = true;
            }

            if (wrote)
            {
                await context.Response.Body.FlushAsync(ct).ConfigureAwait(false);
                continue;
            }

            if (reader.Completion.IsCompleted)
            {
                return;
            }

            var until = bookmarks && nextBookmark < deadline ? nextBookmark : deadline;
            var wait = until - now;
            if (wait > TimeSpan.FromSeconds(1))
            {
                wait = TimeSpan.FromSeconds(1);
            }

            using var waitCts = CancellationTokenSource.CreateLinkedTokenSource(ct, end);
            waitCts.CancelAfter(wait < TimeSpan.Zero ? TimeSpan.Zero : wait);
            try
            {
                await reader.WaitToReadAsync(waitCts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                // Timer: time for a bookmark, the deadline, or a periodic stall check.
            }
        }
    }

    private static async Task WriteEventAsync(HttpContext context, string type, JsonObject obj, CancellationToken ct)
    {
        var line = new JsonObject { ["type"] = type, ["object"] = obj }.ToJsonString() + "\n";
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(line), ct).ConfigureAwait(false);
    }
}
