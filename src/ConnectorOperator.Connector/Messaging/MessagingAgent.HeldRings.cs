using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace ConnectorOperator.Connector.Messaging;

/// <summary>
/// Demand beyond capacity: a ring that finds the connector full is held instead of left to expire. It
/// takes the next freed slot, or is rejected after the hold time so the service offers it to an agent
/// with room; while held it shows as a waiting conversation on /status and /metrics.
/// </summary>
public sealed partial class MessagingAgent
{
    /// <summary>The seen-rings value of a ring whose state left WAITING (the default value marks one still waiting).</summary>
    private const byte RingEndedMark = 1;

    public int WaitingConversations => _heldRings.Count;

    public long OfferedAtCapacity => _heldRings.OfferedAtCapacity;

    /// <summary>A waiting ring found every slot taken and is held: count it and give it back when its hold ends.</summary>
    private void OnRingHeld(MessagingSocket socket, HeldRing held, CancellationToken cancellationToken)
    {
        _logger.LogInformation(
            "At capacity ({Capacity}): holding ring {RingId} for conversation {ConversationId} for {HoldSeconds:0.###} s; {Waiting} waiting",
            _settings.Capacity,
            held.RingId,
            held.ConversationId,
            (held.RejectAt - held.HeldAt).TotalSeconds,
            _heldRings.Count);
        _ = RejectWhenDueAsync(socket, held, cancellationToken);
    }

    private async Task RejectWhenDueAsync(MessagingSocket socket, HeldRing held, CancellationToken cancellationToken)
    {
        try
        {
            var wait = held.RejectAt - _time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, _time, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            return;
        }

        // Taken by a freed slot, ended at the service, or forgotten with its connection in the meantime.
        if (_heldRings.Release(held))
        {
            await RejectAsync(socket, held, "no slot freed in time", cancellationToken);
        }
    }

    private async Task RejectAsync(MessagingSocket socket, HeldRing held, string why, CancellationToken cancellationToken)
    {
        _logger.LogInformation(
            "Rejecting held ring {RingId} for conversation {ConversationId} after {HeldSeconds:0.###} s ({Why}) so another agent can take it",
            held.RingId,
            held.ConversationId,
            (_time.GetUtcNow() - held.HeldAt).TotalSeconds,
            why);
        try
        {
            await socket.RequestAsync(".ams.routing.UpdateRingState", new JsonObject { ["ringId"] = held.RingId, ["ringState"] = "REJECTED" }, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // It expires at the service by itself; nothing else to do.
            _logger.LogWarning("Rejecting ring {RingId} failed: {Error}", held.RingId, _redactor.Redact(ex.Message));
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    /// <summary>A slot may have freed: give it to the oldest held ring still alive, at once (no second ring wait).</summary>
    private void OfferFreedCapacity(MessagingSocket socket, CancellationToken cancellationToken)
    {
        while (true)
        {
            HeldRing? next;
            lock (_capacityGate)
            {
                if (_health.IsDraining || _drain.IsCancellationRequested || !HasFreeSlotLocked())
                {
                    return;
                }

                next = _heldRings.TakeOldestAlive();
                if (next is null)
                {
                    return;
                }

                _acceptedRings[next.ConversationId ?? next.RingId] = _time.GetUtcNow();
            }

            _ = AcceptHeldAsync(socket, next, cancellationToken);
        }
    }

    private async Task AcceptHeldAsync(MessagingSocket socket, HeldRing held, CancellationToken cancellationToken)
    {
        if (await SendAcceptAsync(socket, held.RingId, held.ConversationId, cancellationToken))
        {
            _logger.LogInformation("Accepted held ring {RingId} after {HeldSeconds:0.###} s", held.RingId, (_time.GetUtcNow() - held.HeldAt).TotalSeconds);
        }
    }

    /// <summary>Accepts a ring whose slot is already reserved; a refused accept frees the slot for the next held ring.</summary>
    private async Task<bool> SendAcceptAsync(MessagingSocket socket, string ringId, string? conversationId, CancellationToken cancellationToken)
    {
        try
        {
            await socket.RequestAsync(".ams.routing.UpdateRingState", new JsonObject { ["ringId"] = ringId, ["ringState"] = "ACCEPTED" }, cancellationToken);
            _logger.LogInformation("Accepted ring {RingId} for conversation {ConversationId}", ringId, conversationId);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _acceptedRings.TryRemove(conversationId ?? ringId, out _);
            _logger.LogWarning("Accepting ring {RingId} failed: {Error}", ringId, _redactor.Redact(ex.Message));
            OfferFreedCapacity(socket, cancellationToken);
            return false;
        }
        catch (OperationCanceledException)
        {
            // Connection ended before the ring was accepted; the service re-rings someone.
            return false;
        }
    }

    /// <summary>A ring's fate changed at the service (accepted by someone, expired, revoked...): it no longer waits.</summary>
    private void OnRingEnded(string ringId, string? ringState)
    {
        _seenRings[ringId] = RingEndedMark;
        if (_heldRings.Forget(ringId) is { } held)
        {
            _logger.LogInformation("Held ring {RingId} for conversation {ConversationId} ended at the service as {RingState}", ringId, held.ConversationId, ringState);
        }
    }

    /// <summary>The connection ended: its rings are the service's again. A re-offer on the next connection is taken afresh.</summary>
    private void ForgetHeldRings()
    {
        foreach (var held in _heldRings.TakeAll())
        {
            _seenRings.TryRemove(held.RingId, out _);
        }
    }

    /// <summary>Drain, or a bot that went down: give every held ring back at once so the service offers it elsewhere.</summary>
    private async Task RejectHeldRingsAsync(MessagingSocket socket, string why, CancellationToken cancellationToken)
    {
        var held = _heldRings.TakeAll();
        if (held.Count > 0)
        {
            await Task.WhenAll(held.Select(h => RejectAsync(socket, h, why, cancellationToken)));
        }
    }

    /// <summary>Slots taken count conversations held plus rings accepted but not assigned yet. Call under the capacity gate.</summary>
    private bool HasFreeSlotLocked()
    {
        var horizon = _time.GetUtcNow() - TimeSpan.FromSeconds(30);
        foreach (var (key, at) in _acceptedRings)
        {
            if (at < horizon || _conversations.ContainsKey(key))
            {
                _acceptedRings.TryRemove(key, out _);
            }
        }

        return ActiveConversations + _acceptedRings.Count < _settings.Capacity;
    }
}
