using System.Text.Json;
using System.Text.Json.Nodes;
using ConnectorOperator.Connector.Cloud;
using Microsoft.Extensions.Logging;

namespace ConnectorOperator.Connector.Messaging;

/// <summary>Notifications: rings to accept, conversations that became ours or left us, their messages.</summary>
public sealed partial class MessagingAgent
{
    private async Task PumpAsync(MessagingSocket socket, int connection, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var notification in socket.Notifications.ReadAllAsync(cancellationToken))
            {
                _health.Beat();
                try
                {
                    await HandleAsync(socket, connection, notification, cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    _logger.LogWarning("Handling {Type} failed: {Error}", notification.Type, _redactor.Redact(ex.Message));
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private async Task HandleAsync(MessagingSocket socket, int connection, SocketNotification notification, CancellationToken cancellationToken)
    {
        switch (notification.Type)
        {
            case "routing.RoutingTaskNotification":
                foreach (var change in notification.Body.Items("changes"))
                {
                    var result = change.Prop("result");
                    var conversationId = result?.Str("conversationId");
                    foreach (var ring in result?.Items("ringsDetails") ?? [])
                    {
                        if (ring.Str("ringId") is not { } ringId)
                        {
                            continue;
                        }

                        var ringState = ring.Str("ringState");
                        if (ringState != "WAITING")
                        {
                            OnRingEnded(ringId, ringState);
                        }
                        else if (_seenRings.TryAdd(ringId, 0))
                        {
                            _ = AcceptRingAsync(socket, ringId, conversationId, RingExpiry(ring), cancellationToken);
                        }
                    }
                }

                break;
            case "cqm.ExConversationChangeNotification":
                foreach (var change in notification.Body.Items("changes"))
                {
                    await HandleConversationChangeAsync(socket, connection, change, cancellationToken);
                }

                break;
            case "ms.MessagingEventNotification":
                foreach (var change in notification.Body.Items("changes"))
                {
                    HandleMessagingEvent(change);
                }

                break;
            default:
                break;
        }
    }

    private async Task AcceptRingAsync(MessagingSocket socket, string ringId, string? conversationId, DateTimeOffset? expiresAt, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(_settings.Custom.RingAcceptWait, _time, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Connection ended before the ring was accepted; the service re-rings someone.
            return;
        }

        HeldRing? held;
        var botDown = false;
        lock (_capacityGate)
        {
            // Draining, or the ring ended at the service during the wait (taken elsewhere, expired, revoked).
            if (_health.IsDraining || _drain.IsCancellationRequested || (_seenRings.TryGetValue(ringId, out var seen) && seen == RingEndedMark))
            {
                return;
            }

            botDown = _health.IsBotDown;
        }

        if (botDown)
        {
            await RejectRingForDownBotAsync(socket, ringId, conversationId, cancellationToken);
            return;
        }

        lock (_capacityGate)
        {

            // Held under the gate, so a slot freeing right now either sees this ring or was seen by the check.
            held = HasFreeSlotLocked() ? null : _heldRings.Hold(ringId, conversationId, expiresAt);
            if (held is null)
            {
                _acceptedRings[conversationId ?? ringId] = _time.GetUtcNow();
            }
        }

        if (held is not null)
        {
            OnRingHeld(socket, held, cancellationToken);
            return;
        }

        await SendAcceptAsync(socket, ringId, conversationId, cancellationToken);
    }

    private async Task HandleConversationChangeAsync(MessagingSocket socket, int connection, JsonElement change, CancellationToken cancellationToken)
    {
        var result = change.Prop("result");
        var conversationId = result?.Str("convId") ?? result?.Str("conversationId");
        if (conversationId is null)
        {
            return;
        }

        var details = result!.Value.Prop("conversationDetails");
        // Ours in the role the user holds it in: a routed conversation makes an agent manager profile a MANAGER
        // participant and any other profile the ASSIGNED_AGENT, whatever the connector was told.
        var heldAs = details?.Items("participants")
            .Where(p => IsMe(p.Str("id")))
            .Select(p => p.Str("role"))
            .FirstOrDefault(r => r is AssignedAgentRole or ManagerRole);
        var ours = heldAs is not null;
        var closed = details?.Str("state") == "CLOSE";
        if (change.Str("type") == "DELETE" || closed || !ours)
        {
            if (closed || change.Str("type") == "DELETE")
            {
                _heldRings.ForgetConversation(conversationId);
            }

            if (_conversations.TryRemove(conversationId, out var gone))
            {
                gone.Relay.Finish();
                gone.Relay.Dispose();
                _logger.LogInformation("Conversation {ConversationId} left this agent", conversationId);
                OfferFreedCapacity(socket, cancellationToken);
            }

            return;
        }

        var skillId = details!.Value.Str("skillId");
        var consumerId = details.Value.Items("participants").FirstOrDefault(p => p.Str("role") == "CONSUMER").Str("id");
        var dialogId = details.Value.Items("dialogs")
            .Where(g => g.Str("state") is null or "OPEN")
            .OrderBy(g => g.Str("dialogType") == "MAIN" ? 0 : 1)
            .Select(g => g.Str("dialogId"))
            .FirstOrDefault(id => id is not null) ?? conversationId;

        if (!_conversations.TryGetValue(conversationId, out var tracked))
        {
            var relay = new ConversationRelay(
                conversationId,
                skillId,
                consumerId,
                _relayOptions,
                _bot,
                new MessagingConversationActions(RequestAsync, conversationId, dialogId, _userId ?? "", heldAs!),
                _time,
                _loggers.CreateLogger("Conversation"),
                _metrics,
                _health);
            tracked = new TrackedConversation(relay, dialogId);
            _conversations[conversationId] = tracked;
            _acceptedRings.TryRemove(conversationId, out _);
            _metrics.ConversationAccepted();
            _logger.LogInformation("Conversation {ConversationId} assigned (skill {SkillId}); {Active}/{Capacity} active", conversationId, skillId, ActiveConversations, _settings.Capacity);
            WarnOnRoleMismatch(conversationId, heldAs!);
            relay.Start(historyExpected: true);
        }
        else
        {
            tracked.Relay.OnSkillChanged(skillId);
            if (consumerId is not null && tracked.Relay.ConsumerId is { } known && known != consumerId)
            {
                tracked.Relay.OnConsumerChanged(consumerId);
            }
        }

        if (tracked.SubscribedOnConnection != connection)
        {
            tracked.SubscribedOnConnection = connection;
            await socket.RequestAsync(".ams.ms.SubscribeMessagingEvents", new JsonObject
            {
                ["dialogId"] = tracked.DialogId,
                ["conversationId"] = conversationId,
                ["fromSeq"] = 0,
            }, cancellationToken);
        }
    }

    private void HandleMessagingEvent(JsonElement change)
    {
        var conversationId = change.Str("conversationId");
        if (conversationId is null || !_conversations.TryGetValue(conversationId, out var tracked))
        {
            return;
        }

        var messagingEvent = change.Prop("event");
        if (messagingEvent?.Str("type") != "ContentEvent" || messagingEvent.Value.Str("message") is not { } text)
        {
            return;
        }

        var role = change.Prop("originatorMetadata")?.Str("role");
        var postback = change.Items("metadata").Concat(messagingEvent.Value.Items("metadata"))
            .Where(m => m.Str("type") == "ExternalId")
            .Select(m => m.Str("id"))
            .FirstOrDefault(id => id is not null);
        tracked.Relay.OnMessage(new ConversationMessage(change.Long("sequence"), text, role == "CONSUMER", postback));
    }

    private void WarnOnRoleMismatch(string conversationId, string heldAs)
    {
        if (heldAs != ParticipantRole && Interlocked.Exchange(ref _roleMismatchWarned, 1) == 0)
        {
            var message = $"agent user '{_settings.AgentUser}' holds conversation {conversationId} as {heldAs}, but the connector's role is {_settings.Role} ({ParticipantRole}): serving it as {heldAs}; set the role to the agent user's profile";
            _health.RecordError(ConnectorReasons.InvalidConfiguration, message);
            _logger.LogWarning("{Message}", message);
        }
    }

    /// <summary>The ring's expiry (epoch milliseconds); null when absent or not a plausible time.</summary>
    private static DateTimeOffset? RingExpiry(JsonElement ring) =>
        ring.Long("ringExpiration") is > 0 and < 253_402_300_800_000 and var ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    private bool IsMe(string? participantId)
    {
        if (participantId is null || _userId is not { } userId)
        {
            return false;
        }

        var shortId = userId.Contains('.', StringComparison.Ordinal) ? userId[(userId.IndexOf('.', StringComparison.Ordinal) + 1)..] : userId;
        return participantId == userId || participantId == shortId;
    }
}
