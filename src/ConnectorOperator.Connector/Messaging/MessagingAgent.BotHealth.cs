using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace ConnectorOperator.Connector.Messaging;

/// <summary>
/// While the bot is down the connector takes no new conversations: the agent goes AWAY so routing rings connectors
/// whose bot answers, rings are rejected, and consumers waiting for an answer go to the fallback skill when one is set.
/// It goes ONLINE again once the bot answers.
/// </summary>
public sealed partial class MessagingAgent
{
    private readonly SemaphoreSlim _availabilityGate = new(1, 1);

    /// <summary>The agent state that matches the bot's health (ONLINE also while it was not reached yet).</summary>
    private string Availability => _health.IsBotDown ? "AWAY" : "ONLINE";

    private void OnBotAvailabilityChanged(bool up)
    {
        if (!up)
        {
            foreach (var tracked in _conversations.Values)
            {
                tracked.Relay.OnBotDown();
            }
        }

        _ = ApplyAvailabilityAsync();
    }

    /// <summary>Level-based: sets whatever the bot's health is when it runs, so quick flips cannot land out of order.</summary>
    private async Task ApplyAvailabilityAsync()
    {
        try
        {
            await _availabilityGate.WaitAsync();
        }
        catch (ObjectDisposedException)
        {
            // The agent is gone.
            return;
        }

        try
        {
            if (_health.IsDraining || _drain.IsCancellationRequested || _socket is not { IsOpen: true } socket || _userId is not { } userId
                || !Volatile.Read(ref _online).Task.IsCompleted)
            {
                // Not connected: the next connection sets the state from the bot's health.
                return;
            }

            var availability = Availability;
            await socket.RequestAsync(".ams.routing.SetAgentState", new JsonObject { ["agentUserId"] = userId, ["availability"] = availability }, CancellationToken.None);
            _logger.LogWarning("{What}: agent state {Availability}", availability == "AWAY" ? "The bot is down, taking no new conversations" : "The bot answers again, taking conversations", availability);
            if (availability == "AWAY")
            {
                await RejectHeldRingsAsync(socket, "the bot is down", CancellationToken.None);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogWarning("Setting the agent state after a bot health change failed: {Error}", _redactor.Redact(ex.Message));
        }
        finally
        {
            _availabilityGate.Release();
        }
    }

    /// <summary>A ring that arrives while the bot is down goes back at once, so the service offers it to a connector whose bot answers.</summary>
    private async Task RejectRingForDownBotAsync(MessagingSocket socket, string ringId, string? conversationId, CancellationToken cancellationToken)
    {
        _logger.LogInformation("Rejecting ring {RingId} for conversation {ConversationId}: the bot is down", ringId, conversationId);
        try
        {
            await socket.RequestAsync(".ams.routing.UpdateRingState", new JsonObject { ["ringId"] = ringId, ["ringState"] = "REJECTED" }, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogWarning("Rejecting ring {RingId} failed: {Error}", ringId, _redactor.Redact(ex.Message));
        }
    }
}
