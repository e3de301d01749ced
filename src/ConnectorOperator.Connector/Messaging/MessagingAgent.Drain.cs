using System.Text.Json;
using System.Text.Json.Nodes;
using ConnectorOperator.Connector.Cloud;
using Microsoft.Extensions.Logging;

namespace ConnectorOperator.Connector.Messaging;

/// <summary>Drain: go AWAY, hand every conversation back to its skill, log out.</summary>
public sealed partial class MessagingAgent
{
    private async Task DrainOnSocketAsync(MessagingSocket socket, LoginSession session, ServiceDomains domains, CancellationToken cancellationToken)
    {
        _health.SetDraining();
        _logger.LogInformation("Draining: going AWAY and handing {Count} conversations back", ActiveConversations);
        try
        {
            await socket.RequestAsync(".ams.routing.SetAgentState", new JsonObject { ["agentUserId"] = session.UserId, ["availability"] = "AWAY" }, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogWarning("Setting AWAY failed: {Error}", _redactor.Redact(ex.Message));
        }

        // AWAY first, so the service does not ring us again with what we give back.
        await RejectHeldRingsAsync(socket, "draining", cancellationToken);

        var handBacks = _conversations.Values.Select(c => c.Relay.HandBackAsync(cancellationToken)).ToList();
        var results = await Task.WhenAll(handBacks);
        _logger.LogInformation("Handed back {Done} of {Total} conversations", results.Count(r => r), results.Length);
        _conversations.Clear();
        await LogOutAsync(domains, session, cancellationToken);
        await socket.CloseAsync(cancellationToken);
        _drained = true;
    }

    private async Task FinishDrainWithoutSocketAsync(CancellationToken cancellationToken)
    {
        _health.SetDraining();
        ForgetHeldRings();
        foreach (var tracked in _conversations.Values)
        {
            tracked.Relay.Dispose();
        }

        _conversations.Clear();
        if (_session is { } session && _currentDomains is { } domains)
        {
            await LogOutAsync(domains, session, cancellationToken);
        }
    }

    private async Task LogOutAsync(ServiceDomains domains, LoginSession session, CancellationToken cancellationToken)
    {
        try
        {
            await _login.LogoutAsync(domains.AgentVep, session, cancellationToken);
            _logger.LogInformation("Logged out");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogWarning("Logout failed: {Error}", _redactor.Redact(ex.Message));
        }

        _session = null;
    }
}
